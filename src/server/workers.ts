import { startWebhookWorker } from "../actions/index.js";
import type { Config } from "../config/index.js";
import { startEventWorker } from "../events/index.js";
import { startEvidenceWorker } from "../evidence/index.js";
import { pause, type WorkerLog } from "../queue/index.js";
import { startReportWorker } from "../reports/index.js";
import type { Services } from "../services.js";
import { followChanges } from "../store/index.js";

/**
 * Everything a Lapwing process does besides answering HTTP: follow the bank
 * and lexicon change feeds (after one catch-up, so matching is current before
 * the first job), run the `events` worker, the `evidence` worker (capture jobs
 * and the scheduled purge), when webhooks are configured the `webhooks` worker,
 * and when NCMEC credentials are set the `reports` worker (CyberTipline
 * reports, src/reports/). `lapwing serve` runs it beside the API; `lapwing
 * worker` runs it alone, so a large deployment can add worker processes.
 *
 * @example
 * const background = await startBackgroundWork(config, services, log);
 * // on shutdown:
 * await background.stop();
 */
export async function startBackgroundWork(config: Config, services: Services, log: WorkerLog): Promise<{ stop(): Promise<void>; settleNetwork(): Promise<void> }> {
  await Promise.all(services.followers.map((f) => f.catchUp()));
  const pollers = services.followers.map((follower) => followChanges(follower, config.changePollMs, (error) => log.warn({ err: error }, "change feed poll failed; retrying")));
  const abort = new AbortController();
  const workers = [
    startEventWorker(services, abort.signal, { mediaFetchHosts: config.mediaFetchHosts, maxFetchBytes: config.maxUploadBytes, pollMs: config.workerPollMs, batchSize: config.workerBatchSize, batchWaitMs: config.workerBatchWaitMs, log }),
  ];
  workers.push(startEvidenceWorker(services, abort.signal, { pollMs: config.workerPollMs, purgeMinutes: config.evidencePurgeMinutes, log }));
  if (config.webhookUrl) {
    const settings = { url: config.webhookUrl, secret: config.webhookSecret, timeoutMs: config.webhookTimeoutMs };
    workers.push(startWebhookWorker(services, settings, abort.signal, { pollMs: config.workerPollMs, log }));
  }
  // Reports are prepared without credentials (and shown by `lapwing reports xml`); only a process that can reach NCMEC sends them.
  if (services.reports.isConfigured) workers.push(startReportWorker(services, abort.signal, { pollMs: config.workerPollMs, leaseMs: config.reportsLeaseSeconds * 1000, log }));
  const network = startNetworkRefresh(services, config.networkRefreshSeconds * 1000, abort.signal, log);
  return {
    async stop() {
      for (const poller of pollers) poller.stop();
      abort.abort();
      await Promise.all([...workers, network]);
    },
    /** Brings the network graph up to date and hands its findings to the policies now (for `worker --until-idle`). */
    async settleNetwork() {
      await services.network.settle();
    },
  };
}

/**
 * Keeps the network graph current: every `everyMs`, read new edges, score
 * again if anything changed, and hand suspected accounts to the policies
 * (each finding is decided once, whichever process finds it first).
 */
async function startNetworkRefresh(services: Services, everyMs: number, signal: AbortSignal, log: WorkerLog): Promise<void> {
  while (!signal.aborted) {
    try {
      await services.network.settle();
    } catch (error) {
      log.warn({ err: error }, "network refresh failed; trying again at the next interval");
    }
    await pause(everyMs, signal);
  }
}
