import { sql, type Kysely } from "kysely";

// One set of migrations for both dialects: only types both understand
// (text, integer, bigint), ISO-8601 text timestamps, text ids.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("api_keys")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("secret_hash", "text", (c) => c.notNull())
    .addColumn("scopes", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("last_used_at", "text")
    .addColumn("revoked_at", "text")
    .execute();

  // A single-row-per-name counter. `seq` orders every change to banks and
  // entries; allocating from it takes a row lock, so on PostgreSQL writers
  // commit in sequence order and a poller reading "seq > cursor" never skips one.
  await db.schema
    .createTable("counters")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("value", "bigint", (c) => c.notNull())
    .execute();
  await sql`insert into counters (name, value) values ('seq', 0)`.execute(db);
  // A random identity for this database, so state cached outside it (the PDQ
  // index snapshot) is never applied to a different or re-created database.
  const databaseId = Math.floor(Math.random() * 2 ** 48);
  await sql`insert into counters (name, value) values ('database_id', ${databaseId})`.execute(db);

  await db.schema
    .createTable("banks")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("ordinal", "bigint", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("enabled", "integer", (c) => c.notNull())
    .addColumn("pdq_threshold", "integer", (c) => c.notNull())
    .addColumn("match_verdict", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("updated_seq", "bigint", (c) => c.notNull())
    .addColumn("deleted_at", "text")
    .execute();
  await sql`create unique index banks_live_name on banks (name) where deleted_at is null`.execute(db);
  await db.schema.createIndex("banks_updated_seq").on("banks").column("updated_seq").execute();

  // Entries are never updated in place: removal stamps removed_seq (a tombstone
  // peers and exports can see); adding the same signal again makes a new row.
  await db.schema
    .createTable("bank_entries")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("bank_id", "text", (c) => c.notNull().references("banks.id").onDelete("cascade"))
    .addColumn("index_key", "bigint", (c) => c.notNull().unique())
    .addColumn("signal_type", "text", (c) => c.notNull())
    .addColumn("signal", "text", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("category", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("added_at", "text", (c) => c.notNull())
    .addColumn("removed_seq", "bigint")
    .addColumn("removed_at", "text")
    .execute();
  await sql`create unique index bank_entries_live_signal on bank_entries (bank_id, signal_type, signal) where removed_seq is null`.execute(db);
  await db.schema.createIndex("bank_entries_signal").on("bank_entries").columns(["signal_type", "signal"]).execute();
  await db.schema.createIndex("bank_entries_removed_seq").on("bank_entries").column("removed_seq").execute();
}
