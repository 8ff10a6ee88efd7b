import { sql, type ExpressionBuilder, type Kysely, type Transaction } from "kysely";
import { firstSeqOf, type DialectName, type SeqBlock } from "../store/index.js";
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
  /** Only restricted (true) or only unrestricted (false) cases. */
  restricted?: boolean;
  /** Cases with a decision that evaluated a signal of this type (`hash-match`, `lexicon-hit`, …). */
  signalType?: string;
  /** Cases with a decision an enforced policy of this id made. */
  policyId?: string;
  /** Cases whose live claim is held by this actor (`null`: cases nobody holds now). */
  claimedBy?: string | null;
  /** Leave out cases this actor escalated (they asked for someone more senior). */
  notEscalatedBy?: string;
  /** The time claims are judged at (ISO-8601), for `claimedBy`. */
  now: string;
  limit: number;
  offset: number;
}

/** `%`, `_` and `\` matched literally inside a LIKE pattern (with `escape '\'`). */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** All SQL for cases and their history. */
export function createCaseRepository(db: Kysely<CaseTables>, dialect: DialectName) {
  /** The cases a filter selects, before columns, order and paging. */
  function filtered(filter: CaseListFilter) {
    let query = db.selectFrom("cases").where("state", "in", [...filter.states]);
    if (filter.isRestrictedHidden) query = query.where("restricted", "=", 0);
    if (filter.restricted !== undefined) query = query.where("restricted", "=", filter.restricted ? 1 : 0);
    if (filter.maxPriorityRank !== undefined) query = query.where("priority_rank", "<=", filter.maxPriorityRank);
    if (filter.accountId) query = query.where("account_id", "=", filter.accountId);
    if (filter.claimedBy !== undefined) {
      const live = (eb: ExpressionBuilder<CaseTables, "cases">) => eb.and([eb("state", "=", "claimed"), eb("claim_expires_at", ">", filter.now)]);
      query = filter.claimedBy === null ? query.where((eb) => eb.not(live(eb))) : query.where((eb) => eb.and([live(eb), eb("claimed_by", "=", filter.claimedBy!)]));
    }
    // Decisions keep their signals and policies as JSON text, written by JSON.stringify (no spaces): a LIKE on the exact
    // key and value finds them in both dialects without JSON functions, and the ids are validated to plain characters.
    const decisionHas = (column: "signals" | "decisions", text: string) =>
      query.where((eb) =>
        eb.exists(
          eb
            .selectFrom("decisions")
            .select("decisions.case_id")
            .whereRef("decisions.case_id", "=", "cases.id")
            .where(sql<boolean>`${sql.ref(`decisions.${column}`)} like ${`%${likeLiteral(text)}%`} escape '\\'`),
        ),
      );
    if (filter.notEscalatedBy !== undefined) {
      const actor = filter.notEscalatedBy;
      query = query.where((eb) =>
        eb.not(
          eb.exists(
            eb.selectFrom("case_history").select("case_history.case_id").whereRef("case_history.case_id", "=", "cases.id").where("case_history.kind", "=", "escalated").where("case_history.actor", "=", actor),
          ),
        ),
      );
    }
    if (filter.signalType) query = decisionHas("signals", `"type":${JSON.stringify(filter.signalType)}`);
    if (filter.policyId) query = decisionHas("decisions", `"policyId":${JSON.stringify(filter.policyId)}`);
    return query;
  }

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
     * Opens a case for each row's account unless it has an undecided one; the
     * partial unique index decides between racing writers. Returns the
     * accounts whose case this call opened.
     */
    async openManyIfNone(trx: Db, rows: readonly CaseRow[]): Promise<Set<string>> {
      const opened = new Set<string>();
      // 21 columns a row: 500 rows stay under SQLite's 32766 bound parameters.
      for (let start = 0; start < rows.length; start += 500) {
        const inserted = await trx
          .insertInto("cases")
          .values(rows.slice(start, start + 500))
          // A literal, not a bound parameter: SQLite matches the partial index only on its exact text.
          .onConflict((oc) => oc.column("account_id").where(sql<boolean>`state <> 'decided'`).doNothing())
          .returning("account_id")
          .execute();
        for (const row of inserted) opened.add(row.account_id);
      }
      return opened;
    },

    /** The accounts' undecided cases, locked like {@link findForUpdate}, in account order (so concurrent lockers take them in one order). */
    async findUndecidedForUpdateMany(trx: Db, accountIds: readonly string[]): Promise<CaseRow[]> {
      const sorted = [...accountIds].sort();
      const rows: CaseRow[] = [];
      for (let start = 0; start < sorted.length; start += 1000) {
        let select = trx.selectFrom("cases").selectAll().where("account_id", "in", sorted.slice(start, start + 1000)).where("state", "<>", "decided").orderBy("account_id");
        if (dialect === "postgres") select = select.forUpdate();
        rows.push(...(await select.execute()));
      }
      return rows;
    },

    /** Writes back what automated changes alter on cases (priority, flags, decision count, time) in one statement per 500 cases. */
    async setCounts(trx: Db, rows: readonly CaseRow[]): Promise<void> {
      for (let start = 0; start < rows.length; start += 500) {
        const values = rows
          .slice(start, start + 500)
          .map((r) => sql`(${r.id}, cast(${r.priority_rank} as integer), cast(${r.restricted} as integer), cast(${r.report_requested} as integer), cast(${Number(r.decision_count)} as integer), ${r.updated_at})`);
        // VALUES columns are named column1… by both SQLite (3.33+ for UPDATE … FROM) and PostgreSQL.
        await sql`
          update cases set priority_rank = v.column2, restricted = v.column3, report_requested = v.column4, decision_count = v.column5, updated_at = v.column6
          from (values ${sql.join(values)}) as v
          where cases.id = v.column1`.execute(trx);
      }
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
      return filtered(filter).selectAll().orderBy("priority_rank").orderBy("opened_at").orderBy("id").limit(filter.limit).offset(filter.offset).execute();
    },

    /** How many cases match the filter (paging aside), by state and priority; a lapsed claim counts under `claimed` (the service moves it). */
    async countFiltered(filter: Omit<CaseListFilter, "limit" | "offset">): Promise<Array<{ state: string; priorityRank: number; escalated: boolean; isClaimLive: boolean; count: number }>> {
      const rows = await filtered({ ...filter, limit: 0, offset: 0 })
        .select((eb) => [
          "state",
          "priority_rank",
          "escalated",
          eb
            .case()
            .when(eb.and([eb("state", "=", "claimed"), eb("claim_expires_at", ">", filter.now)]))
            .then(1)
            .else(0)
            .end()
            .as("live"),
          eb.fn.countAll().as("count"),
        ])
        .groupBy(["state", "priority_rank", "escalated", "live"])
        .execute();
      return rows.map((r) => ({ state: r.state, priorityRank: Number(r.priority_rank), escalated: Number(r.escalated) === 1, isClaimLive: Number(r.live) === 1, count: Number(r.count) }));
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

    /** Numbered from `numbers` when the caller took a block of `seq`, else from the counter. */
    async addHistory(trx: Db, rows: Array<Omit<CaseHistoryRow, "seq">>, numbers?: SeqBlock): Promise<void> {
      if (rows.length === 0) return;
      const first = await firstSeqOf(trx as Transaction<unknown>, rows.length, numbers);
      await trx
        .insertInto("case_history")
        .values(rows.map((row, i) => ({ ...row, seq: first + i })))
        .execute();
    },

    async history(caseId: string): Promise<CaseHistoryRow[]> {
      return db.selectFrom("case_history").selectAll().where("case_id", "=", caseId).orderBy("seq").execute();
    },

    /** The account's cases, newest first (its earlier, decided ones included). */
    async forAccount(accountId: string, isRestrictedHidden: boolean, limit: number): Promise<CaseRow[]> {
      let query = db.selectFrom("cases").selectAll().where("account_id", "=", accountId);
      if (isRestrictedHidden) query = query.where("restricted", "=", 0);
      return query.orderBy("opened_at", "desc").orderBy("id", "desc").limit(limit).execute();
    },

    async countUndecidedByState(): Promise<Array<{ state: string; count: number }>> {
      const rows = await db.selectFrom("cases").select(["state", db.fn.countAll().as("count")]).where("state", "<>", "decided").groupBy("state").execute();
      return rows.map((r) => ({ state: r.state, count: Number(r.count) }));
    },
  };
}

export type CaseRepository = ReturnType<typeof createCaseRepository>;
