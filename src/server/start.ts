import type { Config } from "../config/index.js";
import { pollChanges } from "../known-media/index.js";
import { createServices } from "../services.js";
import { migrateToLatest, openStore } from "../store/index.js";
import { buildApp } from "./app.js";

/**
 * Opens the store, migrates it, loads the PDQ index, and listens. Resolves
 * with the URL and a `close` that shuts everything down in order.
 */
export async function startServer(config: Config, options: { logger?: boolean } = {}) {
  const store = await openStore(config.databaseUrl);
  await migrateToLatest(store.db);
  const services = createServices(config, store);
  const app = await buildApp({ config, services, logger: options.logger ?? true });
  await services.liveIndex.catchUp();
  const poller = pollChanges(services.liveIndex, config.indexPollMs, (error) => app.log.warn({ err: error }, "bank change feed poll failed; retrying"));
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  return {
    url: `http://${host}:${port}`,
    app,
    services,
    async close() {
      poller.stop();
      await app.close();
      await store.close();
    },
  };
}
