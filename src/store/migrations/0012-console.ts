import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  // Each console user's own review defaults (src/preferences/). One row per
  // user, written on their first change; a user without a row gets the safe
  // defaults (blurred, greyscale). Removed with the user.
  await db.schema
    .createTable("console_preferences")
    .addColumn("user_id", "text", (c) => c.primaryKey().references("users.id").onDelete("cascade"))
    .addColumn("blur_media", "integer", (c) => c.notNull())
    .addColumn("greyscale_media", "integer", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  // Blocked searches counted per hour and surface (src/search-gate/): the
  // search gate keeps no record of the queries themselves (they are the
  // searches of a platform's users), only how many it blocked, flushed from
  // memory every few seconds so a check never waits on a write.
  await db.schema
    .createTable("search_block_counts")
    .addColumn("hour", "text", (c) => c.notNull())
    .addColumn("surface", "text", (c) => c.notNull())
    .addColumn("blocked", "bigint", (c) => c.notNull())
    .addColumn("suggestions_removed", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("search_block_counts_pk", ["hour", "surface"])
    .execute();

  // The dashboard (src/stats/) reads decisions, actions and decided cases by
  // time range; without these it would scan each table whole.
  await sql`create index decisions_created on decisions (created_at)`.execute(db);
  await sql`create index actions_created on actions (created_at)`.execute(db);
  await sql`create index cases_decided on cases (decided_at)`.execute(db);
}
