import { pause, type WorkerLog } from "../queue/index.js";
import type { Services } from "../services.js";
import { evidenceQueueName, type CaptureJob } from "./service.js";

/**
 * The vault's background work, run by `serve` and `worker`: the `evidence`
 * queue (gathering a confirmed or preserved case's evidence) and, every
 * `purgeMinutes`, the purge of evidence whose retention ended (held evidence
 * stays; each purge is audited as `system`). Both wait for a master key:
 * without one the capture jobs fail with `EVIDENCE_KEY_MISSING` and are
 * retried, then dead-lettered where `GET /v1/jobs/dead` shows them.
 */
export function startEvidenceWorker(services: Pick<Services, "queue" | "evidence">, signal: AbortSignal, options: { pollMs?: number; purgeMinutes: number; log: WorkerLog }): Promise<void> {
  const worker = services.queue.runWorker<CaptureJob>({
    queue: evidenceQueueName,
    handler: services.evidence.handleCaptureJob,
    concurrency: 2,
    pollMs: options.pollMs,
    // A capture fetches each URL (10 s at most) and may ask the platform for more: minutes, not seconds.
    leaseMs: 10 * 60_000,
    log: options.log,
    signal,
  });
  return Promise.all([worker, purgeLoop(services, signal, options)]).then(() => undefined);
}

async function purgeLoop(services: Pick<Services, "evidence">, signal: AbortSignal, options: { purgeMinutes: number; log: WorkerLog }): Promise<void> {
  while (!signal.aborted) {
    try {
      // What it deleted and what holds kept is in the audit log (`evidence.purge`, `evidence.purge.held`).
      await services.evidence.purgeExpired("system");
    } catch (error) {
      options.log.warn({ err: error }, "evidence purge failed; trying again at the next interval");
    }
    await pause(options.purgeMinutes * 60_000, signal);
  }
}
