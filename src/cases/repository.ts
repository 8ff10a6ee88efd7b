import { sql, type Kysely, type Transaction } from "kysely";
import { allocateSeq, type DialectName } from "../store/index.js";
import type { CaseTables } from "./tables.js";

export type CaseRow = CaseTables["cases"];
export type CaseHistoryRow = CaseTables["case_history"];
type Db = Kysely<CaseTables> | Transaction<CaseTables>;

export interface CaseListFilter {
  states: readonly string[];
  /** Hide restricted (child sexual abuse) cases. */
  isRestrictedHidden: boolean;
  maxPriorityRank?: number;
  accountId?: string;
  limit: number;
  offset: number;
}

/** All SQL for cases and their history. */
export function createCaseRepository(db: Kysely<CaseTables>, dialect: DialectName) {
  return {
    db,

    transaction<T>(fn: (trx: Transaction<CaseTables>) => Promise<T>): Promise<T> {
      return db.transaction().execute(fn);
    },

    /** Which of these case ids are restricted (hold a child sexual abuse signal). */
    async restrictedAmong(ids: readonly string[]): Promise<Set<string>> {
      const restricted = new Set<string>();
      // Chunked: one bound parameter per id, and SQLite allows 32766 of them.
      for (let i = 0; i < ids.length; i += 1000) {
        const rows = await db.selectFrom("cases").select("id").where("id", "in", ids.slice(i, i + 1000)).where("restricted", "=", 1).execute();
        for (const row of rows) restricted.add(row.id);
      }
      return restricted;
    },

    /**
     * Opens a case for the account unless it has an undecided one; the
     * partial unique index decides between racing writers. Returns whether
     * this call opened it.
     */
    async openIfNone(trx: Db, row: CaseRow): Promise<boolean> {
      const inserted = await trx
        .insertInto("cases")
        .values(row)
        // A literal, not a bound parameter: SQLite matches the partial index only on its exact text.
        .onConflict((oc) => oc.column("account_id").where(sql<boolean>`state <> 'decided'`).doNothing())
        .returning("id")
        .execute();
      return inserted.length > 0;
    },

    /** The account's undecided case, locked like {@link findForUpdate}. */
    async findUndecidedForUpdate(trx: Db, accountId: string): Promise<CaseRow | undefined> {
      let select = trx.selectFrom("cases").selectAll().where("account_id", "=", accountId).where("state", "<>", "decided");
      if (dialect === "postgres") select = select.forUpdate();
      return select.executeTakeFirst();
    },

    async find(id: string, trx: Db = db): Promise<CaseRow | undefined> {
      return trx.selectFrom("cases").selectAll().where("id", "=", id).executeTakeFirst();
    },

    /** The case with its row locked until the transaction ends (so claims and decisions serialise). */
    async findForUpdate(trx: Db, id: string): Promise<CaseRow | undefined> {
      let select = trx.selectFrom("cases").selectAll().where("id", "=", id);
      // SQLite has one writer at a time already; PostgreSQL needs the row lock.
      if (dialect === "postgres") select = select.forUpdate();
      return select.executeTakeFirst();
    },

    async set(trx: Db, id: string, change: Partial<CaseRow>): Promise<void> {
      await trx.updateTable("cases").set(change).where("id", "=", id).execute();
    },

    async list(filter: CaseListFilter): Promise<CaseRow[]> {
      let query = db.selectFrom("cases").selectAll().where("state", "in", [...filter.states]);
      if (filter.isRestrictedHidden) query = query.where("restricted", "=", 0);
      if (filter.maxPriorityRank !== undefined) query = query.where("priority_rank", "<=", filter.maxPriorityRank);
      if (filter.accountId) query = query.where("account_id", "=", filter.accountId);
      return query.orderBy("priority_rank").orderBy("opened_at").orderBy("id").limit(filter.limit).offset(filter.offset).execute();
    },

    async undecidedIdsOf(accountIds: readonly string[], isRestrictedHidden: boolean): Promise<string[]> {
      if (accountIds.length === 0) return [];
      let query = db.selectFrom("cases").select("id").where("account_id", "in", [...accountIds]).where("state", "<>", "decided");
      if (isRestrictedHidden) query = query.where("restricted", "=", 0);
      const rows = await query.execute();
      return rows.map((r) => r.id);
    },

    /** When the account's newest decided case was decided, or undefined. */
    async lastDecidedAt(trx: Db, accountId: string): Promise<string | undefined> {
      const row = await trx.selectFrom("cases").select((eb) => eb.fn.max("decided_at").as("at")).where("account_id", "=", accountId).where("state", "=", "decided").executeTakeFirst();
      return row?.at ?? undefined;
    },

    async addHistory(trx: Db, rows: Array<Omit<CaseHistoryRow, "seq">>): Promise<void> {
      if (rows.length === 0) return;
      const first = await allocateSeq(trx as Transaction<unknown>, rows.length);
      await trx
        .insertInto("case_history")
        .values(rows.map((row, i) => ({ ...row, seq: first + i })))
        .execute();
    },

    async history(caseId: string): Promise<CaseHistoryRow[]> {
      return db.selectFrom("case_history").selectAll().where("case_id", "=", caseId).orderBy("seq").execute();
    },

    async countUndecidedByState(): Promise<Array<{ state: string; count: number }>> {
      const rows = await db.selectFrom("cases").select(["state", db.fn.countAll().as("count")]).where("state", "<>", "decided").groupBy("state").execute();
      return rows.map((r) => ({ state: r.state, count: Number(r.count) }));
    },
  };
}

export type CaseRepository = ReturnType<typeof createCaseRepository>;
