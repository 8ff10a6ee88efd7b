import { sql, type Kysely, type Transaction } from "kysely";
import { allocateSeq, currentSeq } from "../store/index.js";
import type { SignalType } from "./signal-types.js";
import type { BankTables } from "./tables.js";
import type { Bank, BankChanges, BankEntry, BankState, MatchVerdict } from "./types.js";

type Db = Kysely<BankTables> | Transaction<BankTables>;

/** Filters for listing a bank's entries (all optional, combined with AND). */
export interface EntrySearch {
  /** Hexadecimal digits the signal starts with. */
  signalPrefix?: string;
  category?: string;
  /** Text the entry's note or source contains (case aside). */
  contains?: string;
}
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
        .where("import_id", "is", null)
        .where((eb) => eb.or([eb("id", "=", idOrName), eb("name", "=", idOrName)]))
        .orderBy(sql`case when id = ${idOrName} then 0 else 1 end`)
        .executeTakeFirst();
      return row && toBank(row);
    },

    async listBanks(): Promise<Array<Bank & { entryCount: number }>> {
      const rows = await db
        .selectFrom("banks")
        .leftJoin("bank_entries", (join) =>
          join.onRef("bank_entries.bank_id", "=", "banks.id").on("bank_entries.removed_seq", "is", null).on("bank_entries.import_id", "is", null),
        )
        .selectAll("banks")
        .select((eb) => eb.fn.count<string | number>("bank_entries.id").as("entry_count"))
        .where("banks.deleted_at", "is", null)
        .where("banks.import_id", "is", null)
        .groupBy("banks.id")
        .orderBy("banks.name")
        .execute();
      return rows.map((row) => ({ ...toBank(row), entryCount: Number(row.entry_count) }));
    },

    /** Inserts a bank; with `importId`, invisible until that import publishes. */
    async insertBank(trx: Db, bank: Bank, importId: string | null = null): Promise<void> {
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
          import_id: importId,
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
        .where("import_id", "is", null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    /**
     * Inserts entries, skipping any signal the bank already holds live (or an
     * import in flight holds). With `importId` the entries stay invisible until
     * `publishImport`. Returns how many were new.
     */
    async insertEntries(
      trx: Db,
      rows: Array<Omit<EntryRow, "index_key" | "removed_seq" | "removed_at" | "import_id">>,
      importId: string | null = null,
    ): Promise<number> {
      let inserted = 0;
      for (let start = 0; start < rows.length; start += insertBatchRows) {
        const batch = rows.slice(start, start + insertBatchRows);
        const first = await allocateSeq(trx as Transaction<unknown>, batch.length);
        const result = await trx
          .insertInto("bank_entries")
          .values(batch.map((row, i) => ({ ...row, index_key: first + i, removed_seq: null, removed_at: null, import_id: importId })))
          .onConflict((oc) => oc.columns(["bank_id", "signal_type", "signal"]).where("removed_seq", "is", null).doNothing())
          .executeTakeFirst();
        inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
      }
      return inserted;
    },

    /** Records an import in flight, by the process running it; its rows carry its id until `publishImport` or `discardImport`. */
    async beginImport(importId: string, at: string, owner: { host: string; pid: number }): Promise<void> {
      await db.insertInto("bank_imports").values({ id: importId, started_at: at, heartbeat_at: at, host: owner.host, pid: owner.pid }).execute();
    },

    /** Tells other importers this import is alive (see `staleImports`). */
    async beatImport(importId: string, at: string): Promise<void> {
      await db.updateTable("bank_imports").set({ heartbeat_at: at }).where("id", "=", importId).execute();
    },

    /** Every import in flight (or left behind by a dead process). */
    async listImports(): Promise<Array<{ id: string; heartbeatAt: string; host: string; pid: number }>> {
      const rows = await db.selectFrom("bank_imports").selectAll().execute();
      return rows.map((r) => ({ id: r.id, heartbeatAt: r.heartbeat_at, host: r.host, pid: Number(r.pid) }));
    },

    /** Whether an import in flight is creating a bank of this name. */
    async bankNameStaged(name: string, trx: Db = db): Promise<boolean> {
      const row = await trx.selectFrom("banks").select("id").where("name", "=", name).where("deleted_at", "is", null).where("import_id", "is not", null).executeTakeFirst();
      return row !== undefined;
    },

    /**
     * Makes every row of an import visible, in the caller's (short) transaction.
     * The rows were keyed from `seq` while staged, and followers of the change
     * feed have moved past those keys; so they are re-keyed into a span taken
     * from `seq` now, inside this transaction, which the feed will read in order.
     * One UPDATE over the import's own index: seconds for a million rows, not the
     * minutes of writing them.
     */
    async publishImport(trx: Db, importId: string): Promise<void> {
      const bankSeq = await allocateSeq(trx as Transaction<unknown>);
      await trx.updateTable("banks").set({ import_id: null, updated_seq: bankSeq }).where("import_id", "=", importId).execute();
      const span = await trx
        .selectFrom("bank_entries")
        .select((eb) => [eb.fn.min<string | number>("index_key").as("lo"), eb.fn.max<string | number>("index_key").as("hi")])
        .where("import_id", "=", importId)
        .executeTakeFirstOrThrow();
      if (span.lo !== null && span.hi !== null) {
        const lo = Number(span.lo);
        const base = await allocateSeq(trx as Transaction<unknown>, Number(span.hi) - lo + 1);
        await trx
          .updateTable("bank_entries")
          .set({ import_id: null, index_key: sql`index_key + ${base - lo}` })
          .where("import_id", "=", importId)
          .execute();
      }
      await trx.deleteFrom("bank_imports").where("id", "=", importId).execute();
    },

    /** Deletes an unpublished import's rows, a group per statement so no lock is held long. */
    async discardImport(importId: string, groupRows = 5000): Promise<void> {
      for (;;) {
        const result = await db
          .deleteFrom("bank_entries")
          .where("id", "in", (eb) => eb.selectFrom("bank_entries").select("id").where("import_id", "=", importId).limit(groupRows))
          .executeTakeFirst();
        if (Number(result.numDeletedRows) < groupRows) break;
      }
      await db.deleteFrom("banks").where("import_id", "=", importId).execute();
      await db.deleteFrom("bank_imports").where("id", "=", importId).execute();
    },

    async removeEntries(trx: Db, bankId: string, where: { ids?: string[]; signal?: { type: SignalType; value: string } }, at: string): Promise<number> {
      const seq = await allocateSeq(trx as Transaction<unknown>);
      let query = trx
        .updateTable("bank_entries")
        .set({ removed_seq: seq, removed_at: at })
        .where("bank_id", "=", bankId)
        .where("removed_seq", "is", null)
        .where("import_id", "is", null);
      if (where.ids) query = query.where("id", "in", where.ids.length ? where.ids : [""]);
      if (where.signal) query = query.where("signal_type", "=", where.signal.type).where("signal", "=", where.signal.value);
      const result = await query.executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async listEntries(bankId: string, options: { after?: string; limit: number; includeRemoved: boolean } & EntrySearch): Promise<BankEntry[]> {
      let query = db.selectFrom("bank_entries").selectAll().where("bank_id", "=", bankId).where("import_id", "is", null);
      if (!options.includeRemoved) query = query.where("removed_seq", "is", null);
      // Signals are stored as lower-case hex and the prefix is checked to be hex, so it holds no LIKE wildcard.
      if (options.signalPrefix) query = query.where("signal", "like", `${options.signalPrefix.toLowerCase()}%`);
      if (options.category) query = query.where("category", "=", options.category);
      if (options.contains) {
        const pattern = `%${options.contains.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        // lower() on both sides: SQLite's LIKE ignores case and PostgreSQL's does not.
        query = query.where((eb) => eb.or([sql<boolean>`lower(note) like lower(${pattern}) escape '\\'`, sql<boolean>`lower(source) like lower(${pattern}) escape '\\'`]));
      }
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
          .where("import_id", "is", null)
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
      const row = await db.selectFrom("bank_entries").selectAll().where("bank_id", "=", bankId).where("id", "=", entryId).where("import_id", "is", null).executeTakeFirst();
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
        .where("bank_entries.import_id", "is", null)
        .where("banks.deleted_at", "is", null)
        .where("banks.import_id", "is", null)
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
          import_id: null,
        }),
      }));
    },

    async findByIndexKeys(keys: number[]): Promise<Map<number, BankEntry>> {
      const found = new Map<number, BankEntry>();
      for (let start = 0; start < keys.length; start += insertBatchRows) {
        const rows = await db.selectFrom("bank_entries").selectAll().where("index_key", "in", keys.slice(start, start + insertBatchRows)).where("import_id", "is", null).execute();
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
        db.selectFrom("banks").selectAll().where("updated_seq", ">", cursor).where("updated_seq", "<=", upto).where("import_id", "is", null).execute(),
        db
          .selectFrom("bank_entries")
          .innerJoin("banks", "banks.id", "bank_entries.bank_id")
          .select(["bank_entries.index_key", "bank_entries.signal", "banks.ordinal"])
          .where("bank_entries.signal_type", "=", "pdq")
          .where("bank_entries.index_key", ">", cursor)
          .where("bank_entries.index_key", "<=", upto)
          .where("bank_entries.import_id", "is", null)
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
