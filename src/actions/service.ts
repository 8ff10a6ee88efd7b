import type { Kysely } from "kysely";
import type { AuditLog, AuditRecord } from "../audit/index.js";
import { LapwingError } from "../errors/index.js";
import type { QueryExecutor } from "../queue/index.js";
import { newId, type SeqBlock } from "../store/index.js";
import { accountRefOf, platformFieldOf } from "../events/tenancy.js";
import type { ActionRepository, ActionRow } from "./repository.js";
import { platformViewer, redactAction, type Action, type ActionKind, type ActionRequest, type ActionViewer, type TargetType } from "./types.js";

/** The queue webhook deliveries go through; the payload names the action. */
export const webhookQueueName = "webhooks";

/** What the action service needs from the job queue. */
export interface ActionJobQueue {
  enqueueMany(trx: QueryExecutor, requests: ReadonlyArray<{ queue: string; payload: { actionId: string }; key: string; maxAttempts?: number }>): Promise<{ enqueued: number; duplicates: number }>;
}

export interface ActionServiceOptions {
  queue: ActionJobQueue;
  audit: AuditLog;
  /** Deliveries tried before a webhook goes to the dead-letter list. */
  webhookMaxAttempts?: number;
  /**
   * Where the webhook outbox starts the first time a process drains it
   * (LAPWING_WEBHOOK_BACKLOG): `deliver` (the default) every action not yet
   * delivered, or `skip` those written before then (still polled, replayable).
   */
  webhookBacklog?: "deliver" | "skip";
  /** Which case ids are restricted (src/cases); actions of those cases are redacted for viewers without the child-safety role. */
  restrictedCases: { among(caseIds: readonly string[]): Promise<Set<string>> };
  clock?: () => Date;
}

const maxPage = 1000;

/**
 * The outbox of actions for the platform. `emit(trx, requests)` writes each
 * action whose idempotency key is new, inside the caller's transaction, with
 * an audit entry: the action and its record commit or vanish together.
 * Emitting a key again returns nothing new, which is what keeps a redelivered
 * event or a repeated reviewer request from acting twice. The actions table is
 * the webhook outbox: `drainOutbox` (run by every process with webhook
 * settings) queues deliveries for what any process wrote.
 *
 * Platforms read actions either as signed webhooks (src/actions/delivery.ts,
 * at least once, keyed by the action id) or by polling `list({ after })`.
 *
 * @example
 * await store.db.transaction().execute((trx) =>
 *   actions.emit(trx, [{ key: "hold:case1:post:p1", kind: "content.hold", accountId: "a1",
 *     target: { type: "post", id: "p1" }, caseId: "case1", actor: "system", reason: "…" }]));
 * await actions.list({ after: 0 }); // → { actions: [...], next: 17 }
 */
export function createActionService(repo: ActionRepository, options: ActionServiceOptions) {
  const clock = options.clock ?? (() => new Date());
  const maxAttempts = options.webhookMaxAttempts ?? 10;
  const backlog = options.webhookBacklog ?? "deliver";

  async function emit(trx: QueryExecutor, requests: readonly ActionRequest[]): Promise<Action[]> {
    const actions = await insert(trx, requests);
    if (actions.length > 0) await options.audit.recordMany(trx as Kysely<unknown>, actions.map(actionAuditRecord));
    return actions;
  }

  /**
   * `emit` without its audit entries: the caller records `actionAuditRecord(action)` for each
   * action returned, in the same transaction, where its own entries put them in order (an event
   * batch's enforcement records every event's actions and decision with one append).
   */
  async function insert(trx: QueryExecutor, requests: readonly ActionRequest[]): Promise<Action[]> {
    return (await prepareInsert(trx, requests)).insert();
  }

  /**
   * `insert` in two steps, so that the caller can number the actions from a block of `seq` it
   * takes for other rows too, after its other statements (src/store/counters.ts
   * `allocateSeqBlock`): first the requests whose key is new are found (`count` of them), then
   * `insert(numbers)` writes them, taking `count` values from the block.
   */
  async function prepareInsert(trx: QueryExecutor, requests: readonly ActionRequest[]): Promise<{ count: number; insert(numbers?: SeqBlock): Promise<Action[]> }> {
    const now = clock();
    const createdAt = now.toISOString();
    const fresh = await repo.withNewKeys(
      trx,
      requests.map((r) => ({
        id: newId(now.getTime()),
        kind: r.kind,
        account_id: r.accountId,
        target_type: r.target.type,
        target_id: r.target.id,
        case_id: r.caseId ?? null,
        decision_id: r.decisionId ?? null,
        reverses: r.reverses ?? null,
        idempotency_key: r.key,
        actor: r.actor,
        reason: r.reason,
        details: JSON.stringify(r.details ?? {}),
        event_received_at: r.eventReceivedAt ?? null,
        created_at: createdAt,
        delivered_at: null,
      })),
    );
    return { count: fresh.length, insert: async (numbers) => (await repo.insertNumbered(trx, fresh, numbers)).map(toAction) };
  }

  /**
   * Moves the webhook outbox on: queues one delivery (keyed by the action id,
   * so never twice) for each undelivered action written since the cursor,
   * whoever wrote it, and advances the cursor, in one transaction. Every
   * process that delivers webhooks calls it on each poll; when another one is
   * draining at that moment it returns 0 at once. Returns how many actions it
   * moved past (`batch` means there may be more).
   */
  async function drainOutbox(batch = 1000): Promise<number> {
    return repo.db.transaction().execute(async (trx) => {
      const cursor = await repo.lockOutboxCursor(trx, async () => (backlog === "skip" ? repo.currentSeq(trx) : 0));
      if (cursor === undefined) return 0;
      // Read after taking the cursor: everything up to here has committed, so nothing below it is skipped.
      const upTo = await repo.currentSeq(trx);
      if (upTo <= cursor) return 0;
      const due = await repo.undeliveredBetween(trx, cursor, upTo, batch);
      // Keyed by the action id: an action queued before (by an older version, or a replay of the cursor) is not queued twice.
      await options.queue.enqueueMany(
        trx,
        due.map((a) => ({ queue: webhookQueueName, payload: { actionId: a.id }, key: a.id, maxAttempts })),
      );
      await repo.moveOutboxCursor(trx, due.length === batch ? due[due.length - 1]!.seq : upTo);
      return due.length;
    });
  }

  /** Undelivered actions the outbox has not queued yet (1 before any process has drained it), for `worker --until-idle`. */
  async function outboxBacklog(): Promise<number> {
    const cursor = await repo.outboxCursor();
    return cursor === undefined ? 1 : repo.countUndeliveredAfter(cursor);
  }

  /** The actions as `viewer` may see them: those of restricted cases redacted unless the viewer may see such cases. */
  async function visibleTo(viewer: ActionViewer, actions: Action[]): Promise<Action[]> {
    if (viewer.canSeeRestricted) return actions;
    const restricted = await options.restrictedCases.among(actions.flatMap((a) => (a.caseId ? [a.caseId] : [])));
    return actions.map((a) => (a.caseId !== null && restricted.has(a.caseId) ? redactAction(a) : a));
  }

  /**
   * Actions after feed position `after`, oldest first, as `viewer` may see
   * them; `next` is the cursor for the following page.
   */
  async function list(query: { after?: number; limit?: number; accountId?: string; caseId?: string }, viewer: ActionViewer): Promise<{ actions: Action[]; next: number }> {
    const after = query.after ?? 0;
    const limit = Math.min(query.limit ?? 100, maxPage);
    const rows = await repo.listAfter(after, limit, { accountId: query.accountId, caseId: query.caseId });
    const actions = await visibleTo(viewer, rows.map(toAction));
    return { actions, next: actions.length > 0 ? actions[actions.length - 1]!.seq : after };
  }

  /** One action as `viewer` may see it (the webhook body is what `platformViewer` sees). */
  async function get(id: string, viewer: ActionViewer): Promise<Action> {
    const row = await repo.find(id);
    if (!row) throw new LapwingError("NOT_FOUND", `No action has id "${id}".`);
    return (await visibleTo(viewer, [toAction(row)]))[0]!;
  }

  /** The actions of one case, in order, inside `trx` (to decide what a reviewer's decision reverses). */
  async function forCase(trx: QueryExecutor, caseId: string): Promise<Action[]> {
    return (await repo.forCase(trx, caseId)).map(toAction);
  }

  /**
   * Queues another webhook delivery of each action (the platform lost them, or
   * they were dead-lettered); the receiver dedupes on the unchanged action id.
   * Any process may queue them (the CLI included): a process with webhook
   * settings delivers them.
   */
  async function replay(ids: readonly string[], actor: string): Promise<{ queued: number }> {
    for (const id of ids) await get(id, platformViewer); // NOT_FOUND, as get says it, for an unknown id
    const replayId = newId(clock().getTime());
    return repo.db.transaction().execute(async (trx) => {
      const { enqueued } = await options.queue.enqueueMany(
        trx,
        ids.map((id) => ({ queue: webhookQueueName, payload: { actionId: id }, key: `${id}:replay:${replayId}`, maxAttempts })),
      );
      await options.audit.record(trx as unknown as Kysely<unknown>, { actor, action: "action.replay", details: { actions: [...ids] } });
      return { queued: enqueued };
    });
  }

  return { emit, insert, prepareInsert, list, get, forCase, replay, drainOutbox, outboxBacklog, markDelivered: (id: string) => repo.markDelivered(id, clock().toISOString()) };
}

export type ActionService = ReturnType<typeof createActionService>;

/** The audit entry recording that an action was emitted. */
export function actionAuditRecord(a: Action): AuditRecord {
  return {
    actor: a.actor,
    action: "action.emit",
    target: { type: "action", id: a.id },
    details: { kind: a.kind, accountId: a.accountId, ...(a.platformId === undefined ? {} : { platformId: a.platformId }), target: `${a.target.type}:${a.target.id}`, caseId: a.caseId, reverses: a.reverses },
  };
}

export function toAction(row: ActionRow): Action {
  return {
    id: row.id,
    seq: Number(row.seq),
    kind: row.kind as ActionKind,
    // Stored by scoped key; the action names the platform beside the platform's own id (the webhook body is this).
    accountId: accountRefOf(row.account_id).id,
    ...platformFieldOf(row.account_id),
    target: { type: row.target_type as TargetType, id: row.target_id },
    caseId: row.case_id,
    decisionId: row.decision_id,
    reverses: row.reverses,
    actor: row.actor,
    reason: row.reason,
    details: JSON.parse(row.details) as Record<string, unknown>,
    createdAt: row.created_at,
    deliveredAt: row.delivered_at,
  };
}
