import type { Command } from "commander";
import { loadConfig, type Config } from "../config/index.js";
import { createServices, type Services } from "../services.js";
import { databaseId, migrateToLatest, openStore } from "../store/index.js";

/** Reads the configuration with the global `--database` flag applied. */
export function configFrom(command: Command): Config {
  const globals = command.optsWithGlobals<{ database?: string }>();
  return loadConfig({ overrides: { databaseUrl: globals.database } });
}

/** Runs `fn` with services on a migrated store, closing the store afterwards. */
export async function withServices<T>(command: Command, fn: (services: Services, config: Config) => Promise<T>): Promise<T> {
  const config = configFrom(command);
  const store = await openStore(config.databaseUrl);
  try {
    await migrateToLatest(store.db);
    return await fn(createServices(config, store, { databaseId: await databaseId(store.db) }), config);
  } finally {
    await store.close();
  }
}

/** Prints one JSON document per line (for scripts) on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + "\n");
}
