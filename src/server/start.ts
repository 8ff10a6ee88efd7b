import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { FastifyBaseLogger } from "fastify";
import type { Config } from "../config/index.js";
import type { EnforcementObserver } from "../enforcement/index.js";
import { LapwingError } from "../errors/index.js";
import { createServices, type Services } from "../services.js";
import { databaseId, migrateToLatest, openStore, type Store } from "../store/index.js";
import { buildApp } from "./app.js";
import { createMetrics, enforcementObserver } from "./metrics.js";
import { startBackgroundWork } from "./workers.js";

/** Where start-up progress goes (`lapwing serve` and `worker` pass stderr); silent by default. */
export type ProgressReport = (line: string, options?: { transient?: boolean }) => void;

/** How often a running server checks whether its PDQ index snapshot is worth rewriting. */
const snapshotCheckMs = 60_000;
/** Rewrite the snapshot when this many hashes were added or removed since the last one (a large import)... */
const snapshotAfterChanges = 100_000;
/** ...or when it is this old and anything changed. */
const snapshotMaxAgeMs = 30 * 60_000;

/**
 * Opens the store, migrates it, loads the PDQ index (from its snapshot when
 * one exists and is valid, then the changes since), and listens. Resolves with
 * the URL and a `close` that shuts everything down in order and leaves a fresh
 * snapshot for the next start.
 */
export async function startServer(config: Config, options: { logger?: boolean; progress?: ProgressReport } = {}) {
  const store = await openStore(config.databaseUrl, { create: true, synchronous: config.sqliteSynchronous });
  // Whatever has started so far, stopped in reverse order if a later step throws (no store or media threads left open).
  let services: Services | undefined;
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  let background: Awaited<ReturnType<typeof startBackgroundWork>> | undefined;
  let snapshots: ReturnType<typeof keepSnapshot> | undefined;
  let snapshotPath: string | undefined;
  try {
    await migrateToLatest(store.db);
    const metrics = createMetrics();
    ({ services, snapshotPath } = await loadServices(config, store, options.progress, enforcementObserver(metrics)));
    app = await buildApp({ config, services, logger: options.logger ?? true, metrics });
    background = await startBackgroundWork(config, services, app.log);
    snapshots = snapshotPath ? keepSnapshot(services, snapshotPath, app.log) : undefined;
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    snapshots?.stop();
    await app?.close().catch(() => {});
    await background?.stop();
    await services?.close();
    await store.close();
    throw listenError(error, config);
  }
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  return {
    url: `http://${host}:${port}`,
    app,
    services,
    /** Stops accepting, lets requests in flight finish, stops the workers (handing back jobs they cannot finish), snapshots the index, closes the store. */
    async close() {
      snapshots?.stop();
      await app.close();
      await background.stop();
      await services.close();
      if (snapshotPath) await saveSnapshot(services, snapshotPath, app.log);
      await store.close();
    },
  };
}

/** "port 7878 is in use" rather than a stack trace. */
function listenError(error: unknown, config: Config): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EADDRINUSE") {
    return new LapwingError("CONFIG_INVALID", `port ${config.port} is in use on ${config.host}; set LAPWING_PORT (or --port) to a free port, or stop the other server.`, { cause: error });
  }
  if (code === "EADDRNOTAVAIL" || code === "EACCES") {
    return new LapwingError("CONFIG_INVALID", `cannot listen on ${config.host}:${config.port} (${code}); check LAPWING_HOST and LAPWING_PORT.`, { cause: error });
  }
  return error;
}

/**
 * Where the PDQ index snapshot lives: `LAPWING_INDEX_SNAPSHOT_PATH` when set,
 * `off` for none; by default beside the SQLite file (`PATH.pdq-index`) or, on
 * PostgreSQL, in `./data/` named by the database's identity. None for an
 * in-memory database.
 */
export function snapshotPathFor(config: Config, store: Store, id: number): string | undefined {
  const setting = config.indexSnapshotPath.trim();
  if (setting === "off") return undefined;
  if (setting) return resolve(setting);
  if (store.dialect === "sqlite") {
    const file = store.displayUrl.slice("sqlite:".length);
    return file === ":memory:" ? undefined : `${file}.pdq-index`;
  }
  return resolve("data", `pdq-index-${id}.snapshot`);
}

/**
 * Wires the services with the PDQ index loaded: from its snapshot when one
 * exists and is valid (one that is corrupt, or made for another database, is
 * ignored with a warning), then the changes since from the database, with
 * progress while that takes time.
 */
export async function loadServices(
  config: Config,
  store: Store,
  progress: ProgressReport = () => {},
  observer?: EnforcementObserver,
): Promise<{ services: Services; snapshotPath?: string }> {
  const id = await databaseId(store.db);
  const snapshotPath = snapshotPathFor(config, store, id);
  const wire = (indexSnapshot?: Uint8Array) => createServices(config, store, { databaseId: id, indexSnapshot, observer });
  let services: Services | undefined;
  if (snapshotPath) {
    let bytes: Uint8Array | undefined;
    try {
      bytes = await readFile(snapshotPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") progress(`PDQ index snapshot ${snapshotPath} unreadable (${(error as Error).message}); loading from the database`);
    }
    if (bytes) {
      try {
        services = wire(bytes);
      } catch (error) {
        progress(`PDQ index snapshot ${snapshotPath} not used (${(error as Error).message}); loading from the database`);
      }
    }
  }
  const fromSnapshot = services !== undefined;
  services ??= wire();
  const { liveIndex } = services;
  const restored = liveIndex.size;
  const started = Date.now();
  const ticker = setInterval(() => progress(`loading the PDQ index: ${liveIndex.size.toLocaleString("en")} hashes…`, { transient: true }), 1000);
  try {
    await liveIndex.catchUp();
  } catch (error) {
    await services.close();
    throw error;
  } finally {
    clearInterval(ticker);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  progress(
    fromSnapshot
      ? `PDQ index: ${liveIndex.size.toLocaleString("en")} hashes (${restored.toLocaleString("en")} from the snapshot, the rest from the database in ${seconds} s)`
      : `PDQ index: ${liveIndex.size.toLocaleString("en")} hashes loaded from the database in ${seconds} s${snapshotPath ? " (snapshot kept for the next start)" : ""}`,
  );
  if (snapshotPath && !fromSnapshot) await saveSnapshot(services, snapshotPath);
  return { services, snapshotPath };
}

/** Rewrites the snapshot after large changes (an import) or when old, while the server runs. */
function keepSnapshot(services: Services, path: string, log: FastifyBaseLogger) {
  let savedSize = services.liveIndex.size;
  let savedCursor = services.liveIndex.cursor;
  let savedAt = Date.now();
  let writing = false;
  const timer = setInterval(() => {
    const { size, cursor } = services.liveIndex;
    const changed = cursor !== savedCursor;
    if (writing || !changed || (Math.abs(size - savedSize) < snapshotAfterChanges && Date.now() - savedAt < snapshotMaxAgeMs)) return;
    writing = true;
    void saveSnapshot(services, path, log).then((saved) => {
      writing = false;
      // A failed write (already logged) is retried at the next check, not after the next 100k changes or 30 min.
      if (!saved) return;
      savedSize = size;
      savedCursor = cursor;
      savedAt = Date.now();
    });
  }, snapshotCheckMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/**
 * Writes the snapshot beside its final name and renames it, so a crash never
 * leaves half a file. A failure is logged, not thrown (the snapshot only saves
 * start-up time); resolves with whether the snapshot was written.
 */
export async function saveSnapshot(services: Services, path: string, log?: Pick<FastifyBaseLogger, "warn">): Promise<boolean> {
  try {
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, services.liveIndex.snapshot());
    await rename(temporary, path);
    return true;
  } catch (error) {
    log?.warn({ err: error, path }, "could not write the PDQ index snapshot");
    return false;
  }
}
