import { existsSync, rmSync } from "node:fs";
import { sql, type Kysely } from "kysely";
import { LapwingError } from "../errors/index.js";
import { openStore, type Store } from "../store/index.js";

/** The row in `counters` that marks a database as a demo's, so the next demo may replace it. */
export const demoMarker = "lapwing_demo";

/**
 * Makes `url` an empty database for a new demo: a SQLite file is deleted
 * (with its WAL, shared-memory and PDQ snapshot files), a PostgreSQL
 * database's `public` schema is dropped and created again.
 *
 * ## Never someone's real data
 *
 * Only a database that does not exist yet, has no tables, or carries the
 * demo's marker (written by {@link markDemoDatabase}) is replaced. Anything
 * else is refused with CONFIG_INVALID, so pointing LAPWING_DATABASE_URL at a
 * production database and running the demo destroys nothing.
 */
export async function freshDemoDatabase(url: string): Promise<void> {
  if (url.startsWith("sqlite:")) {
    const path = url.slice("sqlite:".length);
    if (path === "" || path === ":memory:" || !existsSync(path)) return;
    const store = await openStore(url, { create: false });
    try {
      await refuseUnlessDemo(store);
    } finally {
      await store.close();
    }
    for (const suffix of ["", "-wal", "-shm", ".pdq-index"]) rmSync(path + suffix, { force: true });
    return;
  }
  const store = await openStore(url);
  try {
    if (await refuseUnlessDemo(store)) {
      await sql`drop schema public cascade`.execute(store.db);
      await sql`create schema public`.execute(store.db);
    }
  } finally {
    await store.close();
  }
}

/** Marks a migrated database as a demo's. */
export async function markDemoDatabase(db: Kysely<unknown>): Promise<void> {
  await sql`insert into counters (name, value) values (${demoMarker}, 1)`.execute(db);
}

/** True when the database has tables (all of them a demo's); false when it has none; throws for anything else. */
async function refuseUnlessDemo(store: Store): Promise<boolean> {
  const tables =
    store.dialect === "sqlite"
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(store.db)
      : await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public'`.execute(store.db);
  if (tables.rows.length === 0) return false;
  const isDemo =
    tables.rows.some((t) => t.name === "counters") &&
    (await sql<{ name: string }>`select name from counters where name = ${demoMarker}`.execute(store.db)).rows.length > 0;
  if (!isDemo) {
    throw new LapwingError(
      "CONFIG_INVALID",
      `${store.displayUrl} holds data that is not an earlier demo's; the demo replaces its database, so it refuses this one. Point LAPWING_DATABASE_URL (or --database) at an empty database, or leave it unset for ./data/demo.sqlite.`,
    );
  }
  return true;
}
