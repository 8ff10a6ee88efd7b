import { sql, type Kysely, type Transaction } from "kysely";

/**
 * Takes `count` consecutive values from the global `seq` counter and returns
 * the first. Must run inside the transaction that writes the rows using them:
 * the counter row stays locked until commit, so on PostgreSQL transactions
 * that allocate commit in sequence order (see migration 0001).
 */
export async function allocateSeq(trx: Transaction<unknown> | Kysely<unknown>, count = 1): Promise<number> {
  const row = await sql<{ value: string | number }>`
    update counters set value = value + ${count} where name = 'seq' returning value
  `.execute(trx);
  const last = Number(row.rows[0]!.value);
  return last - count + 1;
}

/** The newest value handed out, i.e. the change-feed position everything up to is visible. */
export async function currentSeq(db: Kysely<unknown>): Promise<number> {
  const row = await sql<{ value: string | number }>`select value from counters where name = 'seq'`.execute(db);
  return Number(row.rows[0]!.value);
}

/** The random identity stamped on this database when it was created. */
export async function databaseId(db: Kysely<unknown>): Promise<number> {
  const row = await sql<{ value: string | number }>`select value from counters where name = 'database_id'`.execute(db);
  return Number(row.rows[0]!.value);
}
