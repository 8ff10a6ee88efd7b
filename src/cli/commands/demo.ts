import { Command } from "commander";
import { wholeNumber } from "../context.js";
import { defaultDemoAccounts, maxScenarioAccounts, minScenarioAccounts } from "../vocabulary.js";
import { stderrProgress } from "../progress.js";
import { stopOnSignals } from "../shutdown.js";

/** Where the demo keeps its data unless told otherwise: never the server's own default database. */
export const demoDatabaseUrl = "sqlite:./data/demo.sqlite";

export function demoCommand(): Command {
  return new Command("demo")
    .description(
      "Start a demo: a FRESH database (./data/demo.sqlite, replaced each run; or LAPWING_DATABASE_URL, if empty or an earlier demo's) filled with a synthetic platform, processed, one user per role with a printed password, then serve the API and the console until Ctrl-C",
    )
    .option("--host <address>", "address to listen on (LAPWING_HOST)")
    .option("--port <port>", "port to listen on, 0 for any free one (LAPWING_PORT)")
    .option("--accounts <n>", `accounts on the synthetic platform (${minScenarioAccounts} to ${maxScenarioAccounts})`, String(defaultDemoAccounts))
    .option("--seed <n>", "random seed of the synthetic platform", "1")
    .action(async (o: { host?: string; port?: string; accounts: string; seed: string }, command: Command) => {
      const startedAt = Date.now();
      const accounts = wholeNumber(o.accounts, "--accounts", { min: minScenarioAccounts, max: maxScenarioAccounts });
      const seed = wholeNumber(o.seed, "--seed", { max: 0xffffffff });
      const [{ eventQueueName }, { loadConfig }, { freshDemoDatabase, markDemoDatabase, seedDemo, startSyntheticPreviews }, { startServer }, { migrateToLatest, openStore }] = await Promise.all([
        import("../../events/index.js"),
        import("../../config/index.js"),
        import("../../demo/index.js"),
        import("../../server/start.js"),
        import("../../store/index.js"),
      ]);
      const globals = command.optsWithGlobals<{ database?: string }>();
      const chosen = loadConfig({ overrides: { host: o.host, port: o.port, databaseUrl: globals.database } });
      // The server's default database is never the demo's: an unset LAPWING_DATABASE_URL means ./data/demo.sqlite.
      const databaseUrl = chosen.databaseUrl === loadConfig({ env: {} }).databaseUrl ? demoDatabaseUrl : chosen.databaseUrl;
      const progress = stderrProgress();
      // Without a platform of its own, the demo serves synthetic pictures as the preview source, so blurring and reveals can be tried.
      const previews = chosen.mediaPreviewUrl ? undefined : await startSyntheticPreviews();
      const config = Object.freeze({ ...chosen, databaseUrl, ...(previews ? { mediaPreviewUrl: previews.template, mediaPreviewPrivateAddresses: true } : {}) });

      await freshDemoDatabase(databaseUrl);
      const store = await openStore(databaseUrl, { create: true });
      try {
        await migrateToLatest(store.db);
        await markDemoDatabase(store.db);
      } finally {
        await store.close();
      }
      progress(`demo database: ${databaseUrl.replace(/\/\/[^@/]*@/, "//")} (fresh)`);

      const server = await startServer(config, { progress }).catch(async (error: unknown) => {
        await previews?.close();
        throw error;
      });
      let stopping = false;
      stopOnSignals(
        async () => {
          stopping = true;
          await server.close();
          await previews?.close();
        },
        (message) => process.stderr.write(message + "\n"),
      );
      const seeded = await seedDemo(server.services, { accounts, seed, progress: (line) => progress(line, { transient: true }) });
      progress(`synthetic platform: ${accounts} accounts, ${seeded.events} events, ${seeded.bankEntries} known-media hashes, ${seeded.networkSeeds.length} network seeds`);

      // The server's own workers process the events; wait for them, then score the network once so its cases exist.
      for (;;) {
        if (stopping) return;
        const queue = (await server.services.queue.stats()).find((q) => q.queue === eventQueueName);
        if (!queue || queue.ready + queue.running === 0) break;
        progress(`processing events: ${queue.ready + queue.running} waiting`, { transient: true });
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      await server.services.network.settle();
      const counts = await server.services.cases.countUndecided();
      const queued = counts.reduce((n, c) => n + c.count, 0);
      progress(`ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s: ${queued} cases in the review queue`);

      process.stdout.write(`\nLapwing demo is running. Open the console: ${server.url}/\n`);
      for (const user of seeded.users) process.stdout.write(`demo user: ${user.username} role: ${user.role} password: ${user.password}\n`);
      process.stdout.write(`Everything in it is synthetic${previews ? ", media previews included (generated pictures)" : ""}. Ctrl-C stops it; the next \`npm run demo\` starts afresh.\n`);
    });
}
