import type { Kysely, Transaction } from "kysely";
import type { EvidenceTables } from "./tables.js";

export type ItemRow = EvidenceTables["evidence_items"];
export type HoldRow = EvidenceTables["evidence_holds"];
export type RequestRow = EvidenceTables["evidence_requests"];
export type RetentionRow = EvidenceTables["evidence_cases"];
type Db = Kysely<EvidenceTables>;

/** The vault's rows. Bytes never pass through here: they are in the storage backend. */
export function createEvidenceRepository(db: Db) {
  return {
    db,
    transaction<T>(fn: (trx: Transaction<EvidenceTables>) => Promise<T>): Promise<T> {
      return db.transaction().execute(fn);
    },

    /** Inserts the item unless the case already holds the same bytes of that kind; returns whether it was new. */
    async insertItem(trx: Db, row: ItemRow): Promise<boolean> {
      const inserted = await trx
        .insertInto("evidence_items")
        .values(row)
        .onConflict((oc) => oc.columns(["case_id", "kind", "sha256"]).doNothing())
        .returning("id")
        .execute();
      return inserted.length > 0;
    },
    async findItem(id: string, trx: Db = db): Promise<ItemRow | undefined> {
      return trx.selectFrom("evidence_items").selectAll().where("id", "=", id).executeTakeFirst();
    },
    async findBySha(caseId: string, kind: string, sha256: string, trx: Db = db): Promise<ItemRow | undefined> {
      return trx.selectFrom("evidence_items").selectAll().where("case_id", "=", caseId).where("kind", "=", kind).where("sha256", "=", sha256).executeTakeFirst();
    },
    /** A content item of the case already fetched from this URL (a second capture does not fetch it again). */
    async findByUrl(caseId: string, sourceUrl: string, trx: Db = db): Promise<ItemRow | undefined> {
      return trx.selectFrom("evidence_items").selectAll().where("case_id", "=", caseId).where("kind", "=", "content").where("source_url", "=", sourceUrl).executeTakeFirst();
    },
    async itemsOfCase(caseId: string, trx: Db = db): Promise<ItemRow[]> {
      return trx.selectFrom("evidence_items").selectAll().where("case_id", "=", caseId).orderBy("captured_at").orderBy("id").execute();
    },
    async casesWithEvidence(filter: { accountId?: string; limit: number; offset: number }): Promise<Array<{ case_id: string; items: number | string; first: string; last: string }>> {
      let query = db
        .selectFrom("evidence_items")
        .select((eb) => ["case_id", eb.fn.countAll().as("items"), eb.fn.min("captured_at").as("first"), eb.fn.max("captured_at").as("last")])
        .groupBy("case_id");
      if (filter.accountId) query = query.where("account_id", "=", filter.accountId);
      return query.orderBy("case_id", "desc").limit(filter.limit).offset(filter.offset).execute() as never;
    },
    async itemsPage(afterId: string, limit: number): Promise<ItemRow[]> {
      return db.selectFrom("evidence_items").selectAll().where("id", ">", afterId).orderBy("id").limit(limit).execute();
    },
    async countNotUnderKey(keyId: string): Promise<number> {
      const row = await db.selectFrom("evidence_items").select((eb) => eb.fn.countAll().as("n")).where("key_id", "<>", keyId).executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    async rewrap(id: string, fromKeyId: string, change: { key_id: string; wrapped_key: string }): Promise<boolean> {
      // Only if still under the old key: two rotations running at once do not undo each other.
      const result = await db.updateTable("evidence_items").set(change).where("id", "=", id).where("key_id", "=", fromKeyId).executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async deleteItems(trx: Db, ids: readonly string[]): Promise<void> {
      if (ids.length > 0) await trx.deleteFrom("evidence_items").where("id", "in", [...ids]).execute();
    },

    async retention(caseId: string, trx: Db = db): Promise<RetentionRow | undefined> {
      return trx.selectFrom("evidence_cases").selectAll().where("case_id", "=", caseId).executeTakeFirst();
    },
    async retentionOf(caseIds: readonly string[], trx: Db = db): Promise<Map<string, RetentionRow>> {
      if (caseIds.length === 0) return new Map();
      const rows = await trx.selectFrom("evidence_cases").selectAll().where("case_id", "in", [...caseIds]).execute();
      return new Map(rows.map((r) => [r.case_id, r]));
    },
    async setRetention(trx: Db, row: RetentionRow): Promise<void> {
      await trx
        .insertInto("evidence_cases")
        .values(row)
        .onConflict((oc) => oc.column("case_id").doUpdateSet({ reported_at: row.reported_at, jurisdiction: row.jurisdiction, retain_until: row.retain_until, updated_at: row.updated_at }))
        .execute();
    },
    /** Cases whose retention ended at or before `now`. */
    async expiredCases(now: string): Promise<string[]> {
      const rows = await db.selectFrom("evidence_cases").select("case_id").where("retain_until", "is not", null).where("retain_until", "<=", now).execute();
      return rows.map((r) => r.case_id);
    },

    async insertHold(trx: Db, row: HoldRow): Promise<void> {
      await trx.insertInto("evidence_holds").values(row).execute();
    },
    async findHold(id: string, trx: Db = db): Promise<HoldRow | undefined> {
      return trx.selectFrom("evidence_holds").selectAll().where("id", "=", id).executeTakeFirst();
    },
    async setHold(trx: Db, id: string, change: Partial<HoldRow>): Promise<void> {
      await trx.updateTable("evidence_holds").set(change).where("id", "=", id).execute();
    },
    async holdsOfCase(caseId: string, trx: Db = db): Promise<HoldRow[]> {
      return trx.selectFrom("evidence_holds").selectAll().where("case_id", "=", caseId).orderBy("set_at").orderBy("id").execute();
    },
    /** Cases (of `caseIds`) with a hold in force at `now`. */
    async heldAmong(caseIds: readonly string[], now: string, trx: Db = db): Promise<Set<string>> {
      if (caseIds.length === 0) return new Set();
      const rows = await trx
        .selectFrom("evidence_holds")
        .select("case_id")
        .where("case_id", "in", [...caseIds])
        .where("released_at", "is", null)
        .where((eb) => eb.or([eb("until", "is", null), eb("until", ">", now)]))
        .execute();
      return new Set(rows.map((r) => r.case_id));
    },

    async insertRequest(trx: Db, row: RequestRow): Promise<boolean> {
      const inserted = await trx
        .insertInto("evidence_requests")
        .values(row)
        .onConflict((oc) => oc.columns(["case_id", "target_type", "target_id"]).doNothing())
        .returning("id")
        .execute();
      return inserted.length > 0;
    },
    async findRequest(id: string, trx: Db = db): Promise<RequestRow | undefined> {
      return trx.selectFrom("evidence_requests").selectAll().where("id", "=", id).executeTakeFirst();
    },
    async setRequest(trx: Db, id: string, change: Partial<RequestRow>): Promise<void> {
      await trx.updateTable("evidence_requests").set(change).where("id", "=", id).execute();
    },
    async requestsOfCase(caseId: string, trx: Db = db): Promise<RequestRow[]> {
      return trx.selectFrom("evidence_requests").selectAll().where("case_id", "=", caseId).orderBy("requested_at").orderBy("id").execute();
    },
  };
}

export type EvidenceRepository = ReturnType<typeof createEvidenceRepository>;
