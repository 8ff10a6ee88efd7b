import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  // A bank import writes its rows in many short transactions, marked with the
  // import's id so that nobody sees them, and publishes them all in one short
  // final transaction (src/banks/). Short transactions keep a large import from
  // holding SQLite's single write lock (and the `seq` counter) for its whole run.
  await db.schema.alterTable("bank_entries").addColumn("import_id", "text").execute();
  await db.schema.alterTable("banks").addColumn("import_id", "text").execute();
  await sql`create index bank_entries_import on bank_entries (import_id) where import_id is not null`.execute(db);
  await sql`create index banks_import on banks (import_id) where import_id is not null`.execute(db);

  // Imports in flight. The importer beats `heartbeat_at`; an import whose
  // heartbeat stopped, or whose process (`host`, `pid`) is gone, is stale and
  // its rows are deleted by the next import.
  await db.schema
    .createTable("bank_imports")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("started_at", "text", (c) => c.notNull())
    .addColumn("heartbeat_at", "text", (c) => c.notNull())
    .addColumn("host", "text", (c) => c.notNull())
    .addColumn("pid", "integer", (c) => c.notNull())
    .execute();
}
