import { Command } from "commander";
import { loadConfig } from "../../config/index.js";
import { startServer } from "../../server/start.js";

export function serveCommand(): Command {
  return new Command("serve")
    .description("Run the HTTP API (on SQLite by default) and print its URL")
    .option("--host <address>", "address to listen on (LAPWING_HOST)")
    .option("--port <port>", "port to listen on, 0 for any free one (LAPWING_PORT)")
    .action(async (options: { host?: string; port?: string }, command: Command) => {
      const globals = command.optsWithGlobals<{ database?: string }>();
      const config = loadConfig({ overrides: { host: options.host, port: options.port, databaseUrl: globals.database } });
      const server = await startServer(config);
      process.stderr.write(
        `\nLapwing is running at ${server.url}\n` +
          `  database: ${server.services.store.displayUrl}\n` +
          `  API document: ${server.url}/openapi.json   health: ${server.url}/healthz\n` +
          `  every endpoint but /healthz needs a key: create one with \`npm run lapwing -- keys create --name me --scope admin\`\n\n`,
      );
      const stop = async (signal: string) => {
        server.app.log.info({ signal }, "shutting down");
        await server.close();
        process.exit(0);
      };
      process.once("SIGINT", () => void stop("SIGINT"));
      process.once("SIGTERM", () => void stop("SIGTERM"));
    });
}
