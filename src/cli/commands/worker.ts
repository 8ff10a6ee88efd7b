import { Command } from "commander";
import type { ProcessingStage, StageTotal } from "../../events/index.js";
import type { QueueStats } from "../../queue/index.js";
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
      const config = await configFrom(command);
      const [{ default: pino }, { webhookQueueName }, { eventQueueName, processStageTimings }, { reportQueueName }, { loadServices, saveSnapshot }, { startBackgroundWork }, { migrateToLatest, openStore }] =
        await Promise.all([
          import("pino"),
          import("../../actions/index.js"),
          import("../../events/index.js"),
          import("../../reports/index.js"),
          import("../../server/start.js"),
          import("../../server/workers.js"),
          import("../../store/index.js"),
        ]);
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
            const queues = { events: eventQueueName, webhooks: config.webhookUrl ? webhookQueueName : undefined, reports: services.reports.isConfigured ? reportQueueName : undefined };
            const summary = idleSummary(before, await services.queue.stats(), Date.now() - startedAt, queues, processStageTimings.totals());
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

/** The queues `worker --until-idle` sums, by name; webhooks and reports only when this process runs them. */
interface SummedQueues {
  events: string;
  webhooks?: string;
  reports?: string;
}

/** What `worker --until-idle` did, from the queues' totals before and after (other workers' work on a shared database included). */
function idleSummary(before: QueueStats[], after: QueueStats[], elapsedMs: number, queues: SummedQueues, stages: IdleSummary["stages"]): IdleSummary {
  const delta = (queue: string, state: "done" | "dead") =>
    (after.find((q) => q.queue === queue)?.[state] ?? 0) - (before.find((q) => q.queue === queue)?.[state] ?? 0);
  return {
    seconds: elapsedMs / 1000,
    events: delta(queues.events, "done") + delta(queues.events, "dead"),
    deadLettered: delta(queues.events, "dead"),
    webhooks: queues.webhooks ? { delivered: delta(queues.webhooks, "done"), dead: delta(queues.webhooks, "dead") } : null,
    reports: queues.reports ? { run: delta(queues.reports, "done"), dead: delta(queues.reports, "dead") } : null,
    stages,
  };
}

function idleSummaryText(s: IdleSummary): string {
  const hooks = s.webhooks ? `webhooks delivered ${s.webhooks.delivered}, failed for good ${s.webhooks.dead}` : "webhooks off";
  const filed = s.reports ? `, report jobs run ${s.reports.run}, stopped retrying ${s.reports.dead}` : "";
  // In the order of `processingStages`, which builds the totals.
  const stages = Object.entries(s.stages).map(([stage, total]) => `${stage} ${(total.ms / 1000).toFixed(1)} s (CPU ${(total.cpuMs / 1000).toFixed(1)} s)`).join(", ");
  return `Idle after ${s.seconds.toFixed(1)} s: events processed ${s.events} (of which dead-lettered ${s.deadLettered}), ${hooks}${filed}.\nTime in this worker by stage (summed over concurrent jobs; enforce, complete and commit are part of write, seq of enforce): ${stages}.\n`;
}
