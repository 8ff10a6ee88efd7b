import { sql, type Kysely, type Transaction } from "kysely";

/**
 * A change feed's counter. `seq` orders banks, lexicons, policies, cases,
 * actions and seeds; `graph_seq` orders graph edges alone, so that ingest
 * writing follows does not queue behind a worker's batch that holds `seq`
 * until it commits (migration 0023).
 */
export type SeqCounter = "seq" | "graph_seq";

/**
 * Takes `count` consecutive values from a counter and returns the first.
 * Must run inside the transaction that writes the rows using them: the
 * counter row stays locked until commit, so on PostgreSQL transactions that
 * allocate from one counter commit in its order (see migration 0001).
 */
export async function allocateSeq(trx: Transaction<unknown> | Kysely<unknown>, count = 1, counter: SeqCounter = "seq"): Promise<number> {
  const row = await sql<{ value: string | number }>`
    update counters set value = value + ${count} where name = ${counter} returning value
  `.execute(trx);
  const last = Number(row.rows[0]!.value);
  return last - count + 1;
}

/** The newest value handed out, i.e. the change-feed position everything up to is visible. */
export async function currentSeq(db: Kysely<unknown>, counter: SeqCounter = "seq"): Promise<number> {
  const row = await sql<{ value: string | number }>`select value from counters where name = ${counter}`.execute(db);
  return Number(row.rows[0]!.value);
}

/** The random identity stamped on this database when it was created. */
export async function databaseId(db: Kysely<unknown>): Promise<number> {
  const row = await sql<{ value: string | number }>`select value from counters where name = 'database_id'`.execute(db);
  return Number(row.rows[0]!.value);
}
