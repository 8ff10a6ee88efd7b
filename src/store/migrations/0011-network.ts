import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  // The social graph's edge log (src/network/), written at ingest: follows,
  // unfollows and interactions only here (no event row, no job); comments and
  // reports here as well as stored and processed as events. The platform's event
  // id is the key, so a re-sent event changes nothing. `seq` comes from the
  // global counter inside the writing transaction, so a reader that follows
  // "seq > cursor" never skips a row (see src/store/counters.ts).
  // `dst` is an account id, or `post:<id>` / `comment:<id>` until the
  // content's author is known (resolved when the graph is built).
  await db.schema
    .createTable("graph_edges")
    .addColumn("event_id", "text", (c) => c.primaryKey())
    .addColumn("seq", "bigint", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("src", "text", (c) => c.notNull())
    .addColumn("dst", "text", (c) => c.notNull())
    .addColumn("occurred_at", "text", (c) => c.notNull())
    .execute();
  await sql`create index graph_edges_seq on graph_edges (seq)`.execute(db);

  // Accounts an operator or a reviewer named: `seed` (confirmed or suspected
  // member, where scoring starts) or `negative` (a reviewer cleared it).
  // Reviewer confirmations and dismissals are read from `cases` directly;
  // this table holds what operators said (`lapwing network seed`), audited.
  await db.schema
    .createTable("network_seeds")
    .addColumn("account_id", "text", (c) => c.primaryKey())
    .addColumn("polarity", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("seq", "bigint", (c) => c.notNull())
    .execute();
}
