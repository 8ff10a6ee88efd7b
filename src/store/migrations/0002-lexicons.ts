import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  // A lexicon is stored whole (its JSON) and replaced whole: operators edit
  // lists as files. updated_seq feeds the change feed that hot-reloads them.
  await db.schema
    .createTable("lexicons")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("surfaces", "text", (c) => c.notNull())
    .addColumn("content", "text", (c) => c.notNull())
    .addColumn("entry_count", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("updated_seq", "bigint", (c) => c.notNull())
    .addColumn("deleted_at", "text")
    .execute();
  await sql`create unique index lexicons_live_name on lexicons (name) where deleted_at is null`.execute(db);
  await db.schema.createIndex("lexicons_updated_seq").on("lexicons").column("updated_seq").execute();
}
