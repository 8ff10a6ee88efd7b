import { Command } from "commander";
import { migrateToLatest, openStore } from "../../store/index.js";
import { configFrom } from "../context.js";

export function migrateCommand(): Command {
  return new Command("migrate").description("Create or update the database schema (serve and every other command do this too)").action(async (_o: unknown, command: Command) => {
    const config = configFrom(command);
    const store = await openStore(config.databaseUrl, { create: true, synchronous: config.sqliteSynchronous });
    try {
      const applied = await migrateToLatest(store.db);
      process.stdout.write(applied.length ? `Applied ${applied.join(", ")} to ${store.displayUrl}.\n` : `${store.displayUrl} is up to date.\n`);
    } finally {
      await store.close();
    }
  });
}
