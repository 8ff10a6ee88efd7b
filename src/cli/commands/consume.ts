import { Command } from "commander";
import { configFrom, printJson, wholeNumber } from "../context.js";
import { stopOnSignals } from "../shutdown.js";

const maxSourceBatch = 10_000;

export function consumeCommand(): Command {
  const consume = new Command("consume").description("Take platform events from a streaming system (NATS JetStream) into the store; run `lapwing worker` (or serve) to process them");

  consume
    .command("nats")
    .description(
      "Read events (one JSON event per message, as `events send` reads per line) from a JetStream stream through a durable consumer; " +
        "a message is acknowledged only after its event is committed, malformed ones are terminated with the reason logged; stops gracefully on SIGTERM or SIGINT",
    )
    .requiredOption("--stream <name>", "the JetStream stream the platform publishes events to (it must exist)")
    .requiredOption("--subject <subject>", "subject filter within the stream, e.g. events.>")
    .option("--durable <name>", "durable consumer name (created if missing; processes with the same name share the messages)", "lapwing")
    .option("--server <url>", "NATS server URL(s), comma-separated", "nats://127.0.0.1:4222")
    .option("--batch <n>", `events per transaction, at most (1 to ${maxSourceBatch})`, "1000")
    .option("--ack-wait <seconds>", "when creating the consumer: seconds before an unacknowledged message is delivered again", "30")
    .option("--dead-letter <subject>", "also publish each malformed message to this subject (reason in the Lapwing-Refused-Reason header) before terminating it")
    .option("--until-idle", "exit once every message published so far is stored and acknowledged, with a summary")
    .option("--json", "print the summary as JSON")
    .action(async (o: { stream: string; subject: string; durable: string; server: string; batch: string; ackWait: string; deadLetter?: string; untilIdle?: boolean; json?: boolean }, command: Command) => {
      const batch = wholeNumber(o.batch, "--batch", { min: 1, max: maxSourceBatch });
      const ackWaitMs = wholeNumber(o.ackWait, "--ack-wait", { min: 1, max: 86_400 }) * 1000;
      const startedAt = Date.now();
      const config = await configFrom(command);
      const [{ default: pino }, { createNatsSource, createSourceIngest }, { createServices }, { databaseId, migrateToLatest, openStore }] = await Promise.all([
        import("pino"),
        import("../../sources/index.js"),
        import("../../services.js"),
        import("../../store/index.js"),
      ]);
      const log = pino({ level: config.logLevel }, pino.destination(2));
      const store = await openStore(config.databaseUrl, { create: true });
      await migrateToLatest(store.db);
      const services = createServices(config, store, { databaseId: await databaseId(store.db) });
      const source = createNatsSource({ servers: o.server, stream: o.stream, subject: o.subject, durable: o.durable, batch, ackWaitMs, deadLetterSubject: o.deadLetter, log });
      const running = source.run(createSourceIngest(services.events));
      process.stderr.write(`Lapwing consuming events\n  from: ${source.description}\n  database: ${store.displayUrl}\n`);
      const report = () => {
        const totals = source.totals();
        const seconds = (Date.now() - startedAt) / 1000;
        if (o.json) printJson({ ...totals, seconds });
        else process.stderr.write(`Stored ${totals.accepted} events (${totals.duplicates} duplicates) from ${totals.messages} messages in ${seconds.toFixed(1)} s; ${totals.refused} malformed messages terminated; ${totals.retried} batches retried.\n`);
      };
      const { stopNow } = stopOnSignals(
        async (reason) => {
          log.info({ reason }, "consumer stopping");
          await source.stop();
          await running;
          report();
          await services.close();
          await store.close();
        },
        (message) => process.stderr.write(message + "\n"),
      );
      // The source failing for good (unreachable, stream missing) ends the command with its error.
      running.catch(async (error: unknown) => {
        await services.close().catch(() => {});
        await store.close().catch(() => {});
        process.stderr.write(`lapwing: ${(error as Error).message}\n`);
        process.exit(1);
      });
      if (!o.untilIdle) return;
      const timer = setInterval(() => {
        source.isDrained().then(
          (drained) => {
            if (drained) {
              clearInterval(timer);
              void stopNow("idle");
            }
          },
          () => {},
        );
      }, 200);
    });

  return consume;
}
