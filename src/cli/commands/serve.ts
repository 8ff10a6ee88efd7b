import { Command } from "commander";
import { stderrProgress } from "../progress.js";
import { stopOnSignals } from "../shutdown.js";
import { webhookSummary, evidenceSummary } from "../context.js";

export function serveCommand(): Command {
  return new Command("serve")
    .description("Run the HTTP API (on SQLite by default) and print its URL; stops gracefully on SIGTERM or SIGINT")
    .option("--host <address>", "address to listen on (LAPWING_HOST)")
    .option("--port <port>", "port to listen on, 0 for any free one (LAPWING_PORT)")
    .action(async (options: { host?: string; port?: string }, command: Command) => {
      const globals = command.optsWithGlobals<{ database?: string }>();
      const [{ loadConfig }, { startServer }] = await Promise.all([import("../../config/index.js"), import("../../server/start.js")]);
      const config = loadConfig({ overrides: { host: options.host, port: options.port, databaseUrl: globals.database } });
      const server = await startServer(config, { progress: stderrProgress() });
      process.stderr.write(
        `\nLapwing is running at ${server.url}\n` +
          `  database: ${server.services.store.displayUrl}\n` +
          `  webhooks: ${webhookSummary(config)}\n` +
          `  evidence: ${evidenceSummary(config)}\n` +
          `  API document: ${server.url}/openapi.json   reference: ${server.url}/docs   health: ${server.url}/healthz\n` +
          `  every other endpoint needs a key: create one with \`npm run lapwing -- keys create --name me --scope admin\`\n\n`,
      );
      stopOnSignals(
        async (signal) => {
          server.app.log.info({ signal }, "shutting down");
          process.stderr.write(`lapwing: ${signal}: finishing requests in flight, handing back unfinished jobs, closing the database\n`);
          await server.close();
        },
        (message) => process.stderr.write(message + "\n"),
      );
    });
}
