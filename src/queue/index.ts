// The public face of the job queue; the contract is documented on createJobQueue (service.ts).
export { createJobQueue, type JobQueue, type JobQueueOptions, type QueryExecutor } from "./service.js";
export { pause } from "./pause.js";
export { retryDelayMs, defaultBackoff, type BackoffOptions } from "./backoff.js";
export { runJobWorker, type WorkerOptions, type WorkerLog, type JobContext } from "./worker.js";
export { jobStates, type Job, type JobState, type EnqueueRequest, type EnqueueResult, type ClaimOptions, type FailResult, type QueueStats } from "./types.js";
export type { JobTables } from "./tables.js";
