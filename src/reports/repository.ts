import type { Kysely, Transaction } from "kysely";
import { splitScopedKey } from "../events/index.js";
import { newId } from "../store/index.js";
import type { ReportTables } from "./tables.js";

export type ReportRow = ReportTables["reports"];
export type ReportFileRow = ReportTables["report_files"];
export type ReportHistoryRow = ReportTables["report_history"];
type Db = Kysely<ReportTables> | Transaction<ReportTables>;

/** All SQL for reports, their files and their history. */
export function createReportRepository(db: Kysely<ReportTables>) {
  return {
    db,
    transaction<T>(fn: (trx: Transaction<ReportTables>) => Promise<T>): Promise<T> {
      return db.transaction().execute(fn);
    },

    /** Inserts the report unless the case has one; returns whether it was inserted. */
    async insertIfNone(trx: Db, row: ReportRow): Promise<boolean> {
      const inserted = await trx.insertInto("reports").values(row).onConflict((oc) => oc.column("case_id").doNothing()).returning("id").execute();
      return inserted.length > 0;
    },

    async find(id: string, trx: Db = db): Promise<ReportRow | undefined> {
      return trx.selectFrom("reports").selectAll().where("id", "=", id).executeTakeFirst();
    },

    async forCase(caseId: string): Promise<ReportRow | undefined> {
      return db.selectFrom("reports").selectAll().where("case_id", "=", caseId).executeTakeFirst();
    },

    async list(filter: { states?: readonly string[]; limit: number; offset: number }): Promise<ReportRow[]> {
      let query = db.selectFrom("reports").selectAll();
      if (filter.states && filter.states.length > 0) query = query.where("state", "in", [...filter.states]);
      return query.orderBy("created_at", "desc").orderBy("id", "desc").limit(filter.limit).offset(filter.offset).execute();
    },

    async set(trx: Db, id: string, change: Partial<ReportRow>): Promise<void> {
      await trx.updateTable("reports").set(change).where("id", "=", id).execute();
    },

    async files(reportId: string, trx: Db = db): Promise<ReportFileRow[]> {
      return trx.selectFrom("report_files").selectAll().where("report_id", "=", reportId).orderBy("position").execute();
    },

    async replaceFiles(trx: Db, reportId: string, rows: ReportFileRow[]): Promise<void> {
      await trx.deleteFrom("report_files").where("report_id", "=", reportId).execute();
      if (rows.length > 0) await trx.insertInto("report_files").values(rows).execute();
    },

    async setFile(trx: Db, reportId: string, position: number, change: Partial<ReportFileRow>): Promise<void> {
      await trx.updateTable("report_files").set(change).where("report_id", "=", reportId).where("position", "=", position).execute();
    },

    async resetFiles(trx: Db, reportId: string): Promise<void> {
      await trx.updateTable("report_files").set({ state: "pending", ncmec_file_id: null, details_xml: null }).where("report_id", "=", reportId).execute();
    },

    async addHistory(trx: Db, reportId: string, at: string, actor: string, kind: string, details: Record<string, unknown>): Promise<void> {
      await trx.insertInto("report_history").values({ id: newId(Date.parse(at)), report_id: reportId, at, actor, kind, details: JSON.stringify(details) }).execute();
    },

    async history(reportId: string): Promise<ReportHistoryRow[]> {
      return db.selectFrom("report_history").selectAll().where("report_id", "=", reportId).orderBy("at").orderBy("id").execute();
    },

    /** The newest history entry of these kinds for a report (the last submit sent, or its loss, say). */
    async latestHistory(reportId: string, kinds: readonly string[], trx: Db = db): Promise<ReportHistoryRow | undefined> {
      return trx.selectFrom("report_history").selectAll().where("report_id", "=", reportId).where("kind", "in", [...kinds]).orderBy("at", "desc").orderBy("id", "desc").executeTakeFirst();
    },

    /** History entries of one kind for many reports at once, oldest first (a list's notices in one query). */
    async historyOfKind(reportIds: readonly string[], kind: string, trx: Db = db): Promise<ReportHistoryRow[]> {
      if (reportIds.length === 0) return [];
      return trx.selectFrom("report_history").selectAll().where("report_id", "in", [...reportIds]).where("kind", "=", kind).orderBy("at").orderBy("id").execute();
    },

    /** When the case's content happened: the events its automated decisions were about. */
    async caseEventTimes(trx: Db, caseId: string): Promise<string[]> {
      // Decisions name their event by its scoped key (src/events/tenancy.ts), which no column of `events` holds.
      const decisions = await trx.selectFrom("decisions").select("event_id").where("case_id", "=", caseId).execute();
      if (decisions.length === 0) return [];
      const pairs = decisions.map((d) => splitScopedKey(d.event_id));
      const rows = await trx
        .selectFrom("events")
        .select("occurred_at as at")
        .where((eb) => eb(eb.refTuple("platform_id", "id"), "in", pairs.map((p) => eb.tuple(p.platformId, p.id))))
        .execute();
      return rows.map((r) => r.at);
    },

    async ageBand(trx: Db, accountId: string): Promise<{ band: string; source: string | null } | undefined> {
      const row = await trx.selectFrom("accounts").select(["age_band", "age_source"]).where("id", "=", accountId).executeTakeFirst();
      return row?.age_band ? { band: row.age_band, source: row.age_source } : undefined;
    },
  };
}

export type ReportRepository = ReturnType<typeof createReportRepository>;
