import { Command } from "commander";
import pino from "pino";
import { webhookQueueName } from "../../actions/index.js";
import { eventQueueName } from "../../events/index.js";
import { servicesWithSnapshot } from "../../server/start.js";
import { startBackgroundWork } from "../../server/workers.js";
import { migrateToLatest, openStore } from "../../store/index.js";
import { configFrom } from "../context.js";

export function workerCommand(): Command {
  return new Command("worker")
    .description("Process events and deliver webhooks without the HTTP API; run several on one PostgreSQL database to share the work")
    .option("--until-idle", "exit once every event is processed (and, with webhooks on, every delivery has succeeded or been dead-lettered)")
    .action(async (o: { untilIdle?: boolean }, command: Command) => {
      const config = configFrom(command);
      const log = pino({ level: config.logLevel }, pino.destination(2));
      const store = await openStore(config.databaseUrl);
      await migrateToLatest(store.db);
      const { services, snapshotProblem } = await servicesWithSnapshot(config, store);
      if (snapshotProblem) log.warn({ path: config.indexSnapshotPath, problem: snapshotProblem }, "PDQ index snapshot not used; loading from the database");
      const background = await startBackgroundWork(config, services, log);
      log.info({ database: store.displayUrl, hashes: services.liveIndex.size, webhooks: config.webhookUrl !== "" }, "worker running");
      let stopping = false;
      const stop = async (reason: string) => {
        if (stopping) return;
        stopping = true;
        log.info({ reason }, "worker stopping");
        await background.stop();
        await services.close();
        await store.close();
        process.exit(0);
      };
      process.once("SIGINT", () => void stop("SIGINT"));
      process.once("SIGTERM", () => void stop("SIGTERM"));
      if (!o.untilIdle) return;
      const watched = config.webhookUrl ? [eventQueueName, webhookQueueName] : [eventQueueName];
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
                () => stop("idle"),
                (error: unknown) => (log.error({ err: error }, "network scoring failed"), void stop("idle")),
              );
            }
          },
          (error: unknown) => log.warn({ err: error }, "could not read the queue depth; trying again"),
        );
      }, Math.max(config.workerPollMs, 100));
    });
}
