// The public face of the job queue; the contract is documented on createJobQueue (service.ts).
export { createJobQueue, type JobQueue, type JobQueueOptions, type QueryExecutor } from "./service.js";
export { pause } from "./pause.js";
export { retryDelayMs, defaultBackoff, type BackoffOptions } from "./backoff.js";
export { runBatchWorker, type WorkerOptions, type WorkerLog, type JobContext, type BatchWorkerOptions, type BatchContext, type BatchResult } from "./worker.js";
export { createDoorbell, type Doorbell } from "./doorbell.js";
export { jobStates, type Job, type JobState, type EnqueueRequest, type EnqueueResult, type ClaimOptions, type FailResult, type QueueStats } from "./types.js";
export type { JobTables } from "./tables.js";
