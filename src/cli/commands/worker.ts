import { Command } from "commander";
import pino from "pino";
import { webhookQueueName } from "../../actions/index.js";
import { eventQueueName, processingStages, processStageTimings, type ProcessingStage, type StageTotal } from "../../events/index.js";
import type { QueueStats } from "../../queue/index.js";
import { reportQueueName } from "../../reports/index.js";
import { loadServices, saveSnapshot } from "../../server/start.js";
import { startBackgroundWork } from "../../server/workers.js";
import { migrateToLatest, openStore } from "../../store/index.js";
import { configFrom, evidenceSummary, printJson, webhookSummary } from "../context.js";
import { stderrProgress } from "../progress.js";
import { stopOnSignals } from "../shutdown.js";

export function workerCommand(): Command {
  return new Command("worker")
    .description("Process events and deliver webhooks without the HTTP API; run several on one PostgreSQL database to share the work; stops gracefully on SIGTERM or SIGINT")
    .option("--until-idle", "exit once every event is processed (and, with webhooks on, every delivery has succeeded or been dead-lettered; with NCMEC credentials, every report job has run), with a summary")
    .option("--json", "with --until-idle, print the summary as JSON on stdout (events, dead-lettered, webhooks, reports, seconds, time per stage)")
    .action(async (o: { untilIdle?: boolean; json?: boolean }, command: Command) => {
      const startedAt = Date.now();
      const config = configFrom(command);
      const log = pino({ level: config.logLevel }, pino.destination(2));
      const store = await openStore(config.databaseUrl, { create: false, synchronous: config.sqliteSynchronous });
      await migrateToLatest(store.db);
      const { services, snapshotPath } = await loadServices(config, store, stderrProgress());
      const before = await services.queue.stats();
      const background = await startBackgroundWork(config, services, log);
      process.stderr.write(`Lapwing worker running\n  database: ${store.displayUrl}\n  webhooks: ${webhookSummary(config)}\n  evidence: ${evidenceSummary(config)}\n`);
      log.info({ database: store.displayUrl, hashes: services.liveIndex.size, webhooks: config.webhookUrl !== "" }, "worker running");
      const { stopNow } = stopOnSignals(
        async (reason) => {
          log.info({ reason }, "worker stopping");
          await background.stop();
          if (o.untilIdle) {
            const summary = idleSummary(before, await services.queue.stats(), Date.now() - startedAt, config.webhookUrl !== "", services.reports.isConfigured);
            if (o.json) printJson(summary);
            else process.stderr.write(idleSummaryText(summary));
          }
          if (snapshotPath) await saveSnapshot(services, snapshotPath, log);
          await services.close();
          await store.close();
        },
        (message) => process.stderr.write(message + "\n"),
      );
      if (!o.untilIdle) return;
      const watched = [eventQueueName, ...(config.webhookUrl ? [webhookQueueName] : []), ...(services.reports.isConfigured ? [reportQueueName] : [])];
      // With webhooks on, actions not yet taken from the outbox (written by any process) are work too. The
      // outbox is read first: what it had already passed is in the queue by the time the queue is read.
      const isIdle = async () => {
        if (config.webhookUrl && (await services.actions.outboxBacklog()) > 0) return false;
        const stats = await services.queue.stats();
        return !stats.filter((q) => watched.includes(q.queue)).some((q) => q.ready + q.running > 0);
      };
      const timer = setInterval(() => {
        isIdle().then(
          (idle) => {
            if (idle) {
              clearInterval(timer);
              background.settleNetwork().then(
                () => stopNow("idle"),
                (error: unknown) => (log.error({ err: error }, "network scoring failed"), void stopNow("idle")),
              );
            }
          },
          (error: unknown) => log.warn({ err: error }, "could not read the queue depth; trying again"),
        );
      }, Math.max(config.workerPollMs, 100));
    });
}

interface IdleSummary {
  seconds: number;
  events: number;
  deadLettered: number;
  webhooks: { delivered: number; dead: number } | null;
  reports: { run: number; dead: number } | null;
  /** Where this process's worker spent its time (src/events/stage-timings.ts). */
  stages: Record<ProcessingStage, StageTotal>;
}

/** What `worker --until-idle` did, from the queues' totals before and after (other workers' work on a shared database included). */
function idleSummary(before: QueueStats[], after: QueueStats[], elapsedMs: number, webhooks: boolean, reports: boolean): IdleSummary {
  const delta = (queue: string, state: "done" | "dead") =>
    (after.find((q) => q.queue === queue)?.[state] ?? 0) - (before.find((q) => q.queue === queue)?.[state] ?? 0);
  return {
    seconds: elapsedMs / 1000,
    events: delta(eventQueueName, "done") + delta(eventQueueName, "dead"),
    deadLettered: delta(eventQueueName, "dead"),
    webhooks: webhooks ? { delivered: delta(webhookQueueName, "done"), dead: delta(webhookQueueName, "dead") } : null,
    reports: reports ? { run: delta(reportQueueName, "done"), dead: delta(reportQueueName, "dead") } : null,
    stages: processStageTimings.totals(),
  };
}

function idleSummaryText(s: IdleSummary): string {
  const hooks = s.webhooks ? `webhooks delivered ${s.webhooks.delivered}, failed for good ${s.webhooks.dead}` : "webhooks off";
  const filed = s.reports ? `, report jobs run ${s.reports.run}, stopped retrying ${s.reports.dead}` : "";
  const stages = processingStages.map((stage) => `${stage} ${(s.stages[stage].ms / 1000).toFixed(1)} s`).join(", ");
  return `Idle after ${s.seconds.toFixed(1)} s: events processed ${s.events} (of which dead-lettered ${s.deadLettered}), ${hooks}${filed}.\nTime in this worker by stage (summed over concurrent jobs): ${stages}.\n`;
}
