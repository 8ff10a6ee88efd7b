import { sql, type Kysely, type Transaction } from "kysely";
import { allocateSeq, currentSeq } from "../store/index.js";
import type { SignalType } from "./signal-types.js";
import type { BankTables } from "./tables.js";
import type { Bank, BankChanges, BankEntry, BankState, MatchVerdict } from "./types.js";

type Db = Kysely<BankTables> | Transaction<BankTables>;
type BankRow = BankTables["banks"];
type EntryRow = BankTables["bank_entries"];

// PostgreSQL allows 65535 bind parameters and SQLite 32766; 10 columns × 1000 rows stays well under both.
const insertBatchRows = 1000;

/** All SQL for hash banks. Every write that the change feed must see allocates from `seq`. */
export function createBankRepository(db: Kysely<BankTables>) {
  return {
    transaction<T>(fn: (trx: Transaction<BankTables>) => Promise<T>): Promise<T> {
      return db.transaction().execute(fn);
    },

    async findBank(idOrName: string, trx: Db = db): Promise<Bank | undefined> {
      const row = await trx
        .selectFrom("banks")
        .selectAll()
        .where("deleted_at", "is", null)
        .where((eb) => eb.or([eb("id", "=", idOrName), eb("name", "=", idOrName)]))
        .orderBy(sql`case when id = ${idOrName} then 0 else 1 end`)
        .executeTakeFirst();
      return row && toBank(row);
    },

    async listBanks(): Promise<Array<Bank & { entryCount: number }>> {
      const rows = await db
        .selectFrom("banks")
        .leftJoin("bank_entries", (join) =>
          join.onRef("bank_entries.bank_id", "=", "banks.id").on("bank_entries.removed_seq", "is", null),
        )
        .selectAll("banks")
        .select((eb) => eb.fn.count<string | number>("bank_entries.id").as("entry_count"))
        .where("banks.deleted_at", "is", null)
        .groupBy("banks.id")
        .orderBy("banks.name")
        .execute();
      return rows.map((row) => ({ ...toBank(row), entryCount: Number(row.entry_count) }));
    },

    async insertBank(trx: Db, bank: Bank): Promise<void> {
      const seq = await allocateSeq(trx as Transaction<unknown>);
      await trx
        .insertInto("banks")
        .values({
          id: bank.id,
          ordinal: seq,
          name: bank.name,
          description: bank.description,
          enabled: bank.enabled ? 1 : 0,
          pdq_threshold: bank.pdqThreshold,
          match_verdict: bank.matchVerdict,
          created_at: bank.createdAt,
          updated_at: bank.updatedAt,
          updated_seq: seq,
        })
        .execute();
    },

    async updateBank(trx: Db, bank: Bank): Promise<void> {
      const seq = await allocateSeq(trx as Transaction<unknown>);
      await trx
        .updateTable("banks")
        .set({
          name: bank.name,
          description: bank.description,
          enabled: bank.enabled ? 1 : 0,
          pdq_threshold: bank.pdqThreshold,
          match_verdict: bank.matchVerdict,
          updated_at: bank.updatedAt,
          updated_seq: seq,
        })
        .where("id", "=", bank.id)
        .execute();
    },

    /** Soft-deletes the bank and tombstones its live entries, in one change. */
    async deleteBank(trx: Db, bankId: string, at: string): Promise<number> {
      const seq = await allocateSeq(trx as Transaction<unknown>);
      await trx.updateTable("banks").set({ deleted_at: at, updated_at: at, updated_seq: seq }).where("id", "=", bankId).execute();
      const result = await trx
        .updateTable("bank_entries")
        .set({ removed_seq: seq, removed_at: at })
        .where("bank_id", "=", bankId)
        .where("removed_seq", "is", null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    /**
     * Inserts entries, skipping any signal the bank already holds live.
     * Returns how many were new.
     */
    async insertEntries(
      trx: Db,
      rows: Array<Omit<EntryRow, "index_key" | "removed_seq" | "removed_at">>,
    ): Promise<number> {
      let inserted = 0;
      for (let start = 0; start < rows.length; start += insertBatchRows) {
        const batch = rows.slice(start, start + insertBatchRows);
        const first = await allocateSeq(trx as Transaction<unknown>, batch.length);
        const result = await trx
          .insertInto("bank_entries")
          .values(batch.map((row, i) => ({ ...row, index_key: first + i, removed_seq: null, removed_at: null })))
          .onConflict((oc) => oc.columns(["bank_id", "signal_type", "signal"]).where("removed_seq", "is", null).doNothing())
          .executeTakeFirst();
        inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
      }
      return inserted;
    },

    async removeEntries(trx: Db, bankId: string, where: { ids?: string[]; signal?: { type: SignalType; value: string } }, at: string): Promise<number> {
      const seq = await allocateSeq(trx as Transaction<unknown>);
      let query = trx
        .updateTable("bank_entries")
        .set({ removed_seq: seq, removed_at: at })
        .where("bank_id", "=", bankId)
        .where("removed_seq", "is", null);
      if (where.ids) query = query.where("id", "in", where.ids.length ? where.ids : [""]);
      if (where.signal) query = query.where("signal_type", "=", where.signal.type).where("signal", "=", where.signal.value);
      const result = await query.executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async listEntries(bankId: string, options: { after?: string; limit: number; includeRemoved: boolean }): Promise<BankEntry[]> {
      let query = db.selectFrom("bank_entries").selectAll().where("bank_id", "=", bankId);
      if (!options.includeRemoved) query = query.where("removed_seq", "is", null);
      if (options.after) query = query.where("id", ">", options.after);
      const rows = await query.orderBy("id").limit(options.limit).execute();
      return rows.map(toEntry);
    },

    async *streamLiveEntries(bankId: string, pageRows = 5000): AsyncGenerator<BankEntry> {
      let after = "";
      for (;;) {
        const rows = await db
          .selectFrom("bank_entries")
          .selectAll()
          .where("bank_id", "=", bankId)
          .where("removed_seq", "is", null)
          .where("id", ">", after)
          .orderBy("id")
          .limit(pageRows)
          .execute();
        for (const row of rows) yield toEntry(row);
        if (rows.length < pageRows) return;
        after = rows[rows.length - 1]!.id;
      }
    },

    async findEntry(bankId: string, entryId: string): Promise<BankEntry | undefined> {
      const row = await db.selectFrom("bank_entries").selectAll().where("bank_id", "=", bankId).where("id", "=", entryId).executeTakeFirst();
      return row && toEntry(row);
    },

    /** Live entries of enabled banks holding exactly one of these signals, with their bank. */
    async findBySignal(type: SignalType, signals: string[]): Promise<Array<{ entry: BankEntry; bank: Bank }>> {
      if (signals.length === 0) return [];
      const rows = await db
        .selectFrom("bank_entries")
        .innerJoin("banks", "banks.id", "bank_entries.bank_id")
        .selectAll("bank_entries")
        .select([
          "banks.name as bank_name",
          "banks.description as bank_description",
          "banks.enabled as bank_enabled",
          "banks.pdq_threshold as bank_pdq_threshold",
          "banks.match_verdict as bank_match_verdict",
          "banks.created_at as bank_created_at",
          "banks.updated_at as bank_updated_at",
        ])
        .where("bank_entries.signal_type", "=", type)
        .where("bank_entries.signal", "in", signals)
        .where("bank_entries.removed_seq", "is", null)
        .where("banks.deleted_at", "is", null)
        .where("banks.enabled", "=", 1)
        .execute();
      return rows.map((row) => ({
        entry: toEntry(row),
        bank: toBank({
          ...row,
          id: row.bank_id,
          name: row.bank_name,
          description: row.bank_description,
          enabled: row.bank_enabled,
          pdq_threshold: row.bank_pdq_threshold,
          match_verdict: row.bank_match_verdict,
          created_at: row.bank_created_at,
          updated_at: row.bank_updated_at,
          ordinal: 0,
          updated_seq: 0,
          deleted_at: null,
        }),
      }));
    },

    async findByIndexKeys(keys: number[]): Promise<Map<number, BankEntry>> {
      const found = new Map<number, BankEntry>();
      for (let start = 0; start < keys.length; start += insertBatchRows) {
        const rows = await db.selectFrom("bank_entries").selectAll().where("index_key", "in", keys.slice(start, start + insertBatchRows)).execute();
        for (const row of rows) found.set(Number(row.index_key), toEntry(row));
      }
      return found;
    },

    /**
     * One page of the change feed after `cursor`, at most `window` seq values
     * wide. Reading the counter first bounds the page to committed work: writers
     * hold the counter row until commit, so every seq ≤ the value read is visible.
     */
    async changesSince(cursor: number, window: number): Promise<BankChanges> {
      const latest = await currentSeq(db as Kysely<unknown>);
      const upto = Math.min(latest, cursor + window);
      if (upto <= cursor) return { nextCursor: cursor, hasMore: false, addedPdq: [], removedKeys: [], banks: [] };
      const [banks, added, removed] = await Promise.all([
        db.selectFrom("banks").selectAll().where("updated_seq", ">", cursor).where("updated_seq", "<=", upto).execute(),
        db
          .selectFrom("bank_entries")
          .innerJoin("banks", "banks.id", "bank_entries.bank_id")
          .select(["bank_entries.index_key", "bank_entries.signal", "banks.ordinal"])
          .where("bank_entries.signal_type", "=", "pdq")
          .where("bank_entries.index_key", ">", cursor)
          .where("bank_entries.index_key", "<=", upto)
          .where((eb) => eb.or([eb("bank_entries.removed_seq", "is", null), eb("bank_entries.removed_seq", ">", upto)]))
          .orderBy("bank_entries.index_key")
          .execute(),
        db
          .selectFrom("bank_entries")
          .select("index_key")
          .where("signal_type", "=", "pdq")
          .where("removed_seq", ">", cursor)
          .where("removed_seq", "<=", upto)
          .where("index_key", "<=", cursor)
          .execute(),
      ]);
      return {
        nextCursor: upto,
        hasMore: upto < latest,
        addedPdq: added.map((r) => ({ key: Number(r.index_key), bankOrdinal: Number(r.ordinal), signal: r.signal })),
        removedKeys: removed.map((r) => Number(r.index_key)),
        banks: banks.map(toBankState),
      };
    },
  };
}

export type BankRepository = ReturnType<typeof createBankRepository>;

function toBank(row: BankRow): Bank {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    enabled: Number(row.enabled) === 1,
    pdqThreshold: Number(row.pdq_threshold),
    matchVerdict: row.match_verdict as MatchVerdict,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toBankState(row: BankRow): BankState {
  return {
    ordinal: Number(row.ordinal),
    id: row.id,
    name: row.name,
    enabled: Number(row.enabled) === 1,
    pdqThreshold: Number(row.pdq_threshold),
    matchVerdict: row.match_verdict as MatchVerdict,
    deleted: row.deleted_at !== null,
  };
}

function toEntry(row: EntryRow): BankEntry {
  return {
    id: row.id,
    bankId: row.bank_id,
    signalType: row.signal_type as SignalType,
    signal: row.signal,
    source: row.source,
    category: row.category,
    note: row.note,
    addedAt: row.added_at,
    removedAt: row.removed_at,
  };
}
