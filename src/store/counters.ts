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

/**
 * Values taken from `seq` with one `allocateSeq` and handed out in order, for
 * a transaction that numbers several kinds of rows (an event batch's case
 * history, actions and audit entries): the counter's row lock, which orders
 * commits, is taken once and as late as the caller can, instead of at the
 * first of them. Each writer takes its rows' numbers with `take`.
 */
export interface SeqBlock {
  /** The first of the next `count` values of the block. */
  take(count: number): number;
}

export async function allocateSeqBlock(trx: Transaction<unknown> | Kysely<unknown>, count: number): Promise<SeqBlock> {
  let next = count > 0 ? await allocateSeq(trx, count) : 0;
  const end = next + count;
  return {
    take(n) {
      if (next + n > end) throw new Error(`A seq block of ${count} was asked for more values than it holds.`);
      const first = next;
      next += n;
      return first;
    },
  };
}

/** The first of `count` values: from `block` when the caller took one, else from the counter. */
export async function firstSeqOf(trx: Transaction<unknown> | Kysely<unknown>, count: number, block: SeqBlock | undefined): Promise<number> {
  return block ? block.take(count) : allocateSeq(trx, count);
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
