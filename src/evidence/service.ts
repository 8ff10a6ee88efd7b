import type { Kysely } from "kysely";
import type { ActionRequest, ActionService } from "../actions/index.js";
import type { AuditLog } from "../audit/index.js";
import { LapwingError } from "../errors/index.js";
import { mediaFields } from "../events/processor.js";
// The reviewer categories that mean child sexual exploitation: the same set makes a confirmed account a network seed.
import { childSafetyCategories } from "../network/evidence.js";
import type { MediaFetcher } from "../events/media-fetch.js";
import type { EventMedia, PlatformEvent } from "../events/schema.js";
import { accountRefOf, platformFieldOf } from "../events/tenancy.js";
import { digestMedia } from "../media/index.js";
import { sniffFormat } from "../media/decode/sniff.js";
import type { Job, QueryExecutor, JobQueue } from "../queue/index.js";
import { newId } from "../store/index.js";
import { buildExportArchive } from "./archive.js";
import { integrityHash, openItem, sameHex, sealItem, unwrapDataKey, wrapDataKey, type Keyring } from "./crypto.js";
import type { EvidenceRepository, HoldRow, ItemRow, RequestRow } from "./repository.js";
import type { EvidenceStorage } from "./storage.js";
import type { EvidenceTables } from "./tables.js";
import type {
  CaseEvidence,
  EvidenceAccess,
  EvidenceHold,
  EvidenceItem,
  EvidenceKind,
  EvidenceService,
  EvidenceSource,
  ExportManifest,
  PreservationRequest,
} from "./types.js";

/** The queue capture jobs go through, so a confirmation's evidence is gathered even if the process dies right after. */
export const evidenceQueueName = "evidence";


export interface CaptureJob {
  caseId: string;
  accountId: string;
  /** `case.confirm`, `policy.preserve` or `safeguard`. */
  trigger: string;
  /** Only this event's content (a `preserve` decision); absent: every event of the case. */
  eventId?: string;
}

export interface RetentionSettings {
  /** Days evidence is kept after the report (default 365, the REPORT Act's year). */
  days: number;
  /** Jurisdiction code → days, overriding `days` (`US=365,GB=730`). */
  byJurisdiction: ReadonlyMap<string, number>;
  /** The jurisdiction assumed when a report does not name one. */
  defaultJurisdiction: string;
}

export interface EvidenceServiceDeps {
  repo: EvidenceRepository;
  /** Throws `EVIDENCE_KEY_MISSING` when no master key is configured: evidence work refuses to start without one. */
  keyring: () => Keyring;
  storage: EvidenceStorage;
  audit: AuditLog;
  queue: Pick<JobQueue, "enqueue">;
  actions: Pick<ActionService, "emit">;
  /** The case's automated decisions (for the signals item and the events to preserve). */
  decisions: { forCase(caseId: string): Promise<Array<{ eventId: string; signals: unknown[]; decisions: unknown[]; kinds: string[]; createdAt: string; id: string }>> };
  /** Reads stored events: an event by id, and the account's newest profile event. */
  events: { find(eventId: string): Promise<{ payload: string; occurred_at: string } | undefined>; latestAccount(accountId: string): Promise<{ payload: string; id: string } | undefined> };
  /** Fetches URL media from allowed hosts; without one, URL media is asked of the platform instead. */
  fetcher?: Pick<MediaFetcher, "fetchMedia">;
  /** PDQ of image bytes, when they decode. */
  pdqOf?: (bytes: Buffer) => Promise<{ pdq: string; quality: number } | undefined>;
  retention: RetentionSettings;
  clock?: () => Date;
}

/** What storing one item needs; the vault computes hashes, type and size itself. */
export interface StoreInput {
  caseId: string;
  accountId: string;
  kind: EvidenceKind;
  bytes: Buffer;
  contentId?: string | null;
  targetType?: string | null;
  fileName?: string;
  source: EvidenceSource;
  sourceUrl?: string | null;
  eventId?: string | null;
  trigger: string;
  publishedAt?: string | null;
  actor: string;
  /** The PDQ hash when already computed (the event processor's); otherwise the vault computes it, outside transactions only. */
  pdq?: { pdq: string; quality: number } | null;
}

const reasonMax = 500;
const maxExportBytes = 2 * 1024 * 1024 * 1024;

/**
 * The evidence vault (docs/evidence.md). Items are sealed one by one
 * (AES-256-GCM under a fresh data key, wrapped by the master key, with the
 * item's metadata as additional data) and written to the storage backend
 * before their row commits. Reads check the integrity hash, then decrypt
 * (which authenticates bytes and metadata), then compare the plaintext's
 * SHA-256 with the recorded one.
 *
 * @example
 * const evidence = createEvidenceService({ repo, keyring: () => keyring, storage, audit, queue, actions, decisions, events, retention });
 * const items = await evidence.list(caseId, { actor: "user:01J…", mayAccess: true, reason: "Reviewing before the report" });
 */
export function createEvidenceService(deps: EvidenceServiceDeps) {
  const { repo, storage } = deps;
  const clock = deps.clock ?? (() => new Date());
  const db = repo.db as Kysely<EvidenceTables>;
  const auditDb = db as unknown as Kysely<unknown>;

  function checkAccess(access: EvidenceAccess): void {
    if (!access.mayAccess) throw new LapwingError("FORBIDDEN", "Evidence is open to child-safety reviewers and admins only.");
    const reason = typeof access.reason === "string" ? access.reason.trim() : "";
    if (reason.length === 0 || reason.length > reasonMax) {
      throw new LapwingError("VALIDATION_FAILED", `Say why you need the evidence: a reason of 1–${reasonMax} characters (it is recorded in the audit log).`, { pointer: "/reason" });
    }
    if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\p{Cs}]/u.test(reason)) throw new LapwingError("VALIDATION_FAILED", "The reason may hold text only, no control characters.", { pointer: "/reason" });
  }

  async function record(trx: Kysely<unknown>, actor: string, action: string, target: { type: string; id: string }, details: Record<string, unknown>) {
    await deps.audit.record(trx, { actor, action, target, details });
  }

  /** Items plus whether their case is held and when it may go. */
  async function toItems(rows: readonly ItemRow[], executor: Kysely<EvidenceTables> = db): Promise<EvidenceItem[]> {
    const caseIds = [...new Set(rows.map((r) => r.case_id))];
    // In sequence and on the caller's transaction: SQLite has one connection, which an open transaction holds.
    const retention = await repo.retentionOf(caseIds, executor);
    const held = await repo.heldAmong(caseIds, clock().toISOString(), executor);
    return rows.map((row) => toItem(row, retention.get(row.case_id)?.retain_until ?? null, held.has(row.case_id)));
  }

  // ---------------------------------------------------------------- storing

  /**
   * Seals and stores one item, in `trx` when given (the row commits with the
   * caller's change; the object is written first, so a committed row always
   * has its object). The same bytes of the same kind in the same case are kept
   * once: the existing item is returned.
   */
  async function store(input: StoreInput, trx?: QueryExecutor): Promise<{ item: EvidenceItem; isNew: boolean }> {
    const keyring = deps.keyring();
    const executor = (trx ?? db) as Kysely<EvidenceTables>;
    const { md5, sha256 } = digestMedia(input.bytes);
    const existing = await repo.findBySha(input.caseId, input.kind, sha256, executor);
    if (existing) return { item: (await toItems([existing], executor))[0]!, isNew: false };
    const now = clock();
    const id = newId(now.getTime());
    const mimeType = input.kind === "content" ? mimeOf(input.bytes) : "application/json";
    // Hashing waits for a media thread, and the media index reads the store: never inside a transaction (SQLite has one connection).
    const pdq = input.pdq !== undefined ? (input.pdq ?? undefined) : input.kind === "content" && mimeType.startsWith("image/") && deps.pdqOf && !trx ? await deps.pdqOf(input.bytes).catch(() => undefined) : undefined;
    const meta: Metadata = {
      id,
      case_id: input.caseId,
      account_id: input.accountId,
      kind: input.kind,
      content_id: input.contentId ?? null,
      target_type: input.targetType ?? null,
      file_name: safeFileName(input.fileName ?? defaultFileName(input, mimeType)),
      mime_type: mimeType,
      byte_size: input.bytes.length,
      md5,
      sha256,
      pdq: pdq?.pdq ?? null,
      pdq_quality: pdq?.quality ?? null,
      captured_at: now.toISOString(),
      source: input.source,
      source_url: input.sourceUrl ?? null,
      event_id: input.eventId ?? null,
      trigger: input.trigger,
      published_at: input.publishedAt ?? null,
      storage_key: `${input.caseId.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 100)}/${id}`,
    };
    const aad = canonicalMetadata(meta);
    const sealed = sealItem(keyring, id, input.bytes, aad);
    await storage.put(meta.storage_key, sealed.ciphertext);
    const row: ItemRow = { ...meta, iv: sealed.iv, tag: sealed.tag, key_id: sealed.dataKey.keyId, wrapped_key: sealed.dataKey.wrapped, integrity: integrityHash(aad, sealed.ciphertext) };
    const insert = async (t: Kysely<EvidenceTables>) => {
      const isNew = await repo.insertItem(t, row);
      if (isNew) await record(t as unknown as Kysely<unknown>, input.actor, "evidence.preserve", { type: "evidence", id }, { caseId: input.caseId, kind: input.kind, sha256, source: input.source, trigger: input.trigger });
      return isNew;
    };
    const isNew = trx ? await insert(executor) : await repo.transaction((t) => insert(t));
    if (!isNew) {
      // Another writer stored the same bytes first: keep theirs, drop this copy.
      await storage.delete(meta.storage_key);
      const winner = await repo.findBySha(input.caseId, input.kind, sha256, executor);
      return { item: (await toItems([winner!], executor))[0]!, isNew: false };
    }
    return { item: (await toItems([row], executor))[0]!, isNew: true };
  }

  /** Decrypts a row after checking its integrity hash; `EVIDENCE_TAMPERED` when anything changed. */
  async function openRow(row: ItemRow): Promise<Buffer> {
    const keyring = deps.keyring();
    const ciphertext = await storage.get(row.storage_key);
    if (!ciphertext) throw new LapwingError("EVIDENCE_TAMPERED", `Evidence item ${row.id}: its stored object ${row.storage_key} is missing from ${storage.kind} storage.`);
    const aad = canonicalMetadata(metadataOf(row));
    if (!sameHex(integrityHash(aad, ciphertext), row.integrity)) {
      throw new LapwingError("EVIDENCE_TAMPERED", `Evidence item ${row.id} does not match its integrity hash: its stored bytes or its metadata were changed.`);
    }
    const plaintext = openItem(keyring, row.id, { ciphertext, iv: row.iv, tag: row.tag, dataKey: { keyId: row.key_id, wrapped: row.wrapped_key } }, aad);
    if (!sameHex(digestMedia(plaintext).sha256, row.sha256)) throw new LapwingError("EVIDENCE_TAMPERED", `Evidence item ${row.id}: its decrypted bytes do not have the recorded SHA-256.`);
    return plaintext;
  }

  // ---------------------------------------------------------------- reading (audited)

  async function list(caseId: string, access: EvidenceAccess): Promise<EvidenceItem[]> {
    checkAccess(access);
    const rows = await repo.itemsOfCase(caseId);
    await record(auditDb, access.actor, "evidence.list", { type: "case", id: caseId }, { caseId, reason: access.reason.trim(), items: rows.length });
    return toItems(rows);
  }

  async function caseEvidence(caseId: string, access: EvidenceAccess): Promise<CaseEvidence> {
    const items = await list(caseId, access);
    const [holds, requests] = await Promise.all([repo.holdsOfCase(caseId), repo.requestsOfCase(caseId)]);
    return { caseId, items, holds: holds.map(toHold), pending: requests.filter((r) => r.state === "pending").map(toRequest) };
  }

  async function findVisible(itemId: string): Promise<ItemRow> {
    const row = await repo.findItem(itemId);
    if (!row) throw new LapwingError("EVIDENCE_NOT_FOUND", `No evidence item has id "${itemId}" (it may have been purged after its retention ended).`);
    return row;
  }

  async function get(itemId: string, access: EvidenceAccess): Promise<EvidenceItem> {
    checkAccess(access);
    const row = await findVisible(itemId);
    await record(auditDb, access.actor, "evidence.view", { type: "evidence", id: itemId }, { caseId: row.case_id, reason: access.reason.trim() });
    return (await toItems([row]))[0]!;
  }

  async function read(itemId: string, access: EvidenceAccess): Promise<{ item: EvidenceItem; bytes: Buffer }> {
    checkAccess(access);
    const row = await findVisible(itemId);
    // Audited before decrypting: a read that then fails the integrity check was still attempted.
    await record(auditDb, access.actor, "evidence.read", { type: "evidence", id: itemId }, { caseId: row.case_id, reason: access.reason.trim(), sha256: row.sha256 });
    const bytes = await openRow(row);
    return { item: (await toItems([row]))[0]!, bytes };
  }

  /** Cases with evidence, newest first (for `lapwing evidence list` without a case). */
  async function cases(access: EvidenceAccess, query: { accountId?: string; limit?: number; offset?: number } = {}) {
    checkAccess(access);
    const rows = await repo.casesWithEvidence({ accountId: query.accountId, limit: Math.min(query.limit ?? 50, 500), offset: query.offset ?? 0 });
    await record(auditDb, access.actor, "evidence.cases", { type: "evidence", id: "*" }, { reason: access.reason.trim(), cases: rows.length });
    const ids = rows.map((r) => r.case_id);
    const [retention, held] = await Promise.all([repo.retentionOf(ids), repo.heldAmong(ids, clock().toISOString())]);
    return rows.map((r) => ({ caseId: r.case_id, items: Number(r.items), firstCapturedAt: r.first, lastCapturedAt: r.last, retainUntil: retention.get(r.case_id)?.retain_until ?? null, held: held.has(r.case_id) }));
  }

  // ---------------------------------------------------------------- retention

  function retentionDaysFor(jurisdiction: string): number {
    return deps.retention.byJurisdiction.get(jurisdiction.toUpperCase()) ?? deps.retention.days;
  }

  async function noteReported(caseId: string, input: { reportedAt: string; actor: string; jurisdiction?: string }): Promise<void> {
    const reportedAt = Date.parse(input.reportedAt);
    if (Number.isNaN(reportedAt)) throw new LapwingError("VALIDATION_FAILED", "reportedAt must be an ISO-8601 time.", { pointer: "/reportedAt" });
    const jurisdiction = (input.jurisdiction ?? deps.retention.defaultJurisdiction).toUpperCase();
    const until = new Date(reportedAt + retentionDaysFor(jurisdiction) * 86_400_000).toISOString();
    await repo.transaction(async (trx) => {
      const current = await repo.retention(caseId, trx);
      // Retention only ever lengthens: a second report (or a longer jurisdiction) never shortens the first.
      const retainUntil = current?.retain_until && current.reported_at && current.retain_until > until ? current.retain_until : until;
      await repo.setRetention(trx, { case_id: caseId, reported_at: new Date(reportedAt).toISOString(), jurisdiction, retain_until: retainUntil, updated_at: clock().toISOString() });
      await record(trx as unknown as Kysely<unknown>, input.actor, "evidence.retention", { type: "case", id: caseId }, { caseId, reportedAt: new Date(reportedAt).toISOString(), jurisdiction, retainUntil });
    });
  }

  /**
   * A reviewer's decision on a case, in its transaction: confirming it in a
   * child-safety category gathers its evidence (a job, so a crash after the
   * commit loses nothing); dismissing it ends the retention of evidence a
   * `preserve` decision kept, unless it was reported — a hold still keeps it.
   */
  async function onCaseDecided(trx: QueryExecutor, input: { caseId: string; accountId: string; decision: string; category?: string | null; actor: string }): Promise<void> {
    if ((input.decision === "confirm" && input.category && childSafetyCategories.has(input.category)) || input.decision === "safeguard") {
      await enqueueCapture(trx, { caseId: input.caseId, accountId: input.accountId, trigger: input.decision === "safeguard" ? "safeguard" : "case.confirm" });
    }
    if (input.decision === "dismiss") {
      const t = trx as Kysely<EvidenceTables>;
      const items = await t.selectFrom("evidence_items").select("id").where("case_id", "=", input.caseId).limit(1).execute();
      const current = await repo.retention(input.caseId, t);
      if (items.length === 0 || current?.reported_at) return;
      const now = clock().toISOString();
      await repo.setRetention(t, { case_id: input.caseId, reported_at: null, jurisdiction: null, retain_until: now, updated_at: now });
      await record(trx as unknown as Kysely<unknown>, input.actor, "evidence.retention", { type: "case", id: input.caseId }, { caseId: input.caseId, dismissed: true, retainUntil: now });
    }
  }

  async function enqueueCapture(trx: QueryExecutor, job: CaptureJob): Promise<void> {
    await deps.queue.enqueue(trx, { queue: evidenceQueueName, payload: job, key: `capture:${job.caseId}:${job.trigger}:${job.eventId ?? "*"}`, maxAttempts: 10 });
  }

  // ---------------------------------------------------------------- capture

  /**
   * A `preserve` decision on an event, in the event's transaction: inline
   * bytes are sealed now (the only moment Lapwing has them; the stored event
   * keeps only their hashes), and a job gathers the rest (URL media, the
   * account's details, the case's signals).
   */
  async function preserveEvent(
    trx: QueryExecutor,
    input: { caseId: string; accountId: string; eventId: string; event: PlatformEvent; mediaHashes?: ReadonlyMap<string, { pdq?: string; quality?: number }>; actor: string },
  ): Promise<number> {
    let stored = 0;
    for (const { media, owner, field } of contentOf(input.event)) {
      if (media.kind !== "bytes") continue;
      const bytes = Buffer.from(media.data_base64, "base64");
      if (bytes.length === 0) continue;
      const hashes = input.mediaHashes?.get(field);
      const pdq = hashes?.pdq !== undefined && hashes.quality !== undefined ? { pdq: hashes.pdq, quality: hashes.quality } : null;
      const { isNew } = await store(
        { caseId: input.caseId, accountId: input.accountId, kind: "content", bytes, contentId: media.id ?? owner.id, targetType: media.id ? "media" : owner.type, source: "event_bytes", eventId: input.eventId, trigger: "policy.preserve", publishedAt: input.event.occurred_at, actor: input.actor, pdq },
        trx,
      );
      if (isNew) stored++;
    }
    await enqueueCapture(trx, { caseId: input.caseId, accountId: input.accountId, trigger: "policy.preserve", eventId: input.eventId });
    return stored;
  }

  /**
   * Gathers a case's evidence (the capture job): each media item of its
   * events — fetched from its URL, or asked of the platform (`content.preserve`)
   * when Lapwing only has its hashes — then the account's details and the
   * case's signals as JSON. Safe to run again: stored bytes are kept once and
   * each request is made once.
   */
  async function capture(job: CaptureJob): Promise<{ stored: number; requested: number }> {
    let stored = 0;
    let requested = 0;
    const decisions = await deps.decisions.forCase(job.caseId);
    const eventIds = job.eventId ? [job.eventId] : [...new Set(decisions.map((d) => d.eventId))];
    for (const eventId of eventIds) {
      const row = await deps.events.find(eventId);
      if (!row) continue;
      const event = JSON.parse(row.payload) as PlatformEvent;
      for (const { media, owner } of contentOf(event)) {
        const contentId = media.id ?? owner.id;
        const targetType = media.id ? "media" : owner.type;
        const base = { caseId: job.caseId, accountId: job.accountId, kind: "content" as const, contentId, targetType, eventId, trigger: job.trigger, publishedAt: event.occurred_at, actor: "system" };
        if (media.kind === "bytes") {
          if ((await store({ ...base, bytes: Buffer.from(media.data_base64, "base64"), source: "event_bytes" })).isNew) stored++;
          continue;
        }
        if (media.kind === "hashes" && media.sha256 && (await repo.findBySha(job.caseId, "content", media.sha256))) continue;
        // A preserve decision's capture and the confirmation's both walk the case: fetch each URL once.
        if (media.kind === "url" && (await repo.findByUrl(job.caseId, media.url))) continue;
        if (media.kind === "url" && deps.fetcher) {
          const fetched = await deps.fetcher.fetchMedia(media.url);
          if (fetched.ok && fetched.bytes.length > 0) {
            if ((await store({ ...base, bytes: fetched.bytes, source: "url_fetch", sourceUrl: media.url, fileName: fileNameOfUrl(media.url) })).isNew) stored++;
            continue;
          }
        }
        if (await requestUpload({ caseId: job.caseId, accountId: job.accountId, target: { type: targetType, id: contentId }, expectedSha256: media.kind === "hashes" ? (media.sha256 ?? null) : null, eventId, trigger: job.trigger })) requested++;
      }
    }
    const account = await deps.events.latestAccount(job.accountId);
    if (account) {
      const payload = JSON.parse(account.payload) as Extract<PlatformEvent, { type: "account.created" }>;
      const details = { accountId: accountRefOf(job.accountId).id, ...platformFieldOf(job.accountId), eventId: account.id, account: { ...payload.account, avatar: payload.account.avatar ? describeMedia(payload.account.avatar) : undefined } };
      if ((await store({ caseId: job.caseId, accountId: job.accountId, kind: "account", bytes: Buffer.from(JSON.stringify(details, null, 2)), targetType: "account", contentId: accountRefOf(job.accountId).id, source: "lapwing", eventId: account.id, trigger: job.trigger, actor: "system", fileName: "account.json" })).isNew) stored++;
    }
    if (decisions.length > 0) {
      const signals = { caseId: job.caseId, accountId: job.accountId, decisions: decisions.map((d) => ({ id: d.id, eventId: d.eventId, createdAt: d.createdAt, kinds: d.kinds, decisions: d.decisions, signals: d.signals })) };
      if ((await store({ caseId: job.caseId, accountId: job.accountId, kind: "signals", bytes: Buffer.from(JSON.stringify(signals, null, 2)), source: "lapwing", trigger: job.trigger, actor: "system", fileName: "signals.json" })).isNew) stored++;
    }
    return { stored, requested };
  }

  /** Asks the platform to upload content (a `content.preserve` action); once per case and target. */
  async function requestUpload(input: { caseId: string; accountId: string; target: { type: string; id: string }; expectedSha256: string | null; eventId: string | null; trigger: string }): Promise<boolean> {
    return repo.transaction(async (trx) => {
      const id = newId(clock().getTime());
      const row: RequestRow = {
        id,
        case_id: input.caseId,
        account_id: input.accountId,
        target_type: input.target.type,
        target_id: input.target.id,
        expected_sha256: input.expectedSha256,
        event_id: input.eventId,
        trigger: input.trigger,
        state: "pending",
        requested_at: clock().toISOString(),
        received_at: null,
        item_id: null,
      };
      if (!(await repo.insertRequest(trx, row))) return false;
      const action: ActionRequest = {
        key: `preserve:${id}`,
        kind: "content.preserve",
        accountId: input.accountId,
        target: input.target as ActionRequest["target"],
        caseId: input.caseId,
        actor: "system",
        reason: "Preserve this content for a legally required report: upload its original bytes to the preservation endpoint.",
        details: { preservation: { requestId: id, uploadPath: `/v1/evidence/preservations/${id}`, expectedSha256: input.expectedSha256 } },
      };
      await deps.actions.emit(trx as unknown as QueryExecutor, [action]);
      await record(trx as unknown as Kysely<unknown>, "system", "evidence.request", { type: "evidence_request", id }, { caseId: input.caseId, target: `${input.target.type}:${input.target.id}` });
      return true;
    });
  }

  /**
   * The platform's answer to `content.preserve`: the bytes, checked against the
   * expected SHA-256 when Lapwing knows it. A request is answered once.
   */
  async function acceptUpload(requestId: string, bytes: Buffer, actor: string): Promise<{ request: PreservationRequest; item: EvidenceItem }> {
    const request = await repo.findRequest(requestId);
    if (!request) throw new LapwingError("EVIDENCE_NOT_FOUND", `No preservation request has id "${requestId}".`);
    if (request.state !== "pending") throw new LapwingError("CONFLICT", `Preservation request ${requestId} is already ${request.state}${request.item_id ? ` (item ${request.item_id})` : ""}.`);
    if (bytes.length === 0) throw new LapwingError("MEDIA_EMPTY", "The upload has zero bytes: send the content's original file.");
    const { sha256 } = digestMedia(bytes);
    if (request.expected_sha256 && !sameHex(sha256, request.expected_sha256)) {
      throw new LapwingError("EVIDENCE_HASH_MISMATCH", `The upload's SHA-256 is ${sha256}, but the content Lapwing saw had ${request.expected_sha256}: upload the original, unmodified file.`);
    }
    return repo.transaction(async (trx) => {
      const { item } = await store(
        { caseId: request.case_id, accountId: request.account_id, kind: "content", bytes, contentId: request.target_id, targetType: request.target_type, source: "platform_upload", eventId: request.event_id, trigger: request.trigger, actor },
        trx as unknown as QueryExecutor,
      );
      const change = { state: "received", received_at: clock().toISOString(), item_id: item.id };
      await repo.setRequest(trx, requestId, change);
      return { request: toRequest({ ...request, ...change }), item };
    });
  }

  async function handleCaptureJob(job: Job<CaptureJob>): Promise<void> {
    await capture(job.payload);
  }

  // ---------------------------------------------------------------- holds

  function checkUntil(until: string | null | undefined, pointer: string): string | null {
    if (until === undefined || until === null) return null;
    const t = Date.parse(until);
    if (Number.isNaN(t)) throw new LapwingError("VALIDATION_FAILED", "until must be an ISO-8601 time (or omitted for a hold until released).", { pointer });
    if (t <= clock().getTime()) throw new LapwingError("VALIDATION_FAILED", "until must be in the future.", { pointer });
    return new Date(t).toISOString();
  }

  async function setHold(caseId: string, input: { until?: string | null }, access: EvidenceAccess): Promise<EvidenceHold> {
    checkAccess(access);
    const until = checkUntil(input.until, "/until");
    const now = clock().toISOString();
    const reason = access.reason.trim();
    const row: HoldRow = { id: newId(clock().getTime()), case_id: caseId, reason, set_by: access.actor, set_at: now, until, released_at: null, released_by: null, release_reason: null, history: JSON.stringify([{ at: now, actor: access.actor, change: "set", reason, until }]) };
    await repo.transaction(async (trx) => {
      await repo.insertHold(trx, row);
      await record(trx as unknown as Kysely<unknown>, access.actor, "evidence.hold.set", { type: "evidence_hold", id: row.id }, { caseId, reason, until });
    });
    return toHold(row);
  }

  async function changeHold(holdId: string, access: EvidenceAccess, change: "extend" | "release", until: string | null): Promise<EvidenceHold> {
    checkAccess(access);
    return repo.transaction(async (trx) => {
      const row = await repo.findHold(holdId, trx);
      if (!row) throw new LapwingError("EVIDENCE_NOT_FOUND", `No legal hold has id "${holdId}".`);
      if (row.released_at) throw new LapwingError("CONFLICT", `Legal hold ${holdId} was released at ${row.released_at} by ${row.released_by}; set a new hold instead.`);
      const now = clock().toISOString();
      const reason = access.reason.trim();
      const history = [...(JSON.parse(row.history) as EvidenceHold["history"]), { at: now, actor: access.actor, change, reason, until }];
      let update: Partial<HoldRow>;
      if (change === "extend") {
        if (row.until === null) throw new LapwingError("CONFLICT", `Legal hold ${holdId} already holds until released.`);
        if (until !== null && until <= row.until) throw new LapwingError("VALIDATION_FAILED", `An extension must end after the hold's current end (${row.until}).`, { pointer: "/until" });
        update = { until, history: JSON.stringify(history) };
      } else {
        update = { released_at: now, released_by: access.actor, release_reason: reason, history: JSON.stringify(history) };
      }
      await repo.setHold(trx, holdId, update);
      await record(trx as unknown as Kysely<unknown>, access.actor, `evidence.hold.${change}`, { type: "evidence_hold", id: holdId }, { caseId: row.case_id, reason, until });
      return toHold({ ...row, ...update });
    });
  }

  const extendHold = (holdId: string, input: { until?: string | null }, access: EvidenceAccess) => changeHold(holdId, access, "extend", input.until === undefined || input.until === null ? null : checkUntil(input.until, "/until"));
  const releaseHold = (holdId: string, access: EvidenceAccess) => changeHold(holdId, access, "release", null);

  // ---------------------------------------------------------------- purge and rotation

  /**
   * Deletes the evidence of every case whose retention has ended and that no
   * hold keeps; audited per case (`evidence.purge`, with each item's SHA-256)
   * and for the held ones it kept. Rows go first (without its wrapped key an
   * object cannot be decrypted), then the objects.
   */
  async function purgeExpired(actor: string): Promise<{ purgedCases: string[]; purgedItems: number; keptByHold: string[] }> {
    const now = clock().toISOString();
    const expired = await repo.expiredCases(now);
    const held = await repo.heldAmong(expired, now);
    const purgedCases: string[] = [];
    let purgedItems = 0;
    for (const caseId of expired) {
      if (held.has(caseId)) continue;
      const keys = await repo.transaction(async (trx) => {
        // Checked again in the deleting transaction: a hold set since the list was read wins.
        if ((await repo.heldAmong([caseId], clock().toISOString(), trx)).has(caseId)) return undefined;
        const items = await repo.itemsOfCase(caseId, trx);
        await repo.deleteItems(trx, items.map((i) => i.id));
        await trx.updateTable("evidence_requests").set({ state: "cancelled" }).where("case_id", "=", caseId).where("state", "=", "pending").execute();
        await trx.updateTable("evidence_cases").set({ retain_until: null, updated_at: now }).where("case_id", "=", caseId).execute();
        if (items.length > 0) {
          await record(trx as unknown as Kysely<unknown>, actor, "evidence.purge", { type: "case", id: caseId }, { caseId, items: items.map((i) => ({ id: i.id, sha256: i.sha256 })) });
        }
        return items.map((i) => i.storage_key);
      });
      if (!keys) continue;
      for (const key of keys) await storage.delete(key);
      if (keys.length > 0) purgedCases.push(caseId);
      purgedItems += keys.length;
    }
    const keptByHold = expired.filter((c) => held.has(c));
    if (keptByHold.length > 0) await record(auditDb, actor, "evidence.purge.held", { type: "evidence", id: "*" }, { keptByHold });
    return { purgedCases, purgedItems, keptByHold };
  }

  /**
   * Re-wraps every data key not under the current master key (the bytes are
   * not re-encrypted: only the 32-byte keys are). Run after configuring the new
   * key with the old one in LAPWING_EVIDENCE_PREVIOUS_KEYS; once it reports
   * nothing left, the old key can be removed.
   */
  async function rotateKey(actor: string, onProgress?: (done: number, total: number) => void): Promise<{ rewrapped: number; total: number; keyId: string }> {
    const keyring = deps.keyring();
    const total = await repo.countNotUnderKey(keyring.current.id);
    let rewrapped = 0;
    for (let after = ""; ; ) {
      const page = await repo.itemsPage(after, 500);
      if (page.length === 0) break;
      for (const row of page) {
        if (row.key_id === keyring.current.id) continue;
        const dataKey = unwrapDataKey(keyring, row.id, { keyId: row.key_id, wrapped: row.wrapped_key });
        const wrapped = wrapDataKey(keyring, row.id, dataKey);
        if (await repo.rewrap(row.id, row.key_id, { key_id: wrapped.keyId, wrapped_key: wrapped.wrapped })) rewrapped++;
        onProgress?.(rewrapped, total);
      }
      after = page[page.length - 1]!.id;
    }
    await record(auditDb, actor, "evidence.key.rotate", { type: "evidence_key", id: keyring.current.id }, { rewrapped, total });
    return { rewrapped, total, keyId: keyring.current.id };
  }

  // ---------------------------------------------------------------- export

  /**
   * A case's evidence as a tar archive for law enforcement: the decrypted items
   * and a manifest of their hashes, itself hashed (see archive.ts). Every item
   * is integrity-checked first; audited as `evidence.export`.
   */
  async function exportCase(caseId: string, access: EvidenceAccess): Promise<{ archive: Buffer; manifest: ExportManifest; manifestSha256: string }> {
    checkAccess(access);
    const rows = await repo.itemsOfCase(caseId);
    if (rows.length === 0) throw new LapwingError("EVIDENCE_NOT_FOUND", `Case ${caseId} has no preserved evidence to export.`);
    const total = rows.reduce((n, r) => n + Number(r.byte_size), 0);
    if (total > maxExportBytes) throw new LapwingError("PAYLOAD_TOO_LARGE", `Case ${caseId} holds ${total} bytes of evidence, more than one archive (2 GiB) takes.`);
    const now = clock();
    await record(auditDb, access.actor, "evidence.export", { type: "case", id: caseId }, { caseId, reason: access.reason.trim(), items: rows.map((r) => r.id) });
    const files = new Map<string, Buffer>();
    const manifest: ExportManifest = { format: "lapwing-evidence-export", version: 1, caseId, exportedAt: now.toISOString(), exportedBy: access.actor, reason: access.reason.trim(), files: [] };
    for (const [i, row] of rows.entries()) {
      const bytes = await openRow(row);
      const path = `items/${String(i + 1).padStart(3, "0")}-${row.id}${extensionOf(row.mime_type)}`;
      files.set(path, bytes);
      manifest.files.push({ path, itemId: row.id, kind: row.kind as EvidenceKind, fileName: row.file_name, byteSize: Number(row.byte_size), md5: row.md5, sha256: row.sha256, pdq: row.pdq, capturedAt: row.captured_at, source: row.source as EvidenceSource, contentId: row.content_id });
    }
    const { archive, manifestSha256 } = buildExportArchive(manifest, files, now);
    return { archive, manifest, manifestSha256 };
  }

  const service: EvidenceService = { list, caseEvidence, get, read, noteReported };
  return {
    ...service,
    cases,
    store,
    preserveEvent,
    capture,
    handleCaptureJob,
    onCaseDecided,
    requestUpload,
    acceptUpload,
    setHold,
    extendHold,
    releaseHold,
    holds: async (caseId: string) => (await repo.holdsOfCase(caseId)).map(toHold),
    purgeExpired,
    rotateKey,
    exportCase,
    storageKind: storage.kind,
  };
}

export type EvidenceVault = ReturnType<typeof createEvidenceService>;

/** The columns authenticated with the bytes, in a fixed order. */
type Metadata = Omit<ItemRow, "iv" | "tag" | "key_id" | "wrapped_key" | "integrity">;

function metadataOf(row: ItemRow): Metadata {
  return {
    id: row.id,
    case_id: row.case_id,
    account_id: row.account_id,
    kind: row.kind,
    content_id: row.content_id,
    target_type: row.target_type,
    file_name: row.file_name,
    mime_type: row.mime_type,
    byte_size: Number(row.byte_size),
    md5: row.md5,
    sha256: row.sha256,
    pdq: row.pdq,
    pdq_quality: row.pdq_quality === null ? null : Number(row.pdq_quality),
    captured_at: row.captured_at,
    source: row.source,
    source_url: row.source_url,
    event_id: row.event_id,
    trigger: row.trigger,
    published_at: row.published_at,
    storage_key: row.storage_key,
  };
}

/** JSON of the metadata with keys in a fixed order (the AES-GCM additional data). */
export function canonicalMetadata(meta: Metadata): string {
  const m = metadataOf(meta as ItemRow);
  return JSON.stringify(["lapwing-evidence/1", m.id, m.case_id, m.account_id, m.kind, m.content_id, m.target_type, m.file_name, m.mime_type, m.byte_size, m.md5, m.sha256, m.pdq, m.pdq_quality, m.captured_at, m.source, m.source_url, m.event_id, m.trigger, m.published_at, m.storage_key]);
}

function toItem(row: ItemRow, retainUntil: string | null, held: boolean): EvidenceItem {
  return {
    id: row.id,
    caseId: row.case_id,
    // Stored (and sealed) by scoped key (src/events/tenancy.ts); shown as the platform's id and platform.
    accountId: accountRefOf(row.account_id).id,
    ...platformFieldOf(row.account_id),
    kind: row.kind as EvidenceKind,
    contentId: row.content_id,
    targetType: row.target_type,
    fileName: row.file_name,
    mimeType: row.mime_type,
    byteSize: Number(row.byte_size),
    md5: row.md5,
    sha256: row.sha256,
    pdq: row.pdq,
    pdqQuality: row.pdq_quality === null ? null : Number(row.pdq_quality),
    capturedAt: row.captured_at,
    source: row.source as EvidenceSource,
    sourceUrl: row.source_url,
    eventId: row.event_id,
    trigger: row.trigger,
    publishedAt: row.published_at,
    retainUntil,
    held,
    keyId: row.key_id,
  };
}

function toHold(row: HoldRow): EvidenceHold {
  return {
    id: row.id,
    caseId: row.case_id,
    reason: row.reason,
    setBy: row.set_by,
    setAt: row.set_at,
    until: row.until,
    releasedAt: row.released_at,
    releasedBy: row.released_by,
    releaseReason: row.release_reason,
    history: JSON.parse(row.history) as EvidenceHold["history"],
  };
}

function toRequest(row: RequestRow): PreservationRequest {
  return {
    id: row.id,
    caseId: row.case_id,
    accountId: accountRefOf(row.account_id).id,
    ...platformFieldOf(row.account_id),
    target: { type: row.target_type, id: row.target_id },
    expectedSha256: row.expected_sha256,
    state: row.state as PreservationRequest["state"],
    requestedAt: row.requested_at,
    receivedAt: row.received_at,
    itemId: row.item_id,
  };
}

/** Each media item of an event with the post, comment or account it belongs to. */
function contentOf(event: PlatformEvent): Array<{ media: EventMedia; owner: { type: string; id: string }; field: string }> {
  const owner =
    event.type === "post.created" || event.type === "post.updated"
      ? { type: "post", id: event.post.id }
      : event.type === "comment.created"
        ? { type: "comment", id: event.comment.id }
        : event.type === "account.created" || event.type === "account.updated"
          ? { type: "account", id: event.account.id }
          : undefined;
  if (!owner) return [];
  return mediaFields(event).map(({ media, field }) => ({ media, owner, field }));
}

function describeMedia(media: EventMedia): Record<string, unknown> {
  if (media.kind === "bytes") return { kind: "bytes", id: media.id, content_type: media.content_type };
  return { ...media };
}

const mimeByFormat: Record<string, string> = { jpeg: "image/jpeg", png: "image/png", gif: "image/gif", webp: "image/webp", tiff: "image/tiff", bmp: "image/bmp", avif: "image/avif" };

function mimeOf(bytes: Buffer): string {
  const format = sniffFormat(bytes);
  if (format) return mimeByFormat[format] ?? "application/octet-stream";
  if (bytes.length >= 12 && bytes.toString("latin1", 4, 8) === "ftyp") return "video/mp4";
  return "application/octet-stream";
}

function extensionOf(mime: string): string {
  const ext: Record<string, string> = { "image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp", "image/tiff": ".tif", "image/bmp": ".bmp", "image/avif": ".avif", "video/mp4": ".mp4", "application/json": ".json" };
  return ext[mime] ?? ".bin";
}

function defaultFileName(input: StoreInput, mime: string): string {
  if (input.kind === "account") return "account.json";
  if (input.kind === "signals") return "signals.json";
  return `${input.targetType ?? "content"}-${input.contentId ?? "unknown"}${extensionOf(mime)}`;
}

function fileNameOfUrl(url: string): string | undefined {
  try {
    const last = new URL(url).pathname.split("/").pop();
    return last ? decodeURIComponent(last) : undefined;
  } catch {
    return undefined;
  }
}

/** A file name safe to show and to put in a report: no path, no control characters, at most 200 characters. */
function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const clean = base.replace(/[\u0000-\u001f\u007f\p{Cs}]/gu, "_").slice(0, 200);
  return clean === "" || clean === "." || clean === ".." ? "content.bin" : clean;
}
