import type { Kysely } from "kysely";
import { LapwingError } from "../errors/index.js";
import { newId, type DialectName, type Store } from "../store/index.js";
import { defaultBackoff, retryDelayMs, type BackoffOptions } from "./backoff.js";
import { createJobRepository, type JobRow } from "./repository.js";
import type { JobTables } from "./tables.js";
import type { ClaimOptions, EnqueueRequest, EnqueueResult, FailResult, Job, JobState, QueueStats } from "./types.js";
import { runBatchWorker, runJobWorker, type BatchWorkerOptions, type WorkerOptions } from "./worker.js";

export interface JobQueueOptions {
  clock?: () => Date;
  /** Float in [0, 1) for backoff jitter; pass a seeded one in tests. */
  rng?: () => number;
  backoff?: Partial<BackoffOptions>;
  /** Deliveries before a job is dead-lettered, unless its enqueue says otherwise (default 5). */
  maxAttempts?: number;
  /** Largest payload accepted, as JSON text (default 1 MiB). */
  maxPayloadBytes?: number;
  /** The store's connection: on SQLite, claims then commit without syncing the log (see the repository's `claim`). */
  native?: Store["native"];
}

/** A database or transaction of any service: a job is enqueued in the caller's transaction. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type QueryExecutor = Kysely<any>;

const queueNamePattern = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;
const maxKeyLength = 500;
const maxAttemptsCeiling = 1000;
const maxClaimLimit = 1000;
const maxErrorChars = 4000;

/**
 * The durable job queue: one table (`jobs`, migration 0004) on SQLite or
 * PostgreSQL. `db` is the store's database (any service's tables may sit
 * beside `jobs`); `clock` and `rng` are injectable for tests. Returns:
 *
 * - `enqueue(trxOrDb, { queue, payload, key?, runAt?, maxAttempts? })`: inside
 *   the caller's transaction, so the job is durable exactly when the data it
 *   refers to is. The same `key` twice in a queue is a no-op (`isDuplicate`).
 *   `enqueueMany` does the same for a batch.
 * - `claim(queue, { worker, limit, leaseMs })`: leases up to `limit` due jobs,
 *   oldest due first. PostgreSQL uses `FOR UPDATE SKIP LOCKED`, so several
 *   worker processes share a queue without taking the same job; SQLite
 *   serialises writers, so its single `UPDATE … RETURNING` is atomic. A job
 *   whose lease has ended (its worker crashed) is claimable again.
 * - `completeWithin(trx, jobIds, worker)`: marks jobs done in the caller's
 *   transaction, with the work they stand for; `renew(jobIds, worker,
 *   leaseMs)` extends the leases of a long batch.
 * - `complete(jobId, worker)` and `fail(jobId, worker, error)`: a failure
 *   retries after `retryDelayMs` (exponential, with jitter from `rng`) and
 *   moves the job to `dead` after `maxAttempts` deliveries. Both are no-ops
 *   (false / null) when the worker no longer holds the job.
 * - `release(jobId, worker)`: hands a held job back unprocessed, due at once,
 *   its attempt uncounted (a worker shutting down); false when not held.
 * - `listDead(queue)`, `retryDead(jobId)`, `get(jobId)`, `stats()` (depth per
 *   state and oldest ready age, per queue).
 * - `runWorker({ queue, handler, concurrency, pollMs, leaseMs, signal })`:
 *   claim → handler → complete or fail, until `signal` aborts; database
 *   errors are logged and retried at the next poll. `runBatchWorker` claims
 *   a batch at a time and hands it to one handler, which completes the jobs
 *   in its own transaction (see its docs in worker.ts).
 *
 * ## Delivery: at least once
 *
 * A job is delivered at least once, not exactly once: a worker can finish a
 * handler and die (or lose its connection) before `complete` is recorded, and
 * the job is delivered again when the lease ends. The same happens when a
 * handler outlives `leaseMs` (`runWorker` does not renew leases; `runBatchWorker`
 * does). Exactly-once *effect*
 * is the handler's part: key its writes by `job.key` or `job.id` (a unique
 * constraint with `on conflict do nothing`, or "already done?" checked in the
 * same transaction as the write), so a second delivery changes nothing.
 *
 * ## SQLite and transactions
 *
 * Pass the transaction you are in as `trxOrDb`, never the plain `db`. On
 * PostgreSQL the job would commit on its own, outside your transaction; on
 * SQLite one connection is shared, so the call would wait for your
 * transaction, which is waiting for it: it never returns.
 *
 * @example
 * const jobs = createJobQueue(store.db, store.dialect);
 * await store.db.transaction().execute(async (trx) => {
 *   await trx.insertInto("events").values(event).execute();
 *   await jobs.enqueue(trx, { queue: "events", payload: { eventId: event.id }, key: event.id });
 * });
 *
 * const stop = new AbortController();
 * const done = jobs.runWorker({
 *   queue: "events",
 *   concurrency: 4,
 *   signal: stop.signal,
 *   handler: async (job) => {
 *     // Idempotent: a second delivery of the same job inserts nothing.
 *     await store.db.insertInto("signals").values({ event_id: job.key, ... })
 *       .onConflict((oc) => oc.column("event_id").doNothing()).execute();
 *   },
 * });
 * // on shutdown:
 * stop.abort();
 * await done;
 */
export function createJobQueue(db: Kysely<JobTables>, dialect: DialectName, options: JobQueueOptions = {}) {
  const repo = createJobRepository(db, dialect, options.native);
  const clock = options.clock ?? (() => new Date());
  const rng = options.rng ?? Math.random;
  const backoff: BackoffOptions = { ...defaultBackoff, ...options.backoff };
  const defaultMaxAttempts = checkedMaxAttempts(options.maxAttempts ?? 5, "/maxAttempts");
  const maxPayloadBytes = options.maxPayloadBytes ?? 1024 * 1024;

  function toRow(request: EnqueueRequest, pointer: string): JobRow {
    const now = clock();
    const id = newId(now.getTime());
    checkQueueName(request.queue, `${pointer}/queue`);
    if (request.key !== undefined && (typeof request.key !== "string" || request.key.length === 0 || request.key.length > maxKeyLength)) {
      throw new LapwingError("VALIDATION_FAILED", `A job key must be a string of 1 to ${maxKeyLength} characters.`, { pointer: `${pointer}/key` });
    }
    if (request.runAt !== undefined && !(request.runAt instanceof Date && Number.isFinite(request.runAt.getTime()))) {
      throw new LapwingError("VALIDATION_FAILED", "runAt must be a valid Date.", { pointer: `${pointer}/runAt` });
    }
    return {
      id,
      queue: request.queue,
      payload: serialisePayload(request.payload, `${pointer}/payload`),
      idempotency_key: request.key ?? id,
      state: "ready",
      attempts: 0,
      max_attempts: request.maxAttempts === undefined ? defaultMaxAttempts : checkedMaxAttempts(request.maxAttempts, `${pointer}/maxAttempts`),
      run_at: (request.runAt ?? now).getTime(),
      locked_by: null,
      locked_until: null,
      last_error: null,
      created_at: now.toISOString(),
      finished_at: null,
    };
  }

  function serialisePayload(payload: unknown, pointer: string): string {
    let text: string | undefined;
    try {
      text = JSON.stringify(payload);
    } catch (error) {
      throw new LapwingError("VALIDATION_FAILED", `A job payload must be JSON-serialisable: ${(error as Error).message}.`, { pointer, cause: error });
    }
    if (text === undefined) throw new LapwingError("VALIDATION_FAILED", "A job payload must be a JSON value (not undefined or a function).", { pointer });
    if (Buffer.byteLength(text) > maxPayloadBytes) {
      throw new LapwingError(
        "PAYLOAD_TOO_LARGE",
        `A job payload is ${Buffer.byteLength(text)} bytes as JSON, over the ${maxPayloadBytes}-byte limit; store large data in a table and enqueue its id.`,
        { pointer },
      );
    }
    return text;
  }

  async function enqueue<P>(trx: QueryExecutor, request: EnqueueRequest<P>): Promise<EnqueueResult> {
    const row = toRow(request, "");
    const executor = trx as Kysely<JobTables>;
    const [inserted] = await repo.insert(executor, [row]);
    if (inserted !== undefined) return { id: inserted, isDuplicate: false };
    const existing = await repo.findByKey(executor, row.queue, row.idempotency_key);
    // Unreachable unless the conflicting job was deleted in between; report it as queued by someone else.
    return { id: existing?.id ?? row.id, isDuplicate: true };
  }

  async function enqueueMany<P>(trx: QueryExecutor, requests: ReadonlyArray<EnqueueRequest<P>>): Promise<{ enqueued: number; duplicates: number }> {
    const rows = requests.map((request, i) => toRow(request, `/${i}`));
    const inserted = await repo.insert(trx as Kysely<JobTables>, rows);
    return { enqueued: inserted.length, duplicates: rows.length - inserted.length };
  }

  async function claim(queue: string, claimOptions: ClaimOptions): Promise<Job[]> {
    checkQueueName(queue, "/queue");
    const { worker, limit, leaseMs } = claimOptions;
    if (typeof worker !== "string" || worker.length === 0) throw new LapwingError("VALIDATION_FAILED", "A worker id must be a non-empty string.", { pointer: "/worker" });
    if (!Number.isInteger(limit) || limit < 1 || limit > maxClaimLimit) {
      throw new LapwingError("VALIDATION_FAILED", `A claim limit must be an integer from 1 to ${maxClaimLimit}.`, { pointer: "/limit" });
    }
    if (!Number.isInteger(leaseMs) || leaseMs < 1) throw new LapwingError("VALIDATION_FAILED", "leaseMs must be a positive integer.", { pointer: "/leaseMs" });
    const now = clock();
    const rows = await repo.claim(queue, worker, limit, now.getTime(), now.getTime() + leaseMs, now.toISOString());
    return rows.map(toJob);
  }

  async function complete(jobId: string, worker: string): Promise<boolean> {
    return repo.complete(jobId, worker, clock().toISOString());
  }

  /**
   * Marks jobs done inside the caller's transaction, so the work and its
   * completion commit together (one commit per batch, and no window in which
   * the work is durable but the job still leased). Returns the ids `worker`
   * still held.
   */
  async function completeWithin(trx: QueryExecutor, jobIds: readonly string[], worker: string): Promise<string[]> {
    if (jobIds.length === 0) return [];
    return repo.completeMany(trx as Kysely<JobTables>, jobIds, worker, clock().toISOString());
  }

  /** Extends the leases `worker` holds on `jobIds` to `leaseMs` from now (a long batch); returns how many it still held. */
  async function renew(jobIds: readonly string[], worker: string, leaseMs: number): Promise<number> {
    if (jobIds.length === 0) return 0;
    return repo.extend(jobIds, worker, clock().getTime() + leaseMs);
  }

  async function fail(jobId: string, worker: string, error: unknown): Promise<FailResult | null> {
    const held = await repo.findHeld(jobId, worker);
    if (!held) return null;
    const now = clock();
    const message = describeError(error);
    if (held.attempts >= held.max_attempts) {
      return (await repo.release(jobId, worker, held.attempts, { runAt: null, error: message, at: now.toISOString() })) ? { state: "dead" } : null;
    }
    const retryAt = now.getTime() + retryDelayMs(held.attempts, backoff, rng);
    const released = await repo.release(jobId, worker, held.attempts, { runAt: retryAt, error: message, at: now.toISOString() });
    return released ? { state: "ready", retryAt: new Date(retryAt).toISOString() } : null;
  }

  async function release(jobId: string, worker: string): Promise<boolean> {
    return repo.giveBack(jobId, worker, clock().getTime());
  }

  async function get(jobId: string): Promise<Job> {
    const row = await repo.find(jobId);
    if (!row) throw new LapwingError("NOT_FOUND", `No job has id "${jobId}".`);
    return toJob(row);
  }

  async function listDead(queue: string, page: { limit?: number; after?: string } = {}): Promise<Job[]> {
    checkQueueName(queue, "/queue");
    const limit = page.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > maxClaimLimit) {
      throw new LapwingError("VALIDATION_FAILED", `A page limit must be an integer from 1 to ${maxClaimLimit}.`, { pointer: "/limit" });
    }
    return (await repo.listDead(queue, limit, page.after)).map(toJob);
  }

  async function retryDead(jobId: string): Promise<Job> {
    const revived = await repo.revive(jobId, clock().getTime());
    if (revived) return toJob(revived);
    const job = await get(jobId);
    throw new LapwingError("CONFLICT", `Job "${jobId}" is ${job.state}, not dead; only dead jobs can be retried.`);
  }

  async function stats(): Promise<QueueStats[]> {
    const now = clock().getTime();
    const byQueue = new Map<string, QueueStats>();
    for (const row of await repo.countByState(now)) {
      let entry = byQueue.get(row.queue);
      if (!entry) byQueue.set(row.queue, (entry = { queue: row.queue, ready: 0, running: 0, done: 0, dead: 0, oldestReadyAgeMs: null }));
      entry[row.state as JobState] = row.count;
      if (row.state === "ready" && row.earliestDue !== null) entry.oldestReadyAgeMs = now - row.earliestDue;
    }
    return [...byQueue.values()].sort((a, b) => (a.queue < b.queue ? -1 : a.queue > b.queue ? 1 : 0));
  }

  const queue = { enqueue, enqueueMany, claim, complete, completeWithin, renew, fail, release, get, listDead, retryDead, stats };
  return {
    ...queue,
    runWorker: <P = unknown>(workerOptions: WorkerOptions<P>) => runJobWorker(queue, workerOptions),
    runBatchWorker: <P = unknown>(workerOptions: BatchWorkerOptions<P>) => runBatchWorker(queue, workerOptions),
  };
}

export type JobQueue = ReturnType<typeof createJobQueue>;

function checkQueueName(queue: string, pointer: string): void {
  if (typeof queue !== "string" || !queueNamePattern.test(queue)) {
    throw new LapwingError("VALIDATION_FAILED", `A queue name is 1 to 100 letters, digits, "_", ".", ":" or "-", starting with a letter or digit; got ${JSON.stringify(queue)}.`, {
      pointer,
    });
  }
}

function checkedMaxAttempts(value: number, pointer: string): number {
  if (!Number.isInteger(value) || value < 1 || value > maxAttemptsCeiling) {
    throw new LapwingError("VALIDATION_FAILED", `maxAttempts must be an integer from 1 to ${maxAttemptsCeiling}.`, { pointer });
  }
  return value;
}

function describeError(error: unknown): string {
  let text: string;
  if (error instanceof Error) text = error.stack ?? `${error.name}: ${error.message}`;
  else if (typeof error === "string") text = error;
  else {
    try {
      text = JSON.stringify(error) ?? String(error);
    } catch {
      text = String(error);
    }
  }
  return text.length > maxErrorChars ? `${text.slice(0, maxErrorChars)}…` : text;
}

function toJob(row: JobRow): Job {
  return {
    id: row.id,
    queue: row.queue,
    key: row.idempotency_key,
    payload: JSON.parse(row.payload) as unknown,
    state: row.state as JobState,
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    runAt: new Date(Number(row.run_at)).toISOString(),
    lockedBy: row.locked_by,
    lockedUntil: row.locked_until === null ? null : new Date(Number(row.locked_until)).toISOString(),
    lastError: row.last_error,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}
