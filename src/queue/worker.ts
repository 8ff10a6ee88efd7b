import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { LapwingError } from "../errors/index.js";
import { pause } from "./pause.js";
import type { ClaimOptions, FailResult, Job } from "./types.js";

/** What a worker needs from the queue (the rest of `JobQueue` stays out of reach). */
export interface WorkerQueue {
  claim(queue: string, options: ClaimOptions): Promise<Job[]>;
  complete(jobId: string, worker: string): Promise<boolean>;
  fail(jobId: string, worker: string, error: unknown): Promise<FailResult | null>;
  release(jobId: string, worker: string): Promise<boolean>;
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

const defaultLog: WorkerLog = { warn: (details, message) => console.warn(message, details) };

/**
 * Loops claim → handler → complete/fail until `signal` aborts. Database errors
 * (a dropped connection, a restart) are logged and the next poll tries again;
 * a job whose completion could not be recorded comes back when its lease ends.
 */
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
      try {
        const result = await queue.fail(job.id, worker, error);
        if (result === null) log.warn({ ...context, err: error }, "job failed after its lease was taken over; the new holder reports its outcome");
        else if (result.state === "dead") log.warn({ ...context, err: error }, "job failed on its last attempt and is dead-lettered");
        else log.warn({ ...context, err: error, retryAt: result.retryAt }, "job failed; retrying later");
      } catch (recordError) {
        unrecorded.set(job.id, { job, error });
        log.warn({ ...context, err: recordError }, "could not record a job failure; trying again before the next claim");
      }
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

function positiveInteger(value: number, pointer: string): number {
  if (!Number.isInteger(value) || value < 1) throw new LapwingError("VALIDATION_FAILED", `${pointer.slice(1)} must be a positive integer.`, { pointer });
  return value;
}
