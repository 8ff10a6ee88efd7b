import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { LapwingError } from "../errors/index.js";
import type { Doorbell } from "./doorbell.js";
import { pause } from "./pause.js";
import type { QueryExecutor } from "./service.js";
import type { ClaimOptions, FailResult, Job } from "./types.js";

/** What a worker needs from the queue (the rest of `JobQueue` stays out of reach). */
export interface WorkerQueue {
  claim(queue: string, options: ClaimOptions): Promise<Job[]>;
  complete(jobId: string, worker: string): Promise<boolean>;
  fail(jobId: string, worker: string, error: unknown): Promise<FailResult | null>;
  release(jobId: string, worker: string): Promise<boolean>;
}

/** What a batch worker needs besides: completion inside the handler's transaction, and lease renewal. */
export interface BatchWorkerQueue extends WorkerQueue {
  completeWithin(trx: QueryExecutor, jobIds: readonly string[], worker: string): Promise<string[]>;
  renew(jobIds: readonly string[], worker: string, leaseMs: number): Promise<number>;
}

/** Where a worker reports trouble; a pino logger fits. */
export interface WorkerLog {
  warn(details: Record<string, unknown>, message: string): void;
}

export interface JobContext {
  /**
   * Aborts when the worker is asked to stop. A long handler should watch it:
   * a handler that throws once it has aborted has its job handed back to the
   * queue at once, the attempt uncounted, for another worker to take.
   */
  signal: AbortSignal;
  /** This worker's id, as stored in `locked_by`. */
  worker: string;
}

export interface WorkerOptions<P = unknown> {
  queue: string;
  /**
   * Does the job's work; throwing fails the attempt (retried with backoff,
   * dead-lettered after the last). It may run more than once for the same job
   * (see "Delivery" on `createJobQueue`), so its writes must be idempotent.
   */
  handler: (job: Job<P>, context: JobContext) => Promise<void>;
  /** Jobs handled at once (default 1). */
  concurrency?: number;
  /** Wait between claims when the queue is empty or the database unreachable (default 1000). */
  pollMs?: number;
  /**
   * How long a claimed job is reserved (default 5 minutes). Leases are not
   * renewed: make it comfortably longer than the slowest handler, or the job
   * is delivered again while still running. A crashed worker's jobs come back
   * after this long.
   */
  leaseMs?: number;
  /**
   * Stops the worker: no new claims; the promise resolves once jobs in hand
   * are finished, or handed back when their handler stopped on the signal.
   */
  signal: AbortSignal;
  /** Defaults to host:pid:random, unique per call. */
  worker?: string;
  log?: WorkerLog;
}

export interface BatchContext extends JobContext {
  /**
   * Marks jobs done in the handler's transaction `trx` (call it before that
   * transaction commits, with the work of those jobs); returns the ids this
   * worker still held.
   */
  complete(trx: QueryExecutor, jobIds: readonly string[]): Promise<string[]>;
}

/** What a batch handler reports: the jobs it could not do, each with why. Every other job it completed. */
export interface BatchResult {
  failed: ReadonlyArray<{ jobId: string; error: unknown }>;
}

export interface BatchWorkerOptions<P = unknown> extends Omit<WorkerOptions<P>, "handler" | "concurrency"> {
  /**
   * Does a batch's work and completes its jobs with `context.complete` in the
   * same transaction; returns the jobs that failed (retried with backoff,
   * dead-lettered after their last attempt, the error kept as the job's
   * `last_error`). Throwing fails every job of the batch. May see a job again
   * (see "Delivery" on `createJobQueue`), so its writes must be idempotent.
   */
  handler: (jobs: Array<Job<P>>, context: BatchContext) => Promise<BatchResult>;
  /** Most jobs in one batch (default 100). */
  batchSize?: number;
  /**
   * How long a batch that is not full may wait for more jobs before it runs,
   * in milliseconds (default 0: run with what is due). Whichever comes first,
   * the size or the wait, closes the batch.
   */
  batchWaitMs?: number;
  /** Rung by producers in this process, so an idle worker claims new work before its poll ends. */
  doorbell?: Doorbell;
}

const defaultLog: WorkerLog = { warn: (details, message) => console.warn(message, details) };

/**
 * Loops claim → handler → complete/fail until `signal` aborts. Database errors
 * (a dropped connection, a restart) are logged and the next poll tries again;
 * a job whose completion could not be recorded comes back when its lease ends.
 */
/**
 * Records a job's failure (retry later, or dead-letter on its last attempt). When the
 * store cannot take it, the failure is kept in `unrecorded` and written before the next claim.
 */
async function recordFailure(
  queue: WorkerQueue,
  { worker, log, unrecorded }: { worker: string; log: WorkerLog; unrecorded: Map<string, { job: Job; error?: unknown }> },
  job: Job,
  error: unknown,
): Promise<void> {
  const context = { jobId: job.id, queue: job.queue, attempt: job.attempts, worker };
  try {
    const result = await queue.fail(job.id, worker, error);
    if (result === null) log.warn({ ...context, err: error }, "job failed after its lease was taken over; the new holder reports its outcome");
    else if (result.state === "dead") log.warn({ ...context, err: error }, "job failed on its last attempt and is dead-lettered");
    else log.warn({ ...context, err: error, retryAt: result.retryAt }, "job failed; retrying later");
  } catch (recordError) {
    unrecorded.set(job.id, { job, error });
    log.warn({ ...context, err: recordError }, "could not record a job failure; trying again before the next claim");
  }
}

export async function runJobWorker<P>(queue: WorkerQueue, options: WorkerOptions<P>): Promise<void> {
  const concurrency = positiveInteger(options.concurrency ?? 1, "/concurrency");
  const pollMs = positiveInteger(options.pollMs ?? 1000, "/pollMs");
  const leaseMs = positiveInteger(options.leaseMs ?? 5 * 60_000, "/leaseMs");
  const { signal, handler } = options;
  const worker = options.worker ?? `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  const log = options.log ?? defaultLog;
  const inFlight = new Set<Promise<void>>();
  // Outcomes the database did not take (it was restarting): recorded again before the next claim, so the
  // jobs do not sit out their whole lease. The lease still covers a worker that dies meanwhile.
  const unrecorded = new Map<string, { job: Job; error?: unknown }>();
  let wake: (() => void) | undefined;

  // Resolves after `ms`, on abort, or (with `untilSlotFrees`) when a job finishes.
  async function nap(ms: number, untilSlotFrees: boolean): Promise<void> {
    if (!untilSlotFrees) return pause(ms, signal);
    const slotFreed = new AbortController();
    wake = () => slotFreed.abort();
    await pause(ms, AbortSignal.any([signal, slotFreed.signal]));
    wake = undefined;
  }

  async function handle(job: Job): Promise<void> {
    const context = { jobId: job.id, queue: job.queue, attempt: job.attempts, worker };
    try {
      await handler(job as Job<P>, { signal, worker });
    } catch (error) {
      if (signal.aborted) {
        // Stopped on the shutdown signal, not a failure of the job: back to the queue at once.
        try {
          await queue.release(job.id, worker);
        } catch (releaseError) {
          log.warn({ ...context, err: releaseError }, "could not hand a job back on shutdown; it comes back when its lease ends");
        }
        return;
      }
      await recordFailure(queue, { worker, log, unrecorded }, job, error);
      return;
    }
    try {
      const held = await queue.complete(job.id, worker);
      if (!held) log.warn(context, "job finished after its lease ended; it may have run twice (handlers must be idempotent)");
    } catch (error) {
      unrecorded.set(job.id, { job });
      log.warn({ ...context, err: error }, "could not mark a job done; trying again before the next claim");
    }
  }

  /** Records what the database missed; stops at the first error (it is probably still away). */
  async function recordMissed(): Promise<void> {
    for (const [id, { job, error }] of unrecorded) {
      try {
        if (error === undefined) await queue.complete(id, worker);
        else await queue.fail(id, worker, error);
        unrecorded.delete(id);
      } catch {
        return;
      }
      log.warn({ jobId: id, queue: job.queue, worker }, "recorded a job outcome the database missed earlier");
    }
  }

  while (!signal.aborted) {
    // better-sqlite3 answers synchronously, so with jobs always due this loop would never give
    // Node's event loop a turn and the HTTP server in the same process would stall until the
    // queue drained (seen in bench/ingest.ts: POSTs waiting 6 s). One macrotask per turn fixes it.
    await new Promise((resolve) => setImmediate(resolve));
    if (unrecorded.size > 0) await recordMissed();
    const free = concurrency - inFlight.size;
    if (free === 0) {
      await nap(pollMs, true);
      continue;
    }
    let jobs: Job[] = [];
    try {
      jobs = await queue.claim(options.queue, { worker, limit: free, leaseMs });
    } catch (error) {
      log.warn({ queue: options.queue, worker, err: error }, "claiming jobs failed; retrying at the next poll");
    }
    for (const job of jobs) {
      const running: Promise<void> = handle(job).finally(() => {
        inFlight.delete(running);
        wake?.();
      });
      inFlight.add(running);
    }
    // A short batch means the queue is drained (or the database is away): wait a poll.
    if (jobs.length < free) await nap(pollMs, false);
  }
  await Promise.all(inFlight);
}

/**
 * Loops claim a batch → handler → fail what failed, until `signal` aborts.
 * A batch is up to `batchSize` due jobs; when fewer are due it waits up to
 * `batchWaitMs` for more. The handler completes the jobs it did in its own
 * transaction (so a batch costs one commit, not one per job, and no job is
 * done without its work or the other way round). While it runs, the leases of
 * the batch are renewed every third of `leaseMs`, so a long batch is not
 * delivered again under it; a crashed worker's batch comes back after `leaseMs`.
 * Database errors are logged and retried as in `runJobWorker`.
 */
export async function runBatchWorker<P>(queue: BatchWorkerQueue, options: BatchWorkerOptions<P>): Promise<void> {
  const batchSize = positiveInteger(options.batchSize ?? 100, "/batchSize");
  const batchWaitMs = options.batchWaitMs ?? 0;
  if (!Number.isInteger(batchWaitMs) || batchWaitMs < 0) throw new LapwingError("VALIDATION_FAILED", "batchWaitMs must be a whole number of milliseconds.", { pointer: "/batchWaitMs" });
  const pollMs = positiveInteger(options.pollMs ?? 1000, "/pollMs");
  const leaseMs = positiveInteger(options.leaseMs ?? 5 * 60_000, "/leaseMs");
  const { signal, handler } = options;
  const worker = options.worker ?? `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  const log = options.log ?? defaultLog;
  const unrecorded = new Map<string, { job: Job; error?: unknown }>();
  const idle = (ms: number) => (options.doorbell ? options.doorbell.wait(ms, signal) : pause(ms, signal));

  async function claim(limit: number): Promise<Job[]> {
    try {
      return await queue.claim(options.queue, { worker, limit, leaseMs });
    } catch (error) {
      log.warn({ queue: options.queue, worker, err: error }, "claiming jobs failed; retrying at the next poll");
      return [];
    }
  }

  /** Up to batchSize jobs: what is due now, topped up for at most batchWaitMs. */
  async function fill(): Promise<Job[]> {
    const jobs = await claim(batchSize);
    if (jobs.length === 0 || jobs.length >= batchSize || batchWaitMs === 0) return jobs;
    const deadline = Date.now() + batchWaitMs;
    // Short steps, so a batch that fills early runs early; a claim that finds nothing writes nothing.
    const step = Math.max(1, Math.min(5, batchWaitMs));
    while (jobs.length < batchSize && !signal.aborted) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      await pause(Math.min(step, left), signal);
      jobs.push(...(await claim(batchSize - jobs.length)));
    }
    return jobs;
  }

  const failJob = (job: Job, error: unknown) => recordFailure(queue, { worker, log, unrecorded }, job, error);

  async function recordMissed(): Promise<void> {
    for (const [id, { job, error }] of unrecorded) {
      try {
        await queue.fail(id, worker, error);
        unrecorded.delete(id);
      } catch {
        return;
      }
      log.warn({ jobId: id, queue: job.queue, worker }, "recorded a job outcome the database missed earlier");
    }
  }

  async function run(jobs: Job[]): Promise<void> {
    const ids = jobs.map((job) => job.id);
    const renewing = setInterval(() => {
      queue.renew(ids, worker, leaseMs).catch((error: unknown) => log.warn({ queue: options.queue, worker, err: error }, "could not renew the leases of a batch; trying again"));
    }, Math.max(1, Math.floor(leaseMs / 3)));
    renewing.unref();
    let result: BatchResult;
    try {
      result = await handler(jobs as Array<Job<P>>, { signal, worker, complete: (trx, jobIds) => queue.completeWithin(trx, jobIds, worker) });
    } catch (error) {
      if (signal.aborted) {
        // Stopped on the shutdown signal: hand the batch back at once, attempts uncounted.
        for (const job of jobs) {
          await queue.release(job.id, worker).catch((releaseError: unknown) => log.warn({ jobId: job.id, worker, err: releaseError }, "could not hand a job back on shutdown; it comes back when its lease ends"));
        }
        return;
      }
      result = { failed: jobs.map((job) => ({ jobId: job.id, error })) };
    } finally {
      clearInterval(renewing);
    }
    const byId = new Map(jobs.map((job) => [job.id, job]));
    for (const { jobId, error } of result.failed) {
      const job = byId.get(jobId);
      if (job) await failJob(job, error);
    }
  }

  while (!signal.aborted) {
    // Give the event loop a turn (better-sqlite3 answers synchronously; see runJobWorker).
    await new Promise((resolve) => setImmediate(resolve));
    if (unrecorded.size > 0) await recordMissed();
    const jobs = await fill();
    if (jobs.length > 0) await run(jobs);
    // Nothing due (or the database is away): wait a poll, or the doorbell. After a batch, short or not,
    // claim again at once: work that arrived meanwhile should not wait out a poll.
    if (jobs.length === 0 && !signal.aborted) await idle(pollMs);
  }
}

function positiveInteger(value: number, pointer: string): number {
  if (!Number.isInteger(value) || value < 1) throw new LapwingError("VALIDATION_FAILED", `${pointer.slice(1)} must be a positive integer.`, { pointer });
  return value;
}
