import type { JobQueue, WorkerLog } from "../queue/index.js";
import { reportQueueName, type ReportService } from "./service.js";

export interface ReportWorkerOptions {
  pollMs: number;
  /** How long a report job is held; a killed worker's report is taken up again after this. */
  leaseMs: number;
  log: WorkerLog;
}

/**
 * Runs the `reports` queue: each job walks one report through NCMEC's flow
 * (`ReportService.process`). One report at a time per process: NCMEC's flow is
 * sequential per report, and reports are few.
 */
export function startReportWorker(services: { queue: Pick<JobQueue, "runWorker">; reports: Pick<ReportService, "process"> }, signal: AbortSignal, options: ReportWorkerOptions): Promise<void> {
  return services.queue.runWorker<{ reportId: string }>({
    queue: reportQueueName,
    concurrency: 1,
    pollMs: options.pollMs,
    leaseMs: options.leaseMs,
    signal,
    log: options.log,
    handler: async (job, context) => {
      await services.reports.process(job.payload.reportId, context.signal);
    },
  });
}
