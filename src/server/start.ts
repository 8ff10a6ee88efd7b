import { readFile, rename, writeFile } from "node:fs/promises";
import type { FastifyBaseLogger } from "fastify";
import type { Config } from "../config/index.js";
import type { EnforcementObserver } from "../enforcement/index.js";
import { createServices, type Services } from "../services.js";
import { databaseId, migrateToLatest, openStore, type Store } from "../store/index.js";
import { buildApp } from "./app.js";
import { createMetrics, enforcementObserver } from "./metrics.js";
import { startBackgroundWork } from "./workers.js";

/**
 * Opens the store, migrates it, loads the PDQ index (from its snapshot when
 * one is configured and valid), and listens. Resolves with the URL and a
 * `close` that shuts everything down in order.
 */
export async function startServer(config: Config, options: { logger?: boolean } = {}) {
  const store = await openStore(config.databaseUrl);
  await migrateToLatest(store.db);
  const metrics = createMetrics();
  const { services, snapshotProblem } = await servicesWithSnapshot(config, store, enforcementObserver(metrics));
  const app = await buildApp({ config, services, logger: options.logger ?? true, metrics });
  if (snapshotProblem) app.log.warn({ path: config.indexSnapshotPath, problem: snapshotProblem }, "PDQ index snapshot not used; loading from the database");
  const background = await startBackgroundWork(config, services, app.log);
  app.log.info({ hashes: services.liveIndex.size }, "PDQ index loaded");
  if (config.indexSnapshotPath) await saveSnapshot(services, config.indexSnapshotPath, app.log);
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  return {
    url: `http://${host}:${port}`,
    app,
    services,
    async close() {
      await app.close();
      await background.stop();
      await services.close();
      if (config.indexSnapshotPath) await saveSnapshot(services, config.indexSnapshotPath, app.log);
      await store.close();
    },
  };
}

/** Wires the services, with the PDQ index loaded from its snapshot when one is configured and valid. */
export async function servicesWithSnapshot(config: Config, store: Store, observer?: EnforcementObserver): Promise<{ services: Services; snapshotProblem?: string }> {
  const id = await databaseId(store.db);
  const wire = (indexSnapshot?: Uint8Array) => createServices(config, store, { databaseId: id, indexSnapshot, observer });
  if (!config.indexSnapshotPath) return { services: wire() };
  try {
    return { services: wire(await readFile(config.indexSnapshotPath)) };
  } catch (error) {
    const problem = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no snapshot yet" : (error as Error).message;
    return { services: wire(), snapshotProblem: problem };
  }
}

/** Writes the snapshot beside its final name and renames it, so a crash never leaves half a file. */
async function saveSnapshot(services: Services, path: string, log: FastifyBaseLogger): Promise<void> {
  try {
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, services.liveIndex.snapshot());
    await rename(temporary, path);
  } catch (error) {
    log.warn({ err: error, path }, "could not write the PDQ index snapshot");
  }
}
