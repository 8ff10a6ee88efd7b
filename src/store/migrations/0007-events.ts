import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  // Platform events (src/events/). The primary key is the platform's own event
  // id, so a re-sent event is an insert that conflicts and changes nothing.
  // `subject_id` is what the event is about (the account, post, comment or
  // report target); `actor_id` who did it (author, follower, reporter), when
  // the type has one. `processed_at` and `signals` are written once by the
  // worker; until then the event is pending.
  await db.schema
    .createTable("events")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("platform_id", "text")
    .addColumn("subject_id", "text")
    .addColumn("actor_id", "text")
    .addColumn("occurred_at", "text", (c) => c.notNull())
    .addColumn("received_at", "text", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("processed_at", "text")
    .addColumn("signals", "text")
    .execute();
  // Everything known about one account or post, in the order it happened.
  await sql`create index events_subject on events (subject_id, occurred_at)`.execute(db);
  await sql`create index events_actor on events (actor_id, occurred_at)`.execute(db);
}
