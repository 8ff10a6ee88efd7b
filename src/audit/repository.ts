import type { Kysely, Transaction } from "kysely";
import { currentSeq, firstSeqOf, type SeqBlock } from "../store/index.js";
import type { AuditTables } from "./tables.js";

export type AuditRow = AuditTables["audit_log"];
type Db = Kysely<AuditTables> | Transaction<AuditTables>;

// PostgreSQL allows 65535 bind parameters and SQLite 32766; 10 columns × 500 rows stays under both.
const insertBatchRows = 500;

/** All SQL for the audit log. Inserts and reads only: there is no update or delete. */
export function createAuditRepository(db: Kysely<AuditTables>) {
  return {
    /** Runs `fn` in `trx` if it is a transaction, else in a new one on it. */
    inTransaction<T>(trx: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
      return trx.isTransaction ? fn(trx) : trx.transaction().execute(fn);
    },

    /**
     * Takes `count` positions from `seq` and returns the first with the current
     * head's hash. The counter update comes first: it locks the counter row until
     * commit, so no other writer can append between this read and our insert,
     * and (on PostgreSQL, READ COMMITTED) the read that follows it sees every
     * entry committed before the lock was granted. `knownHead` is the hash this
     * transaction appended last, when it has appended already: nobody else can
     * have appended since (it holds the lock), so the read is skipped. With
     * `numbers` (a block this transaction took from `seq`, so it holds the lock
     * already) the positions come from the block.
     */
    async reserve(trx: Db, count: number, knownHead?: string, numbers?: SeqBlock): Promise<{ firstPosition: number; headHash: string | undefined }> {
      const firstPosition = await firstSeqOf(trx as Transaction<unknown>, count, numbers);
      if (knownHead !== undefined) return { firstPosition, headHash: knownHead };
      const head = await trx.selectFrom("audit_log").select("hash").orderBy("position", "desc").limit(1).executeTakeFirst();
      return { firstPosition, headHash: head?.hash };
    },

    async insert(trx: Db, rows: AuditRow[]): Promise<void> {
      for (let start = 0; start < rows.length; start += insertBatchRows) {
        await trx.insertInto("audit_log").values(rows.slice(start, start + insertBatchRows)).execute();
      }
    },

    /** Up to `limit` entries after `position`, in chain order. */
    async page(afterPosition: number, limit: number): Promise<AuditRow[]> {
      return db.selectFrom("audit_log").selectAll().where("position", ">", afterPosition).orderBy("position").limit(limit).execute();
    },

    async list(filter: { after?: number; before?: number; limit: number; action?: string; actor?: string; order: "asc" | "desc" }): Promise<AuditRow[]> {
      let query = db.selectFrom("audit_log").selectAll();
      if (filter.after !== undefined) query = query.where("position", ">", filter.after);
      if (filter.before !== undefined) query = query.where("position", "<", filter.before);
      if (filter.action !== undefined) query = query.where("action", "=", filter.action);
      if (filter.actor !== undefined) query = query.where("actor", "=", filter.actor);
      return query.orderBy("position", filter.order).limit(filter.limit).execute();
    },

    /** Every entry of one action about one target, in chain order (the action index narrows it). */
    async forTarget(action: string, target: { type: string; id: string }): Promise<AuditRow[]> {
      return db
        .selectFrom("audit_log")
        .selectAll()
        .where("action", "=", action)
        .where("target_type", "=", target.type)
        .where("target_id", "=", target.id)
        .orderBy("position")
        .execute();
    },

    async count(): Promise<number> {
      const row = await db.selectFrom("audit_log").select((eb) => eb.fn.countAll<string | number>().as("n")).executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /** The newest value handed out by `seq`: no honest entry has a larger position. */
    currentSeq(): Promise<number> {
      return currentSeq(db as Kysely<unknown>);
    },
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;
