import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  // Graph edges get their own change-feed counter. With one counter, ingest writing follows waited on PostgreSQL
  // for the row lock that a worker's batch transaction holds from its first case or action until it commits.
  // Starting past every edge already numbered keeps the feed's cursors valid: new edges sort after old ones.
  await sql`
    insert into counters (name, value)
    select 'graph_seq', coalesce((select max(seq) from graph_edges), 0)
  `.execute(db);
}
