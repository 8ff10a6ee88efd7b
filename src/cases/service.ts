import type { Kysely } from "kysely";
import { reversalOf, type Action, type ActionRequest, type ActionService } from "../actions/index.js";
import type { AuditEntry, AuditLog } from "../audit/index.js";
import { LapwingError } from "../errors/index.js";
import { reviewPriorities, withoutFinalStop, type ReviewPriority, type Signal } from "../policy/index.js";
import { assessSafeguarding, reportAnnotations, type CaseVictim, type SafeguardingAssessment, type SafeguardResources } from "../safeguarding/index.js";
import type { QueryExecutor } from "../queue/index.js";
import { industryClassifications, type IndustryClassification } from "../reports/types.js";
import type { ReportRequest } from "../reports/service.js";
import { newId, type SeqBlock } from "../store/index.js";
import type { AccountProfile } from "../events/profile.js";
import { accountRefOf, platformFieldOf } from "../events/tenancy.js";
import type { CaseHistoryRow, CaseListFilter, CaseRepository, CaseRow } from "./repository.js";
import type { CaseTables } from "./tables.js";
import { caseIdsInAuditEntry, redactAuditEntry } from "./visibility.js";
import { reviewerDecisions, type CaseState, type ReviewerDecision } from "./vocabulary.js";

export { caseStates, reviewerDecisions, type CaseState, type ReviewerDecision } from "./vocabulary.js";

/** Who is asking. Only child-safety reviewers may see restricted (CSAM) cases. */
export interface Reviewer {
  /** Audit actor and claimant: `user:<id>` or `key:<id>:<name>`. */
  actor: string;
  canSeeRestricted: boolean;
}

export interface CaseSummary {
  id: string;
  /** The platform's account id (stored as its scoped key, src/events/tenancy.ts; split here, where the answer is built). */
  accountId: string;
  /** The account's platform; absent for the default platform (docs/tenancy.md). */
  platformId?: string;
  /** A claim that has expired reads as `open` (or `escalated`) again. */
  state: CaseState;
  priority: ReviewPriority;
  restricted: boolean;
  reportRequested: boolean;
  decisionCount: number;
  openedAt: string;
  updatedAt: string;
  /** Seconds since the case opened, at the time of reading. */
  ageSeconds: number;
  claimedBy: string | null;
  claimExpiresAt: string | null;
  escalated: boolean;
  decidedAt: string | null;
  decidedBy: string | null;
  outcome: ReviewerDecision | null;
  outcomeCategory: string | null;
  note: string | null;
  /** The young person the case is about, as the CyberTipline report names them; set by a confirm or safeguard decision when the subject appears to be a minor. */
  victim: CaseVictim | null;
  /** Report annotations (`sextortion`, `possible_self_production`, `targeted_by_network`, …), set with the decision. */
  annotations: string[];
}

export interface CaseHistoryEntry {
  at: string;
  actor: string;
  kind: string;
  details: Record<string, unknown>;
}

/** An automated decision as a case shows it (stored by src/enforcement). */
export interface CaseDecision {
  id: string;
  eventId: string;
  policyVersion: number;
  kinds: string[];
  reviewPriority: string | null;
  decisions: unknown[];
  shadow: unknown[];
  signals: unknown[];
  createdAt: string;
}

/** A case's decision with the texts its event carried, so a reviewer sees a signal's spans in the original text. */
export interface CaseDecisionWithTexts extends CaseDecision {
  /** Each text field of the decision's event (`/account/bio`, `/post/text`), as the detectors read it. */
  texts: Array<{ field: string; text: string }>;
}

/** The account a case is about, as the platform's profile events describe it. */
export type CaseAccount = AccountProfile;

export interface CaseDetail extends CaseSummary {
  /** Whether the case offers a safeguarding decision (a minor, with evidence of exploitation risk), and why. */
  safeguarding: SafeguardingAssessment;
  decisions: CaseDecisionWithTexts[];
  actions: Action[];
  history: CaseHistoryEntry[];
  /** The account's profile; null when the platform sent no profile event for it. */
  account: CaseAccount | null;
  /** The account's other cases the reader may see, newest first (its history with Lapwing). */
  accountCases: CaseSummary[];
}

/** An automated decision to add to its account's undecided case. */
export interface CaseAttachment {
  accountId: string;
  decisionId: string;
  priority: ReviewPriority;
  restricted: boolean;
  reportRequested: boolean;
  /** The decision's explanation, kept in the case history. */
  reason: string;
}

/** An automated change to an account's undecided case: a decision added, or what the platform did noted. */
export type CaseChange = ({ kind: "attach" } & CaseAttachment) | { kind: "note"; accountId: string; outcome: Record<string, unknown> };

const byAccount = (a: { accountId: string }, b: { accountId: string }) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0);

/** What the queue can be filtered on. */
export interface CaseQuery {
  states?: readonly CaseState[];
  /** This priority or more urgent. */
  priority?: ReviewPriority;
  accountId?: string;
  /** Only restricted (true) or unrestricted (false) cases; restricted ones only ever for those who may see them. */
  restricted?: boolean;
  /** Cases with a signal of this type. */
  signalType?: string;
  /** Cases with a decision this (enforced) policy made. */
  policyId?: string;
  /** Cases whose live claim this actor holds; `null` for cases nobody holds. */
  claimedBy?: string | null;
  limit?: number;
  offset?: number;
}

/** How many cases the filters select (paging aside). */
export interface CaseCounts {
  total: number;
  byState: Record<CaseState, number>;
  byPriority: Record<ReviewPriority, number>;
}

export interface DecideInput {
  decision: ReviewerDecision;
  /** Required for `confirm`: what the reviewer found (`csam`, `grooming`, `seller_advert`, …). */
  category?: string;
  note?: string;
  /** Report annotations to add to those the signals justify (confirm and safeguard only). */
  annotations?: string[];
  /** The industry classification of the content (`A1`, `A2`, `B1`, `B2`; confirm only): each report file carries it (docs/reporting.md). */
  industryClassification?: IndustryClassification;
}

export interface CaseServiceOptions {
  actions: Pick<ActionService, "emit" | "forCase" | "list">;
  audit: AuditLog;
  /** Reads the automated decisions attached to a case. */
  decisions: { forCase(caseId: string): Promise<CaseDecision[]> };
  /** Reads the account and texts behind a case (src/events); without it, cases show neither. */
  subjects?: {
    profileOf(accountId: string): Promise<CaseAccount | null>;
    textsOf(eventId: string): Promise<Array<{ field: string; text: string }>>;
  };
  /** How long a claim holds before another reviewer may take the case. */
  claimMinutes: number;
  /** Sent with `account.safeguard` actions. */
  helpResources: readonly unknown[];
  /**
   * Creates the CyberTipline report of a confirmed case (src/reports/), inside
   * the confirmation's transaction; it decides itself whether one is due.
   */
  reports?: {
    requestForCase(trx: QueryExecutor, input: ReportRequest): Promise<string | undefined>;
  };
  /** Help for young people by country, sent with a reviewer's `account.safeguard` (src/safeguarding). */
  safeguardResources?: SafeguardResources;
  /** Told of each decision in its transaction (the evidence vault gathers a confirmed case's evidence). */
  onDecided?: (trx: QueryExecutor, decided: { caseId: string; accountId: string; decision: ReviewerDecision; category: string | null; actor: string }) => Promise<void>;
  clock?: () => Date;
}

const maxListLimit = 500;
const categoryPattern = /^[a-z0-9][a-z0-9_-]{0,49}$/;

/**
 * Review cases: one undecided case per account gathers every automated
 * decision about it (`attach`, called by src/enforcement in the decision's
 * transaction). Reviewers list the queue (most urgent, then oldest, first),
 * claim a case exclusively for `claimMinutes`, release it, or decide it; a
 * decision emits its actions (removals or reversals) in the same transaction
 * and is audited. `decideMany` does the same for a set of related accounts.
 *
 * Restricted cases (a child sexual abuse hash match) are invisible to
 * reviewers without `canSeeRestricted`: they read as not found.
 *
 * @example
 * const { cases } = await caseService.list(reviewer);
 * await caseService.claim(cases[0].id, reviewer);
 * await caseService.decide(cases[0].id, reviewer, { decision: "dismiss", note: "news report" });
 */
export function createCaseService(repo: CaseRepository, options: CaseServiceOptions) {
  const clock = options.clock ?? (() => new Date());
  const claimMs = options.claimMinutes * 60_000;

  /**
   * Adds an automated decision to the account's undecided case, opening one
   * when there is none; priority only ever rises. Runs in the caller's
   * transaction. Returns the case id and whether it was opened now.
   */
  async function attach(trx: QueryExecutor, input: CaseAttachment): Promise<{ caseId: string; isNew: boolean }> {
    const [attached] = await changeMany(trx, [{ kind: "attach", ...input }]);
    // Unreachable: an attachment always ends in a case.
    if (!attached) throw new Error(`No undecided case for account ${input.accountId} after opening one.`);
    return attached;
  }

  /**
   * Applies automated case changes in order, in the caller's transaction, with
   * the same effect as applying them one by one (`attach` each decision, note
   * each platform outcome) but a few statements for all of them: an event
   * batch's decisions about many accounts. The undecided cases of the accounts
   * named are opened where needed and locked (in account order, so two
   * workers' batches cannot deadlock on them), then changed in memory and
   * written back at once. A note reaches only a case that exists at its turn
   * (an earlier change may have opened it); it returns undefined otherwise.
   */
  async function changeMany(trx: QueryExecutor, changes: readonly CaseChange[]): Promise<Array<{ caseId: string; isNew: boolean } | undefined>> {
    const changed = await prepareChanges(trx, changes);
    await changed.writeHistory();
    return changed.results;
  }

  /**
   * `changeMany` with its case history written last, by the caller: the cases
   * are opened, locked and updated now, and `writeHistory(numbers)` inserts the
   * `historyCount` entries, numbered from a block of `seq` the caller takes for
   * its other rows too (an event batch takes one for history, actions and
   * audit, as late as it can: see src/store/counters.ts `allocateSeqBlock`).
   */
  async function prepareChanges(
    trx: QueryExecutor,
    changes: readonly CaseChange[],
  ): Promise<{ results: Array<{ caseId: string; isNew: boolean } | undefined>; historyCount: number; writeHistory(numbers?: SeqBlock): Promise<void> }> {
    if (changes.length === 0) return { results: [], historyCount: 0, writeHistory: async () => {} };
    const db = trx as Kysely<CaseTables>;
    const now = clock().toISOString();
    // A case opened now starts as its account's first attachment says (as if that attach had opened it).
    const firstAttachment = new Map<string, CaseAttachment>();
    for (const change of changes) if (change.kind === "attach" && !firstAttachment.has(change.accountId)) firstAttachment.set(change.accountId, change);
    const opened = await repo.openManyIfNone(
      db,
      [...firstAttachment.values()].sort(byAccount).map((input) => ({
        id: newId(clock().getTime()),
        account_id: input.accountId,
        state: "open",
        priority_rank: reviewPriorities.indexOf(input.priority),
        restricted: input.restricted ? 1 : 0,
        report_requested: input.reportRequested ? 1 : 0,
        decision_count: 0,
        opened_at: now,
        updated_at: now,
        claimed_by: null,
        claim_expires_at: null,
        escalated: 0,
        decided_at: null,
        decided_by: null,
        outcome: null,
        outcome_category: null,
        note: null,
        victim: null,
        annotations: null,
        industry_classification: null,
      })),
    );
    const undecided = new Map((await repo.findUndecidedForUpdateMany(db, [...new Set(changes.map((c) => c.accountId))])).map((row) => [row.account_id, row]));
    // Accounts whose case exists at this point of the sequence: those opened here exist from their first attachment on.
    const existing = new Set([...undecided.keys()].filter((accountId) => !opened.has(accountId)));
    const changed = new Map<string, CaseRow>();
    const history: Array<Omit<CaseHistoryRow, "seq">> = [];
    const results = changes.map((change) => {
      const current = undecided.get(change.accountId);
      if (change.kind === "note") {
        if (!current || !existing.has(change.accountId)) return undefined;
        current.updated_at = now;
        changed.set(current.id, current);
        history.push(historyRow(current.id, now, "platform", "platform.outcome", change.outcome));
        return { caseId: current.id, isNew: false };
      }
      // Unreachable: the insert above either made the case or met the one that blocks it, and this transaction holds it now.
      if (!current) throw new Error(`No undecided case for account ${change.accountId} after opening one.`);
      const isNew = !existing.has(change.accountId);
      existing.add(change.accountId);
      current.priority_rank = Math.min(current.priority_rank, reviewPriorities.indexOf(change.priority));
      current.restricted = Math.max(current.restricted, change.restricted ? 1 : 0);
      current.report_requested = Math.max(current.report_requested, change.reportRequested ? 1 : 0);
      current.decision_count = Number(current.decision_count) + 1;
      current.updated_at = now;
      changed.set(current.id, current);
      if (isNew) history.push(historyRow(current.id, now, "system", "opened", { priority: change.priority }));
      history.push(historyRow(current.id, now, "system", "decision.added", { decisionId: change.decisionId, priority: change.priority, reason: change.reason }));
      return { caseId: current.id, isNew };
    });
    await repo.setCounts(db, [...changed.values()]);
    return { results, historyCount: history.length, writeHistory: (numbers) => repo.addHistory(db, history, numbers) };
  }

  /** The queue: undecided cases (or `states`), most urgent first, then oldest, with the counts the filters select. */
  async function list(reviewer: Reviewer, query: CaseQuery = {}): Promise<{ cases: CaseSummary[]; counts: CaseCounts }> {
    const now = clock();
    const filter = toFilter(reviewer, query, now);
    const rows = await repo.list({ ...filter, limit: Math.min(query.limit ?? 50, maxListLimit), offset: query.offset ?? 0 });
    let cases = rows.map((row) => toSummary(row, now));
    // A lapsed claim lists as open; asking for `claimed` or `open` filters on what the reviewer would see.
    if (query.states && query.states.length > 0) cases = cases.filter((c) => query.states!.includes(c.state));
    const counts: CaseCounts = { total: 0, byState: { open: 0, claimed: 0, escalated: 0, decided: 0 }, byPriority: { urgent: 0, high: 0, normal: 0, low: 0 } };
    for (const group of await repo.countFiltered(filter)) {
      const state = (group.state === "claimed" && !group.isClaimLive ? (group.escalated ? "escalated" : "open") : group.state) as CaseState;
      if (query.states && query.states.length > 0 && !query.states.includes(state)) continue;
      counts.total += group.count;
      counts.byState[state] += group.count;
      counts.byPriority[reviewPriorities[group.priorityRank] ?? "low"] += group.count;
    }
    return { cases, counts };
  }

  function toFilter(reviewer: Reviewer, query: CaseQuery, now: Date): Omit<CaseListFilter, "limit" | "offset"> {
    return {
      states: query.states && query.states.length > 0 ? query.states.flatMap((s) => (s === "open" || s === "escalated" ? [s, "claimed"] : [s])) : ["open", "claimed", "escalated"],
      isRestrictedHidden: !reviewer.canSeeRestricted,
      restricted: query.restricted,
      maxPriorityRank: query.priority ? reviewPriorities.indexOf(query.priority) : undefined,
      accountId: query.accountId,
      signalType: query.signalType,
      policyId: query.policyId,
      claimedBy: query.claimedBy,
      now: now.toISOString(),
    };
  }

  /**
   * Claims the next case of the queue (most urgent, then oldest) that nobody
   * holds, among those the filters select, leaving out cases the reviewer
   * escalated themselves (they asked for someone else); null when there is none. Two
   * reviewers asking at once get different cases: each claim takes the
   * case's row lock and re-checks it, and a case taken in between is skipped.
   */
  async function claimNext(reviewer: Reviewer, query: Omit<CaseQuery, "claimedBy" | "limit" | "offset"> = {}): Promise<CaseSummary | null> {
    const states = (query.states?.length ? query.states : (["open", "escalated"] as const)).filter((s) => s === "open" || s === "escalated");
    if (states.length === 0) return null;
    const page = 25;
    for (let offset = 0; offset < page * 8; offset += page) {
      const now = clock();
      const rows = await repo.list({ ...toFilter(reviewer, { ...query, states, claimedBy: null }, now), notEscalatedBy: reviewer.actor, limit: page, offset });
      for (const row of rows) {
        try {
          return await claim(row.id, reviewer);
        } catch (error) {
          if (error instanceof LapwingError && (error.code === "CASE_CLAIMED" || error.code === "CASE_DECIDED")) continue;
          throw error;
        }
      }
      if (rows.length < page) break;
    }
    return null;
  }

  /** The case with everything in it. Opening a restricted (CSAM) case is audited as `case.view`. */
  async function get(id: string, reviewer: Reviewer): Promise<CaseDetail> {
    const row = visible(await repo.find(id), reviewer, id);
    if (row.restricted === 1) await options.audit.record(repo.db as unknown as Kysely<unknown>, { actor: reviewer.actor, action: "case.view", target: { type: "case", id } });
    const now = clock();
    const summary = toSummary(row, now);
    const subjects = options.subjects;
    const [decisions, actions, history, account, accountRows] = await Promise.all([
      options.decisions.forCase(id),
      options.actions.list({ caseId: id, limit: 1000 }, reviewer),
      repo.history(id),
      subjects ? subjects.profileOf(row.account_id) : null,
      repo.forAccount(row.account_id, !reviewer.canSeeRestricted, 50),
    ]);
    const withTexts = await Promise.all(decisions.map(async (d) => ({ ...d, texts: subjects ? await subjects.textsOf(d.eventId) : [] })));
    return {
      ...summary,
      safeguarding: shownAssessment(assessSafeguarding(row.account_id, signalsOf(decisions))),
      decisions: withTexts,
      actions: actions.actions,
      history: history.map(toHistoryEntry),
      // The profile is folded under the account's scoped key; the answer names it as the summary does.
      account: account ? { ...account, id: accountRefOf(row.account_id).id } : null,
      accountCases: accountRows.filter((r) => r.id !== id).map((r) => toSummary(r, now)),
    };
  }

  /** The case's summary when `reviewer` may see it (CASE_NOT_FOUND otherwise); unlike `get`, not a view of its evidence, so not audited. */
  async function summary(id: string, reviewer: Pick<Reviewer, "canSeeRestricted">): Promise<CaseSummary> {
    return toSummary(visible(await repo.find(id), { actor: "", ...reviewer }, id), clock());
  }

  async function history(id: string, reviewer: Reviewer): Promise<CaseHistoryEntry[]> {
    visible(await repo.find(id), reviewer, id);
    return (await repo.history(id)).map(toHistoryEntry);
  }

  /** Takes the case for `claimMinutes`; claiming your own claim again extends it. */
  async function claim(id: string, reviewer: Reviewer): Promise<CaseSummary> {
    return repo.transaction(async (trx) => {
      const now = clock();
      const row = visible(await repo.findForUpdate(trx, id), reviewer, id);
      assertClaimable(row, reviewer, now);
      const change = { state: "claimed", claimed_by: reviewer.actor, claim_expires_at: new Date(now.getTime() + claimMs).toISOString(), updated_at: now.toISOString() };
      await repo.set(trx, id, change);
      await repo.addHistory(trx, [historyRow(id, change.updated_at, reviewer.actor, "claimed", { until: change.claim_expires_at })]);
      await options.audit.record(trx as unknown as Kysely<unknown>, { actor: reviewer.actor, action: "case.claim", target: { type: "case", id } });
      return toSummary({ ...row, ...change }, now);
    });
  }

  /** Gives a claimed case back to the queue. */
  async function release(id: string, reviewer: Reviewer): Promise<CaseSummary> {
    return repo.transaction(async (trx) => {
      const now = clock();
      const row = visible(await repo.findForUpdate(trx, id), reviewer, id);
      assertHeldBy(row, reviewer, now);
      const change = { state: row.escalated ? "escalated" : "open", claimed_by: null, claim_expires_at: null, updated_at: now.toISOString() };
      await repo.set(trx, id, change);
      await repo.addHistory(trx, [historyRow(id, change.updated_at, reviewer.actor, "released", {})]);
      await options.audit.record(trx as unknown as Kysely<unknown>, { actor: reviewer.actor, action: "case.release", target: { type: "case", id } });
      return toSummary({ ...row, ...change }, now);
    });
  }

  /**
   * Decides a case the reviewer has claimed (or, with `claimIfFree`, one
   * nobody holds), emitting its actions in the same transaction.
   */
  async function decide(id: string, reviewer: Reviewer, input: DecideInput, decideOptions: { claimIfFree?: boolean } = {}): Promise<{ case: CaseSummary; actions: Action[] }> {
    checkDecideInput(input);
    // Read before the transaction: the decisions are committed rows, and SQLite's single connection is the transaction's.
    const assessment = input.decision === "confirm" || input.decision === "safeguard" ? assessSafeguarding((await repo.find(id))?.account_id ?? "", signalsOf(await options.decisions.forCase(id))) : undefined;
    return repo.transaction(async (trx) => {
      const now = clock();
      const at = now.toISOString();
      const row = visible(await repo.findForUpdate(trx, id), reviewer, id);
      if (decideOptions.claimIfFree) assertClaimable(row, reviewer, now);
      else assertHeldBy(row, reviewer, now);

      if (input.decision === "escalate") {
        const change = { state: "escalated", escalated: 1, priority_rank: 0, claimed_by: null, claim_expires_at: null, updated_at: at, note: input.note ?? row.note };
        await repo.set(trx, id, change);
        await repo.addHistory(trx, [historyRow(id, at, reviewer.actor, "escalated", input.note ? { note: input.note } : {})]);
        await options.audit.record(trx as unknown as Kysely<unknown>, { actor: reviewer.actor, action: "case.escalate", target: { type: "case", id } });
        return { case: toSummary({ ...row, ...change }, now), actions: [] };
      }

      const existing = await options.actions.forCase(trx, id);
      const emitted = await options.actions.emit(trx, actionsFor(row, input, existing, reviewer.actor));
      const annotations = assessment ? [...new Set([...assessment.annotations, ...(input.annotations ?? [])])] : [];
      // A safeguard decision names the account holder as the victim even when no age band reached Lapwing: the reviewer judged them a minor.
      const victim = assessment?.victim ?? (input.decision === "safeguard" ? { accountId: row.account_id, ageBand: null, ageBasis: null } : null);
      const change = {
        state: "decided",
        outcome: input.decision,
        outcome_category: input.category ?? null,
        note: input.note ?? null,
        decided_at: at,
        decided_by: reviewer.actor,
        claimed_by: null,
        claim_expires_at: null,
        updated_at: at,
        restricted: input.category === "csam" ? 1 : row.restricted,
        victim: victim ? JSON.stringify(victim) : null,
        annotations: annotations.length > 0 ? JSON.stringify(annotations) : null,
        industry_classification: input.industryClassification ?? null,
      };
      await repo.set(trx, id, change);
      await options.onDecided?.(trx as unknown as QueryExecutor, { caseId: id, accountId: row.account_id, decision: input.decision, category: input.category ?? null, actor: reviewer.actor });
      // After the evidence is gathered (onDecided), so the report's files are in the vault when it is prepared.
      if (input.decision === "confirm" && input.category !== undefined && options.reports) {
        await options.reports.requestForCase(trx, {
          caseId: id,
          accountId: row.account_id,
          category: input.category,
          reportRequested: row.report_requested === 1,
          escalated: row.escalated === 1,
          actor: reviewer.actor,
          victim,
          annotations,
          industryClassification: input.industryClassification ?? null,
        });
      }
      await repo.addHistory(trx, [
        historyRow(id, at, reviewer.actor, "decided", {
          decision: input.decision,
          category: input.category ?? null,
          ...(input.industryClassification ? { industryClassification: input.industryClassification } : {}),
          note: input.note ?? null,
          actions: emitted.map((a) => a.id),
        }),
      ]);
      await options.audit.record(trx as unknown as Kysely<unknown>, {
        actor: reviewer.actor,
        action: "case.decide",
        target: { type: "case", id },
        details: {
          decision: input.decision,
          category: input.category ?? null,
          ...(input.industryClassification ? { industryClassification: input.industryClassification } : {}),
          accountId: row.account_id,
          actions: emitted.map((a) => a.id),
        },
      });
      return { case: toSummary({ ...row, ...change }, now), actions: emitted };
    });
  }

  /**
   * One decision for many cases (given by id, or as the undecided cases of a
   * set of related accounts). Each case is decided in its own transaction;
   * one that another reviewer holds, or that is already decided, is reported
   * and skipped, so a partial run can simply be repeated.
   */
  async function decideMany(
    reviewer: Reviewer,
    selection: { caseIds?: readonly string[]; accountIds?: readonly string[] },
    input: DecideInput,
  ): Promise<{ results: Array<{ caseId: string; ok: true; actions: number } | { caseId: string; ok: false; code: string; message: string }> }> {
    checkDecideInput(input);
    const ids = [...new Set([...(selection.caseIds ?? []), ...(await repo.undecidedIdsOf(selection.accountIds ?? [], !reviewer.canSeeRestricted))])];
    if (ids.length === 0) throw new LapwingError("VALIDATION_FAILED", "Name at least one case (caseIds) or account with an undecided case (accountIds).", { pointer: "/caseIds" });
    const results = [];
    for (const caseId of ids) {
      try {
        const { actions } = await decide(caseId, reviewer, input, { claimIfFree: true });
        results.push({ caseId, ok: true as const, actions: actions.length });
      } catch (error) {
        if (!(error instanceof LapwingError)) throw error;
        results.push({ caseId, ok: false as const, code: error.code, message: error.message });
      }
    }
    return { results };
  }

  function actionsFor(row: CaseRow, input: DecideInput, existing: readonly Action[], actor: string): ActionRequest[] {
    const reversed = new Set(existing.map((a) => a.reverses).filter((id): id is string => id !== null));
    const live = existing.filter((a) => reversalOf[a.kind] !== undefined && !reversed.has(a.id));
    const base = { accountId: row.account_id, caseId: row.id, actor };
    const why = `Reviewer decision "${input.decision}" on case ${row.id}${input.category ? ` (category ${input.category})` : ""}${input.note ? `: ${withoutFinalStop(input.note)}` : ""}.`;
    const remove = (a: Action): ActionRequest => ({ ...base, key: `remove:${a.id}`, kind: "content.remove", target: a.target, reverses: undefined, reason: why, details: { category: input.category ?? null, held: a.id } });
    const undo = (a: Action): ActionRequest => ({ ...base, key: `reverse:${a.id}`, kind: reversalOf[a.kind]!, target: a.target, reverses: a.id, reason: why, details: {} });
    const isContent = (a: Action) => a.kind === "content.hold" || a.kind === "content.block";
    switch (input.decision) {
      case "confirm":
        return live.filter(isContent).map(remove);
      case "dismiss":
        return live.map(undo);
      case "safeguard":
        return [
          ...live.filter(isContent).map(remove),
          ...live.filter((a) => a.kind === "account.suspend").map(undo),
          {
            ...base,
            key: `safeguard:${row.id}`,
            kind: "account.safeguard",
            // Targets name the platform's own id; the action names the platform beside it.
            target: { type: "account", id: accountRefOf(row.account_id).id },
            reason: why,
            details: {
              helpResources: options.helpResources,
              // Which list to show is the platform's choice: it knows the young person's country, Lapwing does not.
              safeguarding: { resources: options.safeguardResources ?? {}, protectFromSuspectedAccounts: true },
            },
          },
        ];
      case "escalate":
        return [];
    }
  }

  function assertClaimable(row: CaseRow, reviewer: Reviewer, now: Date): void {
    if (row.state === "decided") throw decidedError(row);
    if (isClaimLive(row, now) && row.claimed_by !== reviewer.actor) {
      throw new LapwingError("CASE_CLAIMED", `Case ${row.id} is claimed by ${row.claimed_by} until ${row.claim_expires_at}.`);
    }
  }

  function assertHeldBy(row: CaseRow, reviewer: Reviewer, now: Date): void {
    if (row.state === "decided") throw decidedError(row);
    if (isClaimLive(row, now) && row.claimed_by === reviewer.actor) return;
    if (isClaimLive(row, now)) throw new LapwingError("CASE_CLAIMED", `Case ${row.id} is claimed by ${row.claimed_by} until ${row.claim_expires_at}.`);
    throw new LapwingError("CASE_NOT_CLAIMED", `Claim case ${row.id} first (POST /v1/cases/${row.id}/claim); ${row.claimed_by === reviewer.actor ? "your claim has expired" : "you do not hold it"}.`);
  }

  /**
   * Notes in the account's undecided case (if any) what the platform itself
   * did, so the reviewer sees it beside Lapwing's own decisions. Returns the case id.
   */
  async function notePlatformOutcome(trx: QueryExecutor, accountId: string, outcome: Record<string, unknown>): Promise<string | undefined> {
    const [noted] = await changeMany(trx, [{ kind: "note", accountId, outcome }]);
    return noted?.caseId;
  }

  /** When the account's newest decided case was decided (inside `trx`), or undefined. */
  async function lastDecidedAt(trx: QueryExecutor, accountId: string): Promise<string | undefined> {
    return repo.lastDecidedAt(trx as Kysely<CaseTables>, accountId);
  }

  /** Which of these case ids are restricted; empty for no ids. */
  async function restrictedAmong(ids: readonly string[]): Promise<Set<string>> {
    return ids.length === 0 ? new Set() : repo.restrictedAmong([...new Set(ids)]);
  }

  /** Audit entries as `reviewer` may read them: those about a restricted case lose their target and details. */
  async function redactAudit(entries: readonly AuditEntry[], reviewer: Pick<Reviewer, "canSeeRestricted">): Promise<Array<AuditEntry & { redacted?: true }>> {
    if (reviewer.canSeeRestricted) return [...entries];
    const restricted = await restrictedAmong(entries.flatMap(caseIdsInAuditEntry));
    return entries.map((entry) => (caseIdsInAuditEntry(entry).some((id) => restricted.has(id)) ? redactAuditEntry(entry) : entry));
  }

  return { attach, changeMany, prepareChanges, notePlatformOutcome, lastDecidedAt, restrictedAmong, redactAudit, countUndecided: () => repo.countUndecidedByState(), list, claimNext, get, summary, history, claim, release, decide, decideMany };
}

export type CaseService = ReturnType<typeof createCaseService>;

function visible(row: CaseRow | undefined, reviewer: Reviewer, id: string): CaseRow {
  // A restricted case reads exactly like a missing one, so its existence does not leak.
  if (!row || (row.restricted === 1 && !reviewer.canSeeRestricted)) throw new LapwingError("CASE_NOT_FOUND", `No case has id "${id}" that you may see.`);
  return row;
}

function decidedError(row: CaseRow): LapwingError {
  return new LapwingError("CASE_DECIDED", `Case ${row.id} was decided (${row.outcome}) at ${row.decided_at} by ${row.decided_by}.`);
}

function isClaimLive(row: CaseRow, now: Date): boolean {
  return row.state === "claimed" && row.claim_expires_at !== null && row.claim_expires_at > now.toISOString();
}

function checkDecideInput(input: DecideInput): void {
  if (!(reviewerDecisions as readonly string[]).includes(input.decision)) {
    throw new LapwingError("VALIDATION_FAILED", `decision must be one of ${reviewerDecisions.join(", ")}.`, { pointer: "/decision" });
  }
  if (input.decision === "confirm" && input.category === undefined) {
    throw new LapwingError("VALIDATION_FAILED", "A confirm decision needs a category (for example csam, grooming, seller_advert).", { pointer: "/category" });
  }
  if (input.category !== undefined && !categoryPattern.test(input.category)) {
    throw new LapwingError("VALIDATION_FAILED", "category is 1–50 lower-case letters, digits, _ or -, starting with a letter or digit.", { pointer: "/category" });
  }
  if (input.annotations !== undefined) {
    if (input.decision !== "confirm" && input.decision !== "safeguard") throw new LapwingError("VALIDATION_FAILED", "annotations go with a confirm or safeguard decision.", { pointer: "/annotations" });
    const bad = input.annotations.find((a) => !(reportAnnotations as readonly string[]).includes(a));
    if (bad !== undefined) throw new LapwingError("VALIDATION_FAILED", `Annotation ${JSON.stringify(bad)} is not one of ${reportAnnotations.join(", ")}.`, { pointer: "/annotations" });
  }
  if (input.industryClassification !== undefined) {
    if (input.decision !== "confirm") throw new LapwingError("VALIDATION_FAILED", "industryClassification goes only with a confirm decision.", { pointer: "/industryClassification" });
    if (!(industryClassifications as readonly string[]).includes(input.industryClassification)) {
      throw new LapwingError("VALIDATION_FAILED", `industryClassification must be one of ${industryClassifications.join(", ")}.`, { pointer: "/industryClassification" });
    }
  }
  if (input.note !== undefined && input.note.length > 2000) throw new LapwingError("VALIDATION_FAILED", "note is at most 2000 characters.", { pointer: "/note" });
  // PostgreSQL cannot store NUL, and lone surrogates do not survive UTF-8: refuse them plainly rather than fail in the database.
  if (input.note !== undefined && /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\p{Cs}]/u.test(input.note)) {
    throw new LapwingError("VALIDATION_FAILED", "note may hold text, line breaks and tabs, but no other control characters.", { pointer: "/note" });
  }
}

function historyRow(caseId: string, at: string, actor: string, kind: string, details: Record<string, unknown>): Omit<CaseHistoryRow, "seq"> {
  return { id: newId(Date.parse(at)), case_id: caseId, at, actor, kind, details: JSON.stringify(details) };
}

function toHistoryEntry(row: CaseHistoryRow): CaseHistoryEntry {
  return { at: row.at, actor: row.actor, kind: row.kind, details: JSON.parse(row.details) as Record<string, unknown> };
}

function toSummary(row: CaseRow, now: Date): CaseSummary {
  const lapsed = row.state === "claimed" && !isClaimLive(row, now);
  const state = (lapsed ? (row.escalated ? "escalated" : "open") : row.state) as CaseState;
  const victim = row.victim ? (JSON.parse(row.victim) as CaseVictim) : null;
  return {
    id: row.id,
    accountId: accountRefOf(row.account_id).id,
    ...platformFieldOf(row.account_id),
    state,
    priority: reviewPriorities[row.priority_rank] ?? "low",
    restricted: row.restricted === 1,
    reportRequested: row.report_requested === 1,
    decisionCount: row.decision_count,
    openedAt: row.opened_at,
    updatedAt: row.updated_at,
    ageSeconds: Math.max(0, Math.round((now.getTime() - Date.parse(row.opened_at)) / 1000)),
    claimedBy: lapsed ? null : row.claimed_by,
    claimExpiresAt: lapsed ? null : row.claim_expires_at,
    escalated: row.escalated === 1,
    decidedAt: row.decided_at,
    decidedBy: row.decided_by,
    outcome: row.outcome as ReviewerDecision | null,
    outcomeCategory: row.outcome_category,
    note: row.note,
    // Stored by account key, like the case's account; the victim is an account of the case's platform.
    victim: victim ? { ...victim, accountId: accountRefOf(victim.accountId).id } : null,
    annotations: row.annotations ? (JSON.parse(row.annotations) as string[]) : [],
  };
}

/** The assessment as the case shows it: the victim by the platform's own account id, as the case names its account. */
function shownAssessment(assessment: SafeguardingAssessment): SafeguardingAssessment {
  return assessment.victim ? { ...assessment, victim: { ...assessment.victim, accountId: accountRefOf(assessment.victim.accountId).id } } : assessment;
}

function signalsOf(decisions: readonly CaseDecision[]): Signal[] {
  return decisions.flatMap((d) => d.signals as Signal[]);
}

