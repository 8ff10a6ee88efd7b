import type { Kysely } from "kysely";
import { actionAuditRecord, type Action, type ActionRequest, type ActionService, type ActionTarget } from "../actions/index.js";
import type { AuditLog, AuditRecord } from "../audit/index.js";
import type { CaseChange, CaseDecision, CaseService } from "../cases/index.js";
import { accountKeyOf, describeAccount, processStageTimings, splitScopedKey, type EventEnforcer, type EnforceInput } from "../events/index.js";
import { evaluate, summarizeDecisions, type DecisionKind, type PolicyDecision, type PolicyService, type ReviewPriority, type Signal, type VersionedPolicySet } from "../policy/index.js";
import type { QueryExecutor } from "../queue/index.js";
import { allocateSeqBlock, newId } from "../store/index.js";
import type { DecisionRow, EnforcementRepository } from "./repository.js";
import { ageBandSignal, eventPolicySignals, isChildSexualAbuseMatch, isMinorBand, subjectOf, type Subject } from "./signals.js";
import type { EnforcementTables } from "./tables.js";

/** Told what each committed decision did (Prometheus counters live in the server shell). */
export interface EnforcementObserver {
  decision(kind: DecisionKind, mode: "enforce" | "shadow"): void;
  /** An action emitted by policy, and how long after its event arrived. */
  action(action: Action, secondsSinceEvent: number): void;
}

export interface EnforcementDeps {
  policies: Pick<PolicyService, "active">;
  cases: Pick<CaseService, "prepareChanges" | "lastDecidedAt" | "restrictedAmong">;
  actions: Pick<ActionService, "prepareInsert">;
  audit: AuditLog;
  /** Sent with automated `account.safeguard` actions. */
  helpResources: readonly unknown[];
  /** Help for young people by country, sent with `account.safeguard` (src/safeguarding). */
  safeguardResources?: Readonly<Record<string, readonly unknown[]>>;
  clock?: () => Date;
  observer?: EnforcementObserver;
  /** Keeps a `preserve` decision's evidence, in the decision's transaction (bound late: the vault needs the decisions). */
  evidence?: { preserveEvent(trx: QueryExecutor, input: { caseId: string; accountId: string; eventId: string; event: EnforceInput["event"]; mediaHashes?: EnforceInput["mediaHashes"]; actor: string }): Promise<number> };
}

/** Signals about an account from a detector that works on the whole graph rather than on one event. */
export interface AccountSignalsInput {
  /** A stable key for this finding (`network:<account>:<level>`); stored where an event id would be. */
  sourceId: string;
  accountId: string;
  signals: readonly Signal[];
  /** When the finding was made (for time to action). */
  receivedAt: string;
}

/** What enforcing one event did; handed to the observer once committed. */
export interface EnforcementOutcome {
  decisionId: string;
  caseId: string | null;
  decisions: readonly PolicyDecision[];
  shadow: readonly PolicyDecision[];
  actions: Action[];
  receivedAt: string;
}

/**
 * The step from signals to consequences. For each processed event (inside the
 * event worker's transaction, so it happens exactly once with the signals):
 *
 * 1. find the account it is about and the content a hold would hide;
 * 2. turn its findings into policy signals, adding the account's age band and
 *    the reports about it since its last decided case;
 * 3. evaluate the active policy set and store the decision, citing the
 *    signals and the policy-set version;
 * 4. for enforced decisions, add it to the account's case (opening one) and
 *    emit the actions: `hold`/`block` the content, `suspend` or `safeguard`
 *    the account; `review` sets the case priority and `report` flags it for
 *    the CyberTipline flow.
 *
 * Shadow decisions are stored beside the enforced ones and never acted on.
 */
export function createEnforcement(repo: EnforcementRepository, deps: EnforcementDeps): EventEnforcer & {
  enforce(trx: QueryExecutor, prepared: unknown, input: EnforceInput): Promise<EnforcementOutcome | undefined>;
  enforceAccountSignals(input: AccountSignalsInput): Promise<EnforcementOutcome | undefined>;
  decisionsForCase(caseId: string): Promise<CaseDecision[]>;
  decisionForEvent(eventId: string): Promise<CaseDecision | undefined>;
  isEventRestricted(eventId: string): Promise<boolean>;
  isSubjectRestricted(subjectId: string): Promise<boolean>;
} {
  const clock = deps.clock ?? (() => new Date());

  /**
   * Decides on a batch's events in order, in the batch's transaction, with the
   * effect of deciding each in turn (as `enforce` did one event at a time) but
   * a fixed number of statements for the whole batch: the events are read and
   * evaluated first, against what the batch has decided so far (held in
   * memory), then every decision, case change, action and audit entry is
   * written with one statement of each kind.
   */
  async function enforceMany(trx: QueryExecutor, prepared: unknown, inputs: readonly EnforceInput[]): Promise<Array<EnforcementOutcome | undefined>> {
    const policySet = prepared as VersionedPolicySet;
    const db = trx as Kysely<EnforcementTables>;
    // Who each event is about (reading `events`, which the batch does not change), then every account named, in one read.
    const subjects: Array<Subject | undefined> = [];
    const outcomeAccounts: Array<string | undefined> = [];
    const ownSignals: Signal[][] = [];
    // The accounts whose age band the batch reads or writes: those of events with signals, and those the events give bands.
    const named = new Set<string>();
    for (const { event, eventId, signals } of inputs) {
      const outcomeAccount = event.type === "moderation.outcome" ? await platformOutcomeAccount(db, event) : undefined;
      const subject = event.type === "moderation.outcome" ? undefined : await subjectOf(event, (contentId) => repo.authorOf(db, contentId));
      const own = subject ? eventPolicySignals(eventId, event, signals, subject.content) : [];
      outcomeAccounts.push(outcomeAccount);
      subjects.push(subject);
      ownSignals.push(own);
      if (subject && own.length > 0) named.add(subject.accountId);
      if ((event.type === "account.created" || event.type === "account.updated") && event.account.age_band) named.add(event.account.id);
    }
    const batch = createBatchState(named.size > 0 ? await repo.findAccounts(db, [...named]) : []);
    const steps: Step[] = [];
    for (const [index, input] of inputs.entries()) {
      const { event } = input;
      if ((event.type === "account.created" || event.type === "account.updated") && event.account.age_band) {
        batch.saveAgeBand(accountKeyOf(event, event.account.id), event.account.age_band.value, event.account.age_band.source, new Date(event.occurred_at).toISOString());
      }
      if (event.type === "moderation.outcome") {
        const accountId = outcomeAccounts[index];
        if (accountId) steps.push({ kind: "note", accountId, outcome: platformOutcomeNote(event) });
        continue;
      }
      const subject = subjects[index];
      if (!subject) continue;
      let decided: PendingDecision | undefined;
      const own = ownSignals[index]!;
      if (own.length > 0) {
        const signals = [...own, ...(await contextSignals(db, batch, subject.accountId, event.type === "report.created"))];
        decided = decide(index, input, policySet, subject, signals, evaluate(policySet, signals, { subject: `account:${describeAccount(subject.accountId)}` }), own.some(isChildSexualAbuseMatch));
      } else if ((event.type === "account.created" || event.type === "account.updated") && isMinorBand(event.account.age_band?.value)) {
        // The age band saying the holder is a minor may be processed after the signals it matters for.
        decided = await safeguardAfterTheFact(db, batch, index, input, policySet, subject);
      }
      if (decided) {
        batch.decided(decided);
        steps.push({ kind: "decision", decision: decided });
      }
    }
    const outcomes = await write(trx, batch, steps);
    return inputs.map((_, index) => outcomes.get(index));
  }

  /**
   * Re-evaluates the signals already gathered about the account (since its
   * last decided case) now that it is known to be a minor's, and acts on
   * `safeguard` decisions only: everything else was decided when those
   * signals arrived. The action's key is per case, so it is sent once.
   */
  async function safeguardAfterTheFact(db: Kysely<EnforcementTables>, batch: BatchState, index: number, input: EnforceInput, policySet: VersionedPolicySet, subject: Subject): Promise<PendingDecision | undefined> {
    const since = await lastDecidedAt(db, batch, subject.accountId);
    const earlier = (await decisionsSince(db, batch, subject.accountId, since)).filter((row) => row.case_id !== null || batch.willHaveCase(row.id));
    if (earlier.length === 0) return undefined;
    const seen = new Set<string>();
    const signals: Signal[] = [];
    for (const row of earlier) {
      for (const signal of JSON.parse(row.signals) as Signal[]) {
        const key = JSON.stringify(signal);
        if (signal.type === "age-band" || seen.has(key)) continue;
        seen.add(key);
        signals.push(signal);
      }
    }
    signals.push(...(await contextSignals(db, batch, subject.accountId, false)));
    const evaluation = evaluate(policySet, signals, { subject: `account:${describeAccount(subject.accountId)}` });
    const safeguard = { decisions: evaluation.decisions.filter((d) => d.decision === "safeguard"), shadow: evaluation.shadow.filter((d) => d.decision === "safeguard") };
    if (safeguard.decisions.length === 0 && safeguard.shadow.length === 0) return undefined;
    return decide(index, input, policySet, subject, signals, safeguard, false);
  }

  /**
   * Decides on signals about an account that no single event carries (network
   * scores, ban-evasion links): the same policies, decision row, case and
   * actions as for an event, keyed by `sourceId` instead of an event id, so the
   * same finding sent twice (by two processes, or two runs) is decided once.
   */
  async function enforceAccountSignals(input: AccountSignalsInput): Promise<EnforcementOutcome | undefined> {
    const policySet = await deps.policies.active();
    const outcome = await repo.transaction(async (trx) => {
      const subject: Subject = { accountId: input.accountId, content: { type: "account", id: splitScopedKey(input.accountId).id }, isAccountKnown: true };
      const batch = createBatchState(await repo.findAccounts(trx, [input.accountId]));
      const signals = [...input.signals, ...(await contextSignals(trx, batch, input.accountId, false))];
      const source = { eventId: input.sourceId, event: undefined as never, receivedAt: input.receivedAt, signals: [] };
      const decided = decide(0, source, policySet, subject, signals, evaluate(policySet, signals, { subject: `account:${describeAccount(input.accountId)}` }), false);
      return (await write(trx as unknown as QueryExecutor, batch, [{ kind: "decision", decision: decided }])).get(0);
    });
    afterCommit(outcome);
    return outcome;
  }

  /** The decision row for an evaluation, not yet written. */
  function decide(
    index: number,
    input: EnforceInput,
    policySet: VersionedPolicySet,
    subject: Subject,
    signals: readonly Signal[],
    evaluation: { decisions: readonly PolicyDecision[]; shadow: readonly PolicyDecision[] },
    restricted: boolean,
  ): PendingDecision {
    const summary = summarizeDecisions(evaluation.decisions);
    const now = clock();
    const row: DecisionRow = {
      id: newId(now.getTime()),
      event_id: input.eventId,
      account_id: subject.accountId,
      policy_version: policySet.version,
      kinds: JSON.stringify(summary.kinds),
      review_priority: summary.reviewPriority ?? null,
      decisions: JSON.stringify(evaluation.decisions),
      shadow: JSON.stringify(evaluation.shadow),
      signals: JSON.stringify(signals),
      case_id: null,
      created_at: now.toISOString(),
    };
    return { index, input, subject, row, kinds: summary.kinds, reviewPriority: summary.reviewPriority, evaluation, restricted };
  }

  /**
   * Writes what the batch decided, one statement of each kind: the age bands;
   * the decisions (a decision whose event has one already is a repeated
   * delivery and is dropped with everything it would do); for enforced kinds
   * the case changes, in order with the platform's outcome notes (src/cases
   * `changeMany`), and the actions; then the audit entries, in the order
   * deciding one event at a time wrote them (each decision's actions, then the
   * decision). A `preserve` decision keeps its event's evidence in that order.
   * Returns each written decision's outcome, by its input's position.
   */
  async function write(trx: QueryExecutor, batch: BatchState, steps: readonly Step[]): Promise<Map<number, EnforcementOutcome>> {
    const db = trx as Kysely<EnforcementTables>;
    const outcomes = new Map<number, EnforcementOutcome>();
    if (batch.ageBands.size > 0) await repo.saveAgeBands(db, [...batch.ageBands.values()]);
    const pending = steps.flatMap((step) => (step.kind === "decision" ? [step.decision] : []));
    if (pending.length === 0 && steps.length === 0) return outcomes;
    const inserted = pending.length > 0 ? await repo.insertDecisions(db, pending.map((d) => d.row)) : new Set<string>();
    const changes: CaseChange[] = [];
    const changeOf = new Map<PendingDecision, number>();
    for (const step of steps) {
      if (step.kind === "note") changes.push(step);
      else if (inserted.has(step.decision.row.id) && step.decision.kinds.length > 0) {
        const d = step.decision;
        changeOf.set(d, changes.length);
        changes.push({
          kind: "attach",
          accountId: d.subject.accountId,
          decisionId: d.row.id,
          priority: d.reviewPriority ?? "normal",
          restricted: d.restricted,
          reportRequested: d.kinds.includes("report"),
          reason: d.evaluation.decisions[0]!.explanation,
        });
      }
    }
    const attached = await deps.cases.prepareChanges(trx, changes);
    const caseOf = new Map([...changeOf].map(([d, at]) => [d, attached.results[at]!.caseId]));
    await repo.setDecisionCases(db, [...caseOf].map(([d, caseId]) => ({ decisionId: d.row.id, caseId })));
    const requests = [...caseOf].flatMap(([d, caseId]) => d.kinds.flatMap((kind) => actionFor(kind, { ...d.subject, caseId, decisionId: d.row.id, receivedAt: d.input.receivedAt, evaluation: d.evaluation.decisions })));
    const fresh = await deps.actions.prepareInsert(trx, requests);
    const written = pending.filter((d) => inserted.has(d.row.id));
    const preserves = (d: PendingDecision) => caseOf.has(d) && d.kinds.includes("preserve") && d.input.event !== undefined && deps.evidence !== undefined;
    // Evidence kept by a `preserve` decision records its own audit entries between the batch's; the batch's then number themselves.
    const isAuditInBlock = !written.some(preserves);
    const auditCount = isAuditInBlock ? fresh.count + written.filter((d) => d.evaluation.decisions.length > 0 || d.evaluation.shadow.length > 0).length : 0;
    // Every row numbered from `seq` (history, actions, audit), with one allocation after every other statement: its row lock
    // orders commits (what the outbox and change feeds rely on), so another worker's batch waits on it only from here to commit.
    const numbers = await processStageTimings.time("seq", () => allocateSeqBlock(trx as Kysely<unknown>, attached.historyCount + fresh.count + auditCount));
    await attached.writeHistory(numbers);
    const actionsOf = new Map<string | null, Action[]>();
    for (const action of await fresh.insert(numbers)) actionsOf.set(action.decisionId, [...(actionsOf.get(action.decisionId) ?? []), action]);
    let audit: AuditRecord[] = [];
    const flushAudit = async () => {
      if (audit.length > 0) await deps.audit.recordMany(trx as Kysely<unknown>, audit, isAuditInBlock ? numbers : undefined);
      audit = [];
    };
    for (const d of written) {
      const { eventId, event, mediaHashes, receivedAt } = d.input;
      const { decisions, shadow } = d.evaluation;
      const caseId = caseOf.get(d) ?? null;
      const actions = actionsOf.get(d.row.id) ?? [];
      audit.push(...actions.map(actionAuditRecord));
      // Account findings (network) have no event to preserve; the vault gathers the case when it is confirmed.
      if (caseId !== null && preserves(d)) {
        await flushAudit();
        await deps.evidence!.preserveEvent(trx, { caseId, accountId: d.subject.accountId, eventId, event, mediaHashes, actor: "system" });
      }
      if (decisions.length > 0 || shadow.length > 0) {
        audit.push({
          actor: "system",
          action: "decision.automated",
          target: { type: "decision", id: d.row.id },
          details: { eventId, accountId: d.subject.accountId, policyVersion: d.row.policy_version, kinds: d.kinds, shadow: shadow.map((p) => `${p.policyId}:${p.decision}`), caseId },
        });
      }
      outcomes.set(d.index, { decisionId: d.row.id, caseId, decisions, shadow, actions, receivedAt });
    }
    await flushAudit();
    return outcomes;
  }

  /** Whose case a platform's moderation outcome belongs to: the account, or the author of the content. */
  async function platformOutcomeAccount(db: Kysely<EnforcementTables>, event: Extract<EnforceInput["event"], { type: "moderation.outcome" }>): Promise<string | undefined> {
    const { target } = event.outcome;
    const key = (id: string) => accountKeyOf(event, id);
    return target.type === "account" ? key(target.id) : target.author_id !== undefined ? key(target.author_id) : await repo.authorOf(db, key(target.id));
  }

  /** What the platform did itself, as the account's open case history records it for the reviewer. */
  function platformOutcomeNote(event: Extract<EnforceInput["event"], { type: "moderation.outcome" }>): Record<string, unknown> {
    const { target, action, reason, moderator_id } = event.outcome;
    return { eventId: event.id, action, target: `${target.type}:${target.id}`, reason: reason ?? null, moderator: moderator_id ?? null };
  }

  /** The age band, and every report about the account since its last decided case (each report once). */
  async function contextSignals(db: Kysely<EnforcementTables>, batch: BatchState, accountId: string, isReport: boolean): Promise<Signal[]> {
    const context: Signal[] = [];
    const account = batch.account(accountId);
    const age = account ? ageBandSignal(accountId, account.age_band, account.age_source) : undefined;
    if (age) context.push(age);
    if (isReport) {
      const since = await lastDecidedAt(db, batch, accountId);
      const seen = new Set<string>();
      for (const row of await decisionsSince(db, batch, accountId, since)) {
        for (const signal of JSON.parse(row.signals) as Signal[]) {
          const key = signal.evidence.ids[0];
          if (signal.type === "user-report" && key && !seen.has(key)) {
            seen.add(key);
            context.push(signal);
          }
        }
      }
    }
    return context;
  }

  /** When the account's newest decided case was decided: reviewers decide cases, a batch never does, so it is read once a batch. */
  async function lastDecidedAt(db: Kysely<EnforcementTables>, batch: BatchState, accountId: string): Promise<string | undefined> {
    if (!batch.lastDecided.has(accountId)) batch.lastDecided.set(accountId, await deps.cases.lastDecidedAt(db as unknown as QueryExecutor, accountId));
    return batch.lastDecided.get(accountId);
  }

  /** The account's decisions since `after` (all when undefined), stored and decided earlier in this batch, oldest first (as the store orders them). */
  async function decisionsSince(db: Kysely<EnforcementTables>, batch: BatchState, accountId: string, after: string | undefined): Promise<DecisionRow[]> {
    const stored = await repo.decisionsSince(db, accountId, after);
    const pending = batch.decisionsOf(accountId).filter((row) => after === undefined || row.created_at > after);
    if (pending.length === 0) return stored;
    return [...stored, ...pending].sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  function actionFor(
    kind: DecisionKind,
    at: { accountId: string; content: ActionTarget; isAccountKnown: boolean; caseId: string; decisionId: string; receivedAt: string; evaluation: readonly PolicyDecision[] },
  ): ActionRequest[] {
    const cause = at.evaluation.find((d) => d.decision === kind);
    const base = { accountId: at.accountId, caseId: at.caseId, decisionId: at.decisionId, actor: "system", eventReceivedAt: at.receivedAt, reason: cause?.explanation ?? kind };
    // A target is named by the platform's own id; the action names the platform beside it (src/events/tenancy.ts).
    const account: ActionTarget = { type: "account", id: splitScopedKey(at.accountId).id };
    const policy = { policyId: cause?.policyId, policyVersion: cause?.policyVersion };
    switch (kind) {
      case "hold":
        return [{ ...base, key: `hold:${at.caseId}:${at.content.type}:${at.content.id}`, kind: "content.hold", target: at.content, details: policy }];
      case "block":
        return [{ ...base, key: `block:${at.caseId}:${at.content.type}:${at.content.id}`, kind: "content.block", target: at.content, details: policy }];
      // An account Lapwing cannot name (reported content it has never seen) cannot be suspended or safeguarded yet.
      case "suspend":
        return at.isAccountKnown ? [{ ...base, key: `suspend:${at.caseId}`, kind: "account.suspend", target: account, details: policy }] : [];
      case "safeguard":
        return at.isAccountKnown ? [{ ...base, key: `safeguard:${at.caseId}`, kind: "account.safeguard", target: account, details: { ...policy, helpResources: deps.helpResources, safeguarding: { resources: deps.safeguardResources ?? {}, protectFromSuspectedAccounts: true } } }] : [];
      case "review":
      case "report":
      case "preserve":
        return [];
    }
  }

  function afterCommit(outcome: unknown): void {
    const done = outcome as EnforcementOutcome | undefined;
    if (!done || !deps.observer) return;
    for (const d of done.decisions) deps.observer.decision(d.decision, "enforce");
    for (const d of done.shadow) deps.observer.decision(d.decision, "shadow");
    const now = clock().getTime();
    for (const action of done.actions) deps.observer.action(action, Math.max(0, (now - Date.parse(done.receivedAt)) / 1000));
  }

  async function isAnyRestricted(rows: readonly DecisionRow[]): Promise<boolean> {
    if (rows.some((row) => (JSON.parse(row.signals) as Signal[]).some(isChildSexualAbuseMatch))) return true;
    const caseIds = rows.flatMap((row) => (row.case_id === null ? [] : [row.case_id]));
    return caseIds.length > 0 && (await deps.cases.restrictedAmong(caseIds)).size > 0;
  }

  return {
    prepare: () => deps.policies.active(),
    enforceMany,
    /** One event's enforcement, as in a batch of one. */
    enforce: async (trx: QueryExecutor, prepared: unknown, input: EnforceInput) => (await enforceMany(trx, prepared, [input]))[0],
    enforceAccountSignals,
    afterCommit,
    decisionsForCase: async (caseId) => (await repo.forCase(caseId)).map(toCaseDecision),
    decisionForEvent: async (eventId) => {
      const row = await repo.findByEvent(eventId);
      return row ? toCaseDecision(row) : undefined;
    },
    /**
     * Whether the event would name a restricted case: its decision went into
     * one (the case may have become restricted later, by a reviewer's `csam`
     * confirmation), or its own signals hold a CSAM match.
     */
    isEventRestricted: async (eventId) => {
      const row = await repo.findByEvent(eventId);
      return row !== undefined && (await isAnyRestricted([row]));
    },
    /**
     * Whether any event about this post, comment or account was restricted
     * (as {@link isEventRestricted}): content shown with one case must not
     * show what another, restricted, case holds.
     */
    isSubjectRestricted: async (subjectId: string) => isAnyRestricted(await repo.aboutSubject(subjectId)),
  };
}

export type Enforcement = ReturnType<typeof createEnforcement>;

/** A decision taken in a batch and not yet written. */
interface PendingDecision {
  /** Its input's position in the batch. */
  index: number;
  input: EnforceInput;
  subject: Subject;
  row: DecisionRow;
  kinds: readonly DecisionKind[];
  reviewPriority: ReviewPriority | undefined;
  evaluation: { decisions: readonly PolicyDecision[]; shadow: readonly PolicyDecision[] };
  restricted: boolean;
}

/** A batch's effects on cases, in event order: a decision (attached to its account's case when enforced), or a platform's outcome noted. */
type Step = { kind: "decision"; decision: PendingDecision } | { kind: "note"; accountId: string; outcome: Record<string, unknown> };

type AccountRow = EnforcementTables["accounts"];

/**
 * What a batch's events read as they are decided in turn: each account's age
 * band as the batch's earlier events left it, the decisions the batch has taken
 * so far, and when each account's last case was decided.
 */
interface BatchState {
  account(accountId: string): AccountRow | undefined;
  /** As `saveAgeBand` did in the store: unless a newer band (by the platform's event time) is known. */
  saveAgeBand(accountId: string, band: string, source: string, occurredAt: string): void;
  /** The accounts whose age band the batch changed, as they end. */
  ageBands: Map<string, AccountRow>;
  decided(decision: PendingDecision): void;
  decisionsOf(accountId: string): DecisionRow[];
  /** Whether a decision of this batch will be attached to a case (it has enforced kinds). */
  willHaveCase(decisionId: string): boolean;
  lastDecided: Map<string, string | undefined>;
}

function createBatchState(accounts: readonly AccountRow[]): BatchState {
  const known = new Map(accounts.map((row) => [row.id, row]));
  const ageBands = new Map<string, AccountRow>();
  const decisions = new Map<string, DecisionRow[]>();
  const withCase = new Set<string>();
  return {
    account: (accountId) => known.get(accountId),
    saveAgeBand(accountId, band, source, occurredAt) {
      const current = known.get(accountId);
      if (current && current.updated_at > occurredAt) return;
      const row = { id: accountId, age_band: band, age_source: source, updated_at: occurredAt };
      known.set(accountId, row);
      ageBands.set(accountId, row);
    },
    ageBands,
    decided(decision) {
      const rows = decisions.get(decision.row.account_id) ?? [];
      rows.push(decision.row);
      decisions.set(decision.row.account_id, rows);
      if (decision.kinds.length > 0) withCase.add(decision.row.id);
    },
    decisionsOf: (accountId) => decisions.get(accountId) ?? [],
    willHaveCase: (decisionId) => withCase.has(decisionId),
    lastDecided: new Map(),
  };
}

function toCaseDecision(row: DecisionRow): CaseDecision {
  return {
    id: row.id,
    eventId: row.event_id,
    policyVersion: Number(row.policy_version),
    kinds: JSON.parse(row.kinds) as string[],
    reviewPriority: row.review_priority,
    decisions: JSON.parse(row.decisions) as unknown[],
    shadow: JSON.parse(row.shadow) as unknown[],
    signals: JSON.parse(row.signals) as unknown[],
    createdAt: row.created_at,
  };
}
