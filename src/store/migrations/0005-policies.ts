import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  // Policy sets (src/policy/): each write stores a whole new version and never
  // changes an old one, because every decision records the version that made
  // it and a reviewer must be able to read exactly that version later. Only the
  // `active` flag moves; the partial unique index keeps at most one active.
  await db.schema
    .createTable("policy_sets")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("version", "integer", (c) => c.notNull().unique())
    .addColumn("content", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("active", "integer", (c) => c.notNull())
    .execute();
  await sql`create unique index policy_sets_one_active on policy_sets (active) where active = 1`.execute(db);
}
