import type { Kysely, Transaction } from "kysely";
import type { AuditLog } from "../audit/index.js";
import { LapwingError } from "../errors/index.js";
import type { QueryExecutor } from "../queue/index.js";
import { accountRefOf, platformFieldOf } from "../events/tenancy.js";
import { newId } from "../store/index.js";
import type { AccountDetails, AccountDetailsSource } from "./account-details.js";
import { NcmecError, type NcmecClient } from "./client.js";
import { annotationsFromCase, reportableCategories, reportInputFrom, type ReportFacts } from "./facts.js";
import type { ReportFile, ReportFiles } from "./files.js";
import type { ReportFileRow, ReportHistoryRow, ReportRepository, ReportRow } from "./repository.js";
import type { ReportTables } from "./tables.js";
import type { IndustryClassification, ReporterInput } from "./types.js";
// The XML builders (xmlbuilder2 and its DOM, about 150 modules) load on the first report built, not when `serve` starts.
const xmlBuilders = () => import("./xml.js");
import type { ReportState } from "./states.js";

export { reportStates, type ReportState } from "./states.js";

export const reportQueueName = "reports";

/** NCMEC deletes an unfinished report about a day after it opened, or an hour after its last change. */
const openLifetimeMs = 24 * 60 * 60_000;
const idleLifetimeMs = 60 * 60_000;
/** Start again this long before NCMEC's deadline rather than race it. */
const openMarginMs = 30 * 60_000;
const idleMarginMs = 10 * 60_000;
/** The history entries that record each submit sent, and each one whose answer never arrived. */
const submitSent = "submit.sent";
const submitAnswerLost = "submit.answer_lost";
/** How long a report waits for the vault to gather the case's files (a platform upload, say) before it goes without them. */
const evidenceWaitMs = 6 * 60 * 60_000;

export interface ReportSettings {
  environment: "test" | "production";
  reporter: ReporterInput;
  /** The platform's name, as NCMEC shows it. */
  espService: string;
  /** Job deliveries before Lapwing stops retrying a report on its own. */
  maxAttempts: number;
  /** New NCMEC reports opened for one report (after expiries or lost answers) before it counts as failed. */
  maxRestarts: number;
}

export interface ReportServiceOptions {
  audit: AuditLog;
  queue: { enqueue(trx: QueryExecutor, request: { queue: string; payload: unknown; key?: string; maxAttempts?: number }): Promise<unknown> };
  files: ReportFiles;
  accountDetails: AccountDetailsSource;
  /** The evidence vault's retention clock: told when NCMEC accepted the report (retention runs from then). */
  vault?: { noteReported(caseId: string, input: { reportedAt: string; actor: string }): Promise<void> };
  /** Absent when no NCMEC credentials are configured: reports are prepared but not sent. */
  ncmec?: NcmecClient;
  settings: ReportSettings;
  clock?: () => Date;
}

export interface ReportFileView {
  position: number;
  fileName: string;
  state: string;
  ncmecFileId: string | null;
}

export interface ReportSummary {
  id: string;
  caseId: string;
  /** The platform's account id (stored as its scoped key, src/events/tenancy.ts). */
  accountId: string;
  /** The account's platform; absent for the default platform. */
  platformId?: string;
  category: string;
  state: ReportState;
  environment: string;
  ncmecReportId: string | null;
  /** A sentence for people: how far the report is. */
  progress: string;
  attempts: number;
  restarts: number;
  lastError: string | null;
  lastErrorCode: string | null;
  /** What to do about `lastError`. */
  hint: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
  /**
   * Submits whose answer never arrived: NCMEC may hold an unfinished report
   * from each, which nobody finishes (NCMEC has no lookup by our reference, so
   * it cannot be retracted) and which NCMEC deletes about a day after it opened.
   */
  lostSubmits: LostSubmit[];
  /** A sentence for reviewers about `lostSubmits` (null when there are none). */
  notice: string | null;
}

export interface LostSubmit {
  /** When the submit whose answer was lost was sent. */
  sentAt: string;
  /** About when NCMEC deletes the unfinished report it may have opened (a day after). */
  deletedByAbout: string;
}

export interface ReportDetail extends ReportSummary {
  files: ReportFileView[];
  abandonedNcmecReportIds: string[];
  history: Array<{ at: string; actor: string; kind: string; details: Record<string, unknown> }>;
}

/** A failure of a step outside NCMEC (the callback, the vault), retried with backoff. */
class StepError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly hint: string,
    readonly failedState?: ReportState,
  ) {
    super(message);
  }
}

/**
 * CyberTipline reports as a durable outbox. `requestForCase` (called by the
 * case service inside a reviewer's confirmation) creates the report and its
 * job in the same transaction; `process` (the `reports` queue worker) walks
 * it through NCMEC's flow, committing after every step, so that a process
 * killed at any point resumes where it stopped:
 *
 * - an answer lost after `submit`: submit again (NCMEC deletes the unanswered, unfinished report itself);
 * - an answer lost after an `upload`: the file may or may not be in the report, so the report is retracted
 *   and a new one opened (a finished report holds each file exactly once);
 * - an answer lost after `fileinfo`: send the details again;
 * - an answer lost after `finish`: finish again; "already finished" counts as done.
 *
 * An open report near NCMEC's deletion deadline (a day after opening, an hour
 * after its last change) or one NCMEC no longer has is opened again from
 * scratch. Retryable failures (server errors, timeouts) are retried by the
 * queue with backoff; permanent ones retract the open report and leave the
 * report `failed` with a hint, for a reviewer to retry once fixed.
 *
 * @example
 * const reports = createReportService(repo, { audit, queue, files, accountDetails, ncmec, settings });
 * await reports.process(reportId); // what the worker does for each job
 */
/** A confirmed case, as the case service hands it over to decide whether a report is due. */
export interface ReportRequest {
  caseId: string;
  accountId: string;
  category: string;
  reportRequested: boolean;
  escalated: boolean;
  actor: string;
  /** The young person the decision named (src/safeguarding), if any. */
  victim?: { accountId: string; ageBand: string | null } | null;
  /** The case's annotations (src/safeguarding's names). */
  annotations?: readonly string[];
  /** What the reviewer classified the content as (A1, A2, B1, B2), if they did. */
  industryClassification?: IndustryClassification | null;
}

export function createReportService(repo: ReportRepository, options: ReportServiceOptions) {
  const clock = options.clock ?? (() => new Date());
  const { settings } = options;

  /**
   * Creates the case's report when the reviewer confirmed it in a reportable
   * category and a policy asked for a report; inside the confirmation's
   * transaction. Returns the report id, or undefined when none is due.
   */
  async function requestForCase(trx: QueryExecutor, input: ReportRequest): Promise<string | undefined> {
    const kind = reportableCategories[input.category];
    if (!kind || !input.reportRequested) return undefined;
    const db = trx as Kysely<ReportTables>;
    const now = clock().toISOString();
    const times = (await repo.caseEventTimes(db, input.caseId)).filter((t) => Number.isFinite(Date.parse(t))).sort((a, b) => Date.parse(a) - Date.parse(b));
    const age = await repo.ageBand(db, input.accountId);
    // NCMEC refuses an incident time in the future; a platform clock ahead of ours must not block the report.
    const earliest = times[0] !== undefined && Date.parse(times[0]) < Date.parse(now) ? new Date(Date.parse(times[0])).toISOString() : now;
    const fromCase = annotationsFromCase(input.annotations ?? []);
    const facts: ReportFacts = {
      caseId: input.caseId,
      accountId: input.accountId,
      category: input.category,
      incidentType: kind.incidentType,
      annotations: [...new Set([...kind.annotations, ...fromCase.report])],
      fileAnnotations: fromCase.files,
      industryClassification: input.industryClassification ?? undefined,
      victim: input.victim ? { accountId: input.victim.accountId, ageBand: input.victim.ageBand } : undefined,
      incidentDateTime: earliest,
      incidentDateTimeDescription: times.length > 0 ? "When the earliest content in this case was posted on the platform." : "When a reviewer confirmed the case.",
      escalateToHighPriority: input.escalated ? "A reviewer escalated this case as urgent: a child may be at ongoing risk." : undefined,
      reportedAgeBand: age?.band,
      confirmedAt: now,
    };
    const id = newId(clock().getTime());
    const inserted = await repo.insertIfNone(db, {
      id,
      case_id: input.caseId,
      account_id: input.accountId,
      category: input.category,
      state: "draft",
      environment: settings.environment,
      ncmec_report_id: null,
      facts: JSON.stringify(facts),
      account_details: null,
      report_xml: null,
      ncmec_opened_at: null,
      ncmec_changed_at: null,
      restarts: 0,
      retries: 0,
      attempts: 0,
      last_error: null,
      last_error_code: null,
      hint: null,
      abandoned_ids: "[]",
      created_at: now,
      updated_at: now,
      finished_at: null,
    });
    if (!inserted) return (await db.selectFrom("reports").select("id").where("case_id", "=", input.caseId).executeTakeFirst())?.id;
    await repo.addHistory(db, id, now, input.actor, "created", { category: input.category, incidentType: kind.incidentType });
    await options.audit.record(db as unknown as Kysely<unknown>, { actor: input.actor, action: "report.create", target: { type: "report", id }, details: { caseId: input.caseId, category: input.category } });
    await options.queue.enqueue(trx, { queue: reportQueueName, payload: { reportId: id }, key: id, maxAttempts: settings.maxAttempts });
    return id;
  }

  /**
   * Walks the report through NCMEC's flow from where it is until it is
   * finished or failed. Throws on a retryable failure (the queue retries with
   * backoff); returns the report as it stands otherwise.
   */
  async function process(reportId: string, signal?: AbortSignal): Promise<ReportSummary> {
    for (;;) {
      const row = await repo.find(reportId);
      if (!row) throw new LapwingError("REPORT_NOT_FOUND", `No report has id "${reportId}".`);
      if (row.state === "finished" || row.state === "failed") return summaryOf(row);
      signal?.throwIfAborted();
      try {
        await step(row);
      } catch (error) {
        if (error instanceof NcmecError && error.kind === "restart") await restart(await mustFind(reportId), error.message);
        // NCMEC holds the report as finished (another runner's finish got there first): it is filed; record it so.
        else if (error instanceof NcmecError && error.kind === "already_finished") await finish({ ...(await mustFind(reportId)), state: "finishing" });
        else if (error instanceof NcmecError && (error.kind === "permanent" || error.kind === "already_retracted")) {
          await fail(await mustFind(reportId), error, `NCMEC_${error.responseCode ?? `HTTP_${error.httpStatus ?? "NONE"}`}`);
        } else {
          await recordRetryable(await mustFind(reportId), error);
          throw error;
        }
      }
    }
  }

  async function step(row: ReportRow): Promise<void> {
    switch (row.state as ReportState) {
      case "draft":
      case "account_details_failed":
        return prepare(row);
      case "ready":
        return submit(row, false);
      case "submitting":
        return submit(row, true);
      case "submitted":
        return advanceFiles(row);
      case "finishing":
        return finish(row);
      default:
        throw new Error(`Report ${row.id} is in an unknown state "${row.state}".`);
    }
  }

  async function prepare(row: ReportRow): Promise<void> {
    const facts = JSON.parse(row.facts) as ReportFacts;
    const fetched = await options.accountDetails.fetch(row.account_id);
    if (!fetched.ok) {
      throw new StepError(
        fetched.message,
        "ACCOUNT_DETAILS_FAILED",
        "Lapwing retries with backoff. Check that LAPWING_ACCOUNT_DETAILS_URL answers GET ?accountId=ID with JSON (docs/reporting.md), then retry the report if it stopped.",
        "account_details_failed",
      );
    }
    const waitingFor = options.files.pending ? await options.files.pending(row.case_id) : null;
    if (waitingFor !== null && clock().getTime() - Date.parse(row.created_at) < evidenceWaitMs) {
      throw new StepError(
        waitingFor,
        "EVIDENCE_PENDING",
        "The report waits (up to 6 hours) for the case's preserved files; answer the platform's content.preserve actions (docs/evidence.md). Lapwing retries with backoff.",
      );
    }
    if (waitingFor !== null) await note(row.id, "evidence.incomplete", { why: waitingFor, decision: "Filing without the missing files: a report must not wait longer." });
    let files: ReportFile[];
    try {
      files = await options.files.list(row.case_id);
    } catch (error) {
      throw new StepError(`Listing the case's preserved files failed: ${(error as Error).message}`, "EVIDENCE_UNAVAILABLE", "Lapwing retries with backoff; check the evidence vault's storage.");
    }
    const revealed = await revealedContent(row.case_id);
    files = files.map((file) => (file.contentId !== undefined && revealed.has(file.contentId) ? { ...file, fileViewedByEsp: true } : file));
    const { buildReportXml } = await xmlBuilders();
    const xml = buildReportXml(reportInputFrom(facts, fetched.details, settings));
    const now = clock().toISOString();
    await repo.transaction(async (trx) => {
      await repo.replaceFiles(
        trx,
        row.id,
        files.map((file, position) => ({ report_id: row.id, position, file_ref: file.ref, file_name: file.fileName, meta: JSON.stringify(file), state: "pending", ncmec_file_id: null, details_xml: null })),
      );
      await repo.set(trx, row.id, { state: "ready", account_details: JSON.stringify(fetched.details), report_xml: xml, updated_at: now, ...cleared });
      await repo.addHistory(trx, row.id, now, "system", "prepared", { files: files.length, accountDetails: options.accountDetails.isConfigured ? "fetched" : "not configured" });
    });
  }

  /** The content of the case a reviewer un-blurred in the console (`media.reveal` in the audit log): NCMEC asks whether staff viewed each file. */
  async function revealedContent(caseId: string): Promise<Set<string>> {
    const reveals = await options.audit.forTarget("media.reveal", { type: "case", id: caseId });
    return new Set(reveals.map((entry) => entry.details.contentId).filter((id): id is string => typeof id === "string"));
  }

  /**
   * Opens the report at NCMEC. Each submit is recorded (`submit.sent`) before
   * it goes, in the same commit as the `submitting` state. A submit whose
   * answer never arrived (a timeout, a lost connection, or a process killed
   * before it recorded the answer: the report is then found still
   * `submitting`) is recorded as `submit.answer_lost`, with when it was sent
   * and when NCMEC deletes what it may have opened, and shown to reviewers
   * (`lostSubmits`, `notice`); then the report is submitted again.
   */
  async function submit(row: ReportRow, isResumed: boolean): Promise<void> {
    const ncmec = needNcmec();
    const sentAt = await repo.transaction(async (trx) => {
      const now = clock().toISOString();
      if (isResumed) {
        const last = await repo.latestHistory(row.id, [submitSent, submitAnswerLost], trx);
        // A killed process recorded nothing after its submit.sent; reports from before submit.sent was recorded fall back to the state's last change.
        if (last?.kind !== submitAnswerLost) await recordLostSubmit(trx, row.id, last?.at ?? row.updated_at, now);
      }
      await repo.set(trx, row.id, { state: "submitting", updated_at: now });
      await repo.addHistory(trx, row.id, now, "system", submitSent, isResumed ? { again: true } : {});
      return now;
    });
    let reportId: string;
    try {
      ({ reportId } = await ncmec.submit(row.report_xml ?? ""));
    } catch (error) {
      // NCMEC answered (a refusal, a server error): it opened nothing, so the next submit is a plain one.
      if (error instanceof NcmecError && error.httpStatus !== null) await mark(row.id, { state: "ready" });
      // No answer at all: NCMEC may have opened a report. The state stays `submitting`, and reviewers are told now.
      else await repo.transaction((trx) => recordLostSubmit(trx, row.id, sentAt, clock().toISOString()));
      throw error;
    }
    const now = clock().toISOString();
    await repo.transaction(async (trx) => {
      await repo.set(trx, row.id, { state: "submitted", ncmec_report_id: reportId, ncmec_opened_at: now, ncmec_changed_at: now, updated_at: now, ...cleared });
      await repo.addHistory(trx, row.id, now, "system", "submitted", { ncmecReportId: reportId });
    });
  }

  async function recordLostSubmit(trx: Transaction<ReportTables>, reportId: string, sentAt: string, now: string): Promise<void> {
    await repo.addHistory(trx, reportId, now, "system", submitAnswerLost, {
      sentAt,
      deletedByAbout: new Date(Date.parse(sentAt) + openLifetimeMs).toISOString(),
      why: "The answer to this submit never arrived. NCMEC may hold an unfinished report from it, which is never filed; NCMEC deletes unfinished reports about a day after they were opened.",
    });
  }

  async function advanceFiles(row: ReportRow): Promise<void> {
    const ncmec = needNcmec();
    const ncmecId = row.ncmec_report_id!;
    if (isNearExpiry(row)) return restart(row, "The open NCMEC report was near NCMEC's deletion deadline (a day after opening, an hour after its last change).");
    const files = await repo.files(row.id);
    const next = files.find((f) => f.state !== "details_sent");
    if (!next) {
      await mark(row.id, { state: "finishing" });
      return finish({ ...row, state: "finishing" });
    }
    if (next.state === "uploading") {
      return restart(row, `The answer to uploading file ${next.position + 1} was not recorded, so NCMEC may hold it once or twice; a new report holds each file exactly once.`);
    }
    const meta = JSON.parse(next.meta) as ReportFile;
    if (next.state === "pending") {
      let bytes: Uint8Array;
      try {
        bytes = await options.files.read(next.file_ref);
      } catch (error) {
        throw new StepError(`Reading preserved file ${next.position + 1} failed: ${(error as Error).message}`, "EVIDENCE_UNAVAILABLE", "Lapwing retries with backoff; check the evidence vault.");
      }
      await repo.setFile(repo.db, row.id, next.position, { state: "uploading" });
      let fileId: string;
      try {
        ({ fileId } = await ncmec.upload(ncmecId, next.file_name, bytes));
      } catch (error) {
        // NCMEC answered with a refusal: the file is certainly not in the report, so the upload is simply tried again.
        // Only a lost answer (no status at all) leaves the file "uploading", and the report is then opened again.
        if (error instanceof NcmecError && error.httpStatus !== null) await repo.setFile(repo.db, row.id, next.position, { state: "pending" });
        throw error;
      }
      const now = clock().toISOString();
      await repo.transaction(async (trx) => {
        await repo.setFile(trx, row.id, next.position, { state: "uploaded", ncmec_file_id: fileId });
        await repo.set(trx, row.id, { ncmec_changed_at: now, updated_at: now, ...cleared });
        await repo.addHistory(trx, row.id, now, "system", "file.uploaded", { position: next.position, ncmecFileId: fileId });
      });
      return;
    }
    // uploaded: send its details (again, if an earlier answer was lost: NCMEC keeps the latest).
    const { buildFileDetailsXml } = await xmlBuilders();
    const xml = buildFileDetailsXml({
      reportId: ncmecId,
      fileId: next.ncmec_file_id!,
      originalFileName: meta.fileName,
      uploadedAt: meta.uploadedAt,
      locationOfFile: meta.locationOfFile,
      fileViewedByEsp: meta.fileViewedByEsp,
      exifViewedByEsp: meta.exifViewedByEsp,
      publiclyAvailable: meta.publiclyAvailable,
      fileRelevance: "Reported",
      annotations: [...new Set([...(meta.annotations ?? []), ...(facts(row).fileAnnotations ?? [])])],
      industryClassification: meta.industryClassification ?? facts(row).industryClassification,
      hashes: [
        ...(meta.hashes.md5 ? [{ hashType: "MD5", value: meta.hashes.md5 }] : []),
        ...(meta.hashes.sha256 ? [{ hashType: "SHA256", value: meta.hashes.sha256 }] : []),
        ...(meta.hashes.pdq ? [{ hashType: "PDQ", value: meta.hashes.pdq }] : []),
      ],
      uploadIp: meta.uploadIp,
      additionalInfo: meta.additionalInfo,
    });
    await ncmec.fileInfo(xml);
    const now = clock().toISOString();
    await repo.transaction(async (trx) => {
      await repo.setFile(trx, row.id, next.position, { state: "details_sent", details_xml: xml });
      await repo.set(trx, row.id, { ncmec_changed_at: now, updated_at: now, ...cleared });
      await repo.addHistory(trx, row.id, now, "system", "file.details_sent", { position: next.position });
    });
  }

  async function finish(row: ReportRow): Promise<void> {
    const ncmec = needNcmec();
    try {
      await ncmec.finish(row.ncmec_report_id!);
    } catch (error) {
      // A finish whose answer was lost and is sent again meets "already finished": it is done.
      if (!(error instanceof NcmecError && error.kind === "already_finished")) throw error;
    }
    const now = clock().toISOString();
    // Before the report is recorded finished: if this fails, the job runs again, meets "already finished" and tells the vault then.
    if (options.vault) {
      try {
        await options.vault.noteReported(row.case_id, { reportedAt: now, actor: "system" });
      } catch (error) {
        throw new StepError(`Telling the evidence vault that case ${row.case_id} was reported failed: ${(error as Error).message}`, "EVIDENCE_UNAVAILABLE", "Lapwing retries with backoff; the report itself is filed with NCMEC.");
      }
    }
    await repo.transaction(async (trx) => {
      await repo.set(trx, row.id, { state: "finished", finished_at: now, updated_at: now, ...cleared });
      await repo.addHistory(trx, row.id, now, "system", "finished", { ncmecReportId: row.ncmec_report_id });
      await options.audit.record(trx as unknown as Kysely<unknown>, { actor: "system", action: "report.finish", target: { type: "report", id: row.id }, details: { caseId: row.case_id, ncmecReportId: row.ncmec_report_id, environment: row.environment } });
    });
  }

  /** Abandons the open NCMEC report (retracting it when NCMEC still has it) and starts a new one. */
  async function restart(row: ReportRow, why: string): Promise<void> {
    if (row.restarts >= settings.maxRestarts) {
      return fail(row, new Error(`${why} NCMEC reports were opened ${row.restarts + 1} times for this report.`), "TOO_MANY_RESTARTS", "Check NCMEC's status and this host's connection, then retry the report.");
    }
    const old = row.ncmec_report_id;
    if (old) await retractQuietly(old);
    const now = clock().toISOString();
    await repo.transaction(async (trx) => {
      await repo.resetFiles(trx, row.id);
      await repo.set(trx, row.id, {
        state: "ready",
        ncmec_report_id: null,
        ncmec_opened_at: null,
        ncmec_changed_at: null,
        restarts: row.restarts + 1,
        abandoned_ids: JSON.stringify([...(JSON.parse(row.abandoned_ids) as string[]), ...(old ? [old] : [])]),
        updated_at: now,
      });
      await repo.addHistory(trx, row.id, now, "system", "restarted", { why, abandonedNcmecReportId: old });
    });
  }

  async function fail(row: ReportRow, error: Error, code: string, hint?: string): Promise<void> {
    const open = row.ncmec_report_id;
    if (open) await retractQuietly(open);
    const now = clock().toISOString();
    await repo.transaction(async (trx) => {
      await repo.set(trx, row.id, {
        state: "failed",
        last_error: error.message,
        last_error_code: code,
        hint: hint ?? (error instanceof NcmecError ? error.hint : "Fix the cause, then retry the report."),
        attempts: row.attempts + 1,
        ncmec_report_id: null,
        abandoned_ids: JSON.stringify([...(JSON.parse(row.abandoned_ids) as string[]), ...(open ? [open] : [])]),
        updated_at: now,
      });
      await repo.addHistory(trx, row.id, now, "system", "failed", { code, error: error.message, retractedNcmecReportId: open });
      await options.audit.record(trx as unknown as Kysely<unknown>, { actor: "system", action: "report.fail", target: { type: "report", id: row.id }, details: { caseId: row.case_id, code } });
    });
  }

  async function retractQuietly(ncmecReportId: string): Promise<void> {
    try {
      await options.ncmec?.retract(ncmecReportId);
    } catch {
      // Best effort: an unfinished report NCMEC still holds is deleted by NCMEC within a day anyway.
    }
  }

  async function recordRetryable(row: ReportRow, error: unknown): Promise<void> {
    const attempts = row.attempts + 1;
    const exhausted = attempts >= settings.maxAttempts;
    const base =
      error instanceof NcmecError
        ? { code: `NCMEC_${error.responseCode ?? `HTTP_${error.httpStatus ?? "NONE"}`}`, hint: error.hint }
        : error instanceof StepError
          ? { code: error.code, hint: error.hint }
          : { code: "INTERNAL", hint: "An unexpected error; see the worker's log. Lapwing retries with backoff." };
    const change: Partial<ReportRow> = {
      attempts,
      last_error: (error as Error).message ?? String(error),
      last_error_code: base.code,
      hint: exhausted ? `${base.hint} Lapwing has stopped retrying after ${attempts} attempts: fix the cause, then retry the report.` : base.hint,
      updated_at: clock().toISOString(),
    };
    if (error instanceof StepError && error.failedState) change.state = error.failedState;
    await repo.set(repo.db, row.id, change);
  }

  /** Sends a report again: a failed one from scratch (a new NCMEC report), any other unfinished one from where it is. */
  async function retry(id: string, actor: string): Promise<ReportSummary> {
    return repo.transaction(async (trx) => {
      const row = await repo.find(id, trx);
      if (!row) throw new LapwingError("REPORT_NOT_FOUND", `No report has id "${id}".`);
      if (row.state === "finished") throw new LapwingError("REPORT_NOT_RETRYABLE", `Report ${id} was finished (NCMEC report ${row.ncmec_report_id}) at ${row.finished_at}; nothing to retry.`);
      const now = clock().toISOString();
      const change: Partial<ReportRow> = { retries: row.retries + 1, updated_at: now, ...cleared, restarts: 0 };
      if (row.state === "failed") Object.assign(change, { state: "draft", report_xml: null, account_details: null });
      await repo.set(trx, id, change);
      await repo.addHistory(trx, id, now, actor, "retry", { from: row.state });
      await options.audit.record(trx as unknown as Kysely<unknown>, { actor, action: "report.retry", target: { type: "report", id }, details: { caseId: row.case_id, from: row.state } });
      await options.queue.enqueue(trx, { queue: reportQueueName, payload: { reportId: id }, key: `${id}:retry:${row.retries + 1}`, maxAttempts: settings.maxAttempts });
      return toSummary({ ...row, ...change }, await repo.files(id, trx), await repo.historyOfKind([id], submitAnswerLost, trx));
    });
  }

  async function list(query: { states?: readonly ReportState[]; limit?: number; offset?: number } = {}): Promise<ReportSummary[]> {
    const rows = await repo.list({ states: query.states, limit: Math.min(query.limit ?? 100, 1000), offset: query.offset ?? 0 });
    const lost = await repo.historyOfKind(
      rows.map((row) => row.id),
      submitAnswerLost,
    );
    return Promise.all(rows.map(async (row) => toSummary(row, await repo.files(row.id), lost.filter((h) => h.report_id === row.id))));
  }

  async function get(id: string): Promise<ReportDetail> {
    const row = await mustFind(id);
    const files = await repo.files(id);
    const history = await repo.history(id);
    return {
      ...toSummary(
        row,
        files,
        history.filter((h) => h.kind === submitAnswerLost),
      ),
      files: files.map((f) => ({ position: f.position, fileName: f.file_name, state: f.state, ncmecFileId: f.ncmec_file_id })),
      abandonedNcmecReportIds: JSON.parse(row.abandoned_ids) as string[],
      history: history.map((h) => ({ at: h.at, actor: h.actor, kind: h.kind, details: JSON.parse(h.details) as Record<string, unknown> })),
    };
  }

  async function forCase(caseId: string): Promise<ReportSummary[]> {
    const row = await repo.forCase(caseId);
    return row ? [await summaryOf(row)] : [];
  }

  async function summaryOf(row: ReportRow): Promise<ReportSummary> {
    return toSummary(row, await repo.files(row.id), await repo.historyOfKind([row.id], submitAnswerLost));
  }

  /**
   * The `<report>` XML as it was (or will be) submitted: the stored document
   * once prepared, else built now from the case and what is known of the
   * account (without calling the platform).
   */
  async function xml(id: string): Promise<string> {
    const row = await mustFind(id);
    if (row.report_xml) return row.report_xml;
    const details = row.account_details ? (JSON.parse(row.account_details) as AccountDetails) : {};
    const { buildReportXml } = await xmlBuilders();
    return buildReportXml(reportInputFrom(JSON.parse(row.facts) as ReportFacts, details, settings));
  }

  async function mustFind(id: string): Promise<ReportRow> {
    const row = await repo.find(id);
    if (!row) throw new LapwingError("REPORT_NOT_FOUND", `No report has id "${id}".`);
    return row;
  }

  async function mark(id: string, change: Partial<ReportRow>): Promise<void> {
    await repo.set(repo.db, id, { ...change, updated_at: clock().toISOString() });
  }

  async function note(id: string, kind: string, details: Record<string, unknown>): Promise<void> {
    await repo.addHistory(repo.db, id, clock().toISOString(), "system", kind, details);
  }

  function needNcmec(): NcmecClient {
    if (!options.ncmec) {
      throw new StepError("No NCMEC credentials are configured.", "NCMEC_NOT_CONFIGURED", "Set LAPWING_NCMEC_USERNAME and LAPWING_NCMEC_PASSWORD (docs/reporting.md), then retry the report.");
    }
    return options.ncmec;
  }

  function isNearExpiry(row: ReportRow): boolean {
    const now = clock().getTime();
    const opened = Date.parse(row.ncmec_opened_at ?? "");
    const changed = Date.parse(row.ncmec_changed_at ?? "");
    return now >= opened + openLifetimeMs - openMarginMs || now >= changed + idleLifetimeMs - idleMarginMs;
  }

  return { requestForCase, process, retry, list, get, forCase, xml, isConfigured: options.ncmec !== undefined };
}

export type ReportService = ReturnType<typeof createReportService>;

function facts(row: ReportRow): ReportFacts {
  return JSON.parse(row.facts) as ReportFacts;
}

const cleared = { attempts: 0, last_error: null, last_error_code: null, hint: null } as const;

function toSummary(row: ReportRow, files: readonly ReportFileRow[], lostSubmitHistory: readonly ReportHistoryRow[]): ReportSummary {
  const lostSubmits = lostSubmitHistory.map((h) => {
    const details = JSON.parse(h.details) as { sentAt: string; deletedByAbout: string };
    return { sentAt: details.sentAt, deletedByAbout: details.deletedByAbout };
  });
  return {
    id: row.id,
    caseId: row.case_id,
    accountId: accountRefOf(row.account_id).id,
    ...platformFieldOf(row.account_id),
    category: row.category,
    state: row.state as ReportState,
    environment: row.environment,
    ncmecReportId: row.ncmec_report_id,
    progress: progressOf(row, files),
    attempts: Number(row.attempts),
    restarts: Number(row.restarts),
    lastError: row.last_error,
    lastErrorCode: row.last_error_code,
    hint: row.hint,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
    lostSubmits,
    notice: lostSubmitNotice(lostSubmits),
  };
}

/** What a reviewer should know of submits whose answer was lost: NCMEC may show them an unfinished report that is never filed. */
function lostSubmitNotice(lost: readonly LostSubmit[]): string | null {
  const latest = lost.at(-1);
  if (!latest) return null;
  const which = lost.length === 1 ? `A previous submit's answer was lost (sent ${latest.sentAt})` : `${lost.length} previous submits' answers were lost (the latest sent ${latest.sentAt})`;
  return (
    `${which}, so Lapwing submits the report again. NCMEC may hold an unfinished report from ${lost.length === 1 ? "it" : "each"} that is never filed and cannot be retracted (NCMEC has no lookup by our reference); ` +
    `NCMEC deletes unfinished reports after about a day (by about ${latest.deletedByAbout}). Nothing to do, unless NCMEC asks about ${lost.length === 1 ? "it" : "them"}: this report's history has the times.`
  );
}

function progressOf(row: ReportRow, files: readonly ReportFileRow[]): string {
  const n = files.length;
  switch (row.state as ReportState) {
    case "draft":
      return "waiting for the account's details and the preserved files";
    case "account_details_failed":
      return "the account-details callback failed; retrying";
    case "ready":
      return `built, ${n} file${n === 1 ? "" : "s"}; waiting to submit`;
    case "submitting":
      return "submitting";
    case "submitted": {
      const uploaded = files.filter((f) => f.state === "uploaded" || f.state === "details_sent").length;
      const detailed = files.filter((f) => f.state === "details_sent").length;
      return `open at NCMEC; ${uploaded} of ${n} files uploaded, ${detailed} with details`;
    }
    case "finishing":
      return "finishing";
    case "finished":
      return `filed with NCMEC (${n} file${n === 1 ? "" : "s"})`;
    case "failed":
      return "failed: see hint";
    default:
      return row.state;
  }
}
