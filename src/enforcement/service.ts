import type { Kysely } from "kysely";
import type { Action, ActionRequest, ActionService, ActionTarget } from "../actions/index.js";
import type { AuditLog } from "../audit/index.js";
import type { CaseDecision, CaseService } from "../cases/index.js";
import { accountKeyOf, describeAccount, splitScopedKey, type EventEnforcer, type EnforceInput } from "../events/index.js";
import { evaluate, summarizeDecisions, type DecisionKind, type PolicyDecision, type PolicyService, type Signal, type VersionedPolicySet } from "../policy/index.js";
import type { QueryExecutor } from "../queue/index.js";
import { newId } from "../store/index.js";
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
  cases: Pick<CaseService, "attach" | "lastDecidedAt" | "notePlatformOutcome" | "restrictedAmong">;
  actions: Pick<ActionService, "emit">;
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
  enforceAccountSignals(input: AccountSignalsInput): Promise<EnforcementOutcome | undefined>;
  decisionsForCase(caseId: string): Promise<CaseDecision[]>;
  decisionForEvent(eventId: string): Promise<CaseDecision | undefined>;
  isEventRestricted(eventId: string): Promise<boolean>;
  isSubjectRestricted(subjectId: string): Promise<boolean>;
} {
  const clock = deps.clock ?? (() => new Date());

  async function enforce(trx: QueryExecutor, prepared: unknown, input: EnforceInput): Promise<EnforcementOutcome | undefined> {
    const policySet = prepared as VersionedPolicySet;
    const db = trx as Kysely<EnforcementTables>;
    const { event, eventId } = input;
    if ((event.type === "account.created" || event.type === "account.updated") && event.account.age_band) {
      await repo.saveAgeBand(db, accountKeyOf(event, event.account.id), event.account.age_band.value, event.account.age_band.source, new Date(event.occurred_at).toISOString());
    }
    if (event.type === "moderation.outcome") {
      await notePlatformOutcome(db, event);
      return undefined;
    }
    const subject = await subjectOf(event, (contentId) => repo.authorOf(db, contentId));
    if (!subject) return undefined;
    const own = eventPolicySignals(eventId, event, input.signals, subject.content);
    if (own.length > 0) {
      const signals = [...own, ...(await contextSignals(db, subject.accountId, event.type === "report.created"))];
      const restricted = own.some(isChildSexualAbuseMatch);
      return commit(trx, input, policySet, subject, signals, evaluate(policySet, signals, { subject: `account:${describeAccount(subject.accountId)}` }), restricted);
    }
    // The age band saying the holder is a minor may be processed after the signals it matters for.
    if ((event.type === "account.created" || event.type === "account.updated") && isMinorBand(event.account.age_band?.value)) {
      return safeguardAfterTheFact(trx, input, policySet, subject);
    }
    return undefined;
  }

  /**
   * Re-evaluates the signals already gathered about the account (since its
   * last decided case) now that it is known to be a minor's, and acts on
   * `safeguard` decisions only: everything else was decided when those
   * signals arrived. The action's key is per case, so it is sent once.
   */
  async function safeguardAfterTheFact(trx: QueryExecutor, input: EnforceInput, policySet: VersionedPolicySet, subject: Subject): Promise<EnforcementOutcome | undefined> {
    const db = trx as Kysely<EnforcementTables>;
    const since = await deps.cases.lastDecidedAt(trx, subject.accountId);
    const earlier = (await repo.decisionsSince(db, subject.accountId, since)).filter((row) => row.case_id !== null);
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
    signals.push(...(await contextSignals(db, subject.accountId, false)));
    const evaluation = evaluate(policySet, signals, { subject: `account:${describeAccount(subject.accountId)}` });
    const safeguard = { decisions: evaluation.decisions.filter((d) => d.decision === "safeguard"), shadow: evaluation.shadow.filter((d) => d.decision === "safeguard") };
    if (safeguard.decisions.length === 0 && safeguard.shadow.length === 0) return undefined;
    return commit(trx, input, policySet, subject, signals, safeguard, false);
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
      const signals = [...input.signals, ...(await contextSignals(trx, input.accountId, false))];
      const source = { eventId: input.sourceId, event: undefined as never, receivedAt: input.receivedAt, signals: [] };
      return commit(trx as unknown as QueryExecutor, source, policySet, subject, signals, evaluate(policySet, signals, { subject: `account:${describeAccount(input.accountId)}` }), false);
    });
    afterCommit(outcome);
    return outcome;
  }

  /** Stores the decision; for enforced kinds, adds it to the account's case and emits the actions; audits it. */
  async function commit(
    trx: QueryExecutor,
    input: EnforceInput,
    policySet: VersionedPolicySet,
    subject: Subject,
    signals: readonly Signal[],
    evaluation: { decisions: readonly PolicyDecision[]; shadow: readonly PolicyDecision[] },
    restricted: boolean,
  ): Promise<EnforcementOutcome | undefined> {
    const db = trx as Kysely<EnforcementTables>;
    const { eventId } = input;
    const summary = summarizeDecisions(evaluation.decisions);
    const now = clock();
    const decisionId = newId(now.getTime());
    const row: DecisionRow = {
      id: decisionId,
      event_id: eventId,
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
    if (!(await repo.insertDecision(db, row))) return undefined;

    let caseId: string | null = null;
    let actions: Action[] = [];
    if (summary.kinds.length > 0) {
      const attached = await deps.cases.attach(trx, {
        accountId: subject.accountId,
        decisionId,
        priority: summary.reviewPriority ?? "normal",
        restricted,
        reportRequested: summary.kinds.includes("report"),
        reason: evaluation.decisions[0]!.explanation,
      });
      caseId = attached.caseId;
      await repo.setDecisionCase(db, decisionId, caseId);
      const requests = summary.kinds.flatMap((kind) => actionFor(kind, { ...subject, caseId: attached.caseId, decisionId, receivedAt: input.receivedAt, evaluation: evaluation.decisions }));
      actions = await deps.actions.emit(trx, requests);
      // Account findings (network) have no event to preserve; the vault gathers the case when it is confirmed.
      if (summary.kinds.includes("preserve") && input.event !== undefined && deps.evidence) {
        await deps.evidence.preserveEvent(trx, { caseId, accountId: subject.accountId, eventId, event: input.event, mediaHashes: input.mediaHashes, actor: "system" });
      }
    }
    if (evaluation.decisions.length > 0 || evaluation.shadow.length > 0) {
      await deps.audit.record(trx as Kysely<unknown>, {
        actor: "system",
        action: "decision.automated",
        target: { type: "decision", id: decisionId },
        details: { eventId, accountId: subject.accountId, policyVersion: policySet.version, kinds: summary.kinds, shadow: evaluation.shadow.map((d) => `${d.policyId}:${d.decision}`), caseId },
      });
    }
    return { decisionId, caseId, decisions: evaluation.decisions, shadow: evaluation.shadow, actions, receivedAt: input.receivedAt };
  }

  /** What the platform did itself goes into the account's open case history, for the reviewer. */
  async function notePlatformOutcome(db: Kysely<EnforcementTables>, event: Extract<EnforceInput["event"], { type: "moderation.outcome" }>): Promise<void> {
    const { target, action, reason, moderator_id } = event.outcome;
    const key = (id: string) => accountKeyOf(event, id);
    const accountId = target.type === "account" ? key(target.id) : target.author_id !== undefined ? key(target.author_id) : await repo.authorOf(db, key(target.id));
    if (!accountId) return;
    await deps.cases.notePlatformOutcome(db as unknown as QueryExecutor, accountId, { eventId: event.id, action, target: `${target.type}:${target.id}`, reason: reason ?? null, moderator: moderator_id ?? null });
  }

  /** The age band, and every report about the account since its last decided case (each report once). */
  async function contextSignals(db: Kysely<EnforcementTables>, accountId: string, isReport: boolean): Promise<Signal[]> {
    const context: Signal[] = [];
    const account = await repo.findAccount(db, accountId);
    const age = account ? ageBandSignal(accountId, account.age_band, account.age_source) : undefined;
    if (age) context.push(age);
    if (isReport) {
      const since = await deps.cases.lastDecidedAt(db as unknown as QueryExecutor, accountId);
      const seen = new Set<string>();
      for (const row of await repo.decisionsSince(db, accountId, since)) {
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
    enforce,
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
