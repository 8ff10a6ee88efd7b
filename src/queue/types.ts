/** Where a job is in its life. `done` and `dead` are final until an admin retries a dead job. */
export const jobStates = ["ready", "running", "done", "dead"] as const;
export type JobState = (typeof jobStates)[number];

/** A job as a handler, an admin listing or a test sees it. */
export interface Job<P = unknown> {
  id: string;
  queue: string;
  /** The idempotency key it was enqueued with, or its id when none was given. */
  key: string;
  payload: P;
  state: JobState;
  /** Claims so far, this one included; 1 on the first delivery. */
  attempts: number;
  maxAttempts: number;
  /** ISO time the job is due (ready) or its lease ends (running). */
  runAt: string;
  lockedBy: string | null;
  lockedUntil: string | null;
  lastError: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface EnqueueRequest<P = unknown> {
  queue: string;
  /** Any JSON value; stored as text. */
  payload: P;
  /** Enqueueing a key already in this queue (in any state) changes nothing. Defaults to the new job's id. */
  key?: string;
  /** Not claimable before this time (default: now). */
  runAt?: Date;
  /** Deliveries before the job is dead-lettered (default from the queue's options). */
  maxAttempts?: number;
}

export interface EnqueueResult {
  /** The new job's id, or the existing job's when the key was already queued. */
  id: string;
  isDuplicate: boolean;
}

export interface ClaimOptions {
  /** Identifies the claimant; only it may complete or fail the jobs. Unique per process. */
  worker: string;
  /** Most jobs to take at once. */
  limit: number;
  /** How long the jobs are reserved; after that another worker may take them. */
  leaseMs: number;
}

/** Depth of one queue for monitoring. */
export interface QueueStats {
  queue: string;
  ready: number;
  running: number;
  done: number;
  dead: number;
  /** How long the oldest due, unclaimed job has waited; null when none is waiting. */
  oldestReadyAgeMs: number | null;
}

/** What `fail` did: scheduled a retry, or dead-lettered the job after its last attempt. */
export type FailResult = { state: "ready"; retryAt: string } | { state: "dead" };
