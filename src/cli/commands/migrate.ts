import { Command } from "commander";
import { configFrom } from "../context.js";

export function migrateCommand(): Command {
  return new Command("migrate").description("Create or update the database schema (serve and every other command do this too)").action(async (_o: unknown, command: Command) => {
    const config = await configFrom(command);
    const { migrateToLatest, openStore } = await import("../../store/index.js");
    const store = await openStore(config.databaseUrl, { create: true, synchronous: config.sqliteSynchronous });
    try {
      const applied = await migrateToLatest(store.db);
      process.stdout.write(applied.length ? `Applied ${applied.join(", ")} to ${store.displayUrl}.\n` : `${store.displayUrl} is up to date.\n`);
    } finally {
      await store.close();
    }
  });
}
