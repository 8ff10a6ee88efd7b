import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  // The durable job queue (src/queue/). A job is claimable when its state is
  // ready or running and run_at <= now: while ready, run_at is when it is due;
  // while running, the claim sets run_at to the lease end (= locked_until), so
  // a crashed worker's jobs become due again through the same index.
  // Times compared in SQL are epoch milliseconds; the rest are ISO-8601 text.
  await db.schema
    .createTable("jobs")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("queue", "text", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("idempotency_key", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull().check(sql`state in ('ready', 'running', 'done', 'dead')`))
    .addColumn("attempts", "integer", (c) => c.notNull())
    .addColumn("max_attempts", "integer", (c) => c.notNull())
    .addColumn("run_at", "bigint", (c) => c.notNull())
    .addColumn("locked_by", "text")
    .addColumn("locked_until", "bigint")
    .addColumn("last_error", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("finished_at", "text")
    .execute();
  // Enqueueing a key already in the queue is a no-op (insert … on conflict do nothing).
  await sql`create unique index jobs_queue_key on jobs (queue, idempotency_key)`.execute(db);
  // Claims walk this in due order and stop after `limit` rows; finished jobs are not in it.
  await sql`create index jobs_claimable on jobs (queue, run_at) where state in ('ready', 'running')`.execute(db);
  // Depth per state (metrics) and the dead-letter list.
  await sql`create index jobs_queue_state on jobs (queue, state)`.execute(db);
}
