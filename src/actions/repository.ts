import type { Kysely, Transaction } from "kysely";
import { allocateSeq } from "../store/index.js";
import type { ActionTables } from "./tables.js";

export type ActionRow = ActionTables["actions"];
type Db = Kysely<ActionTables> | Transaction<ActionTables>;

/** All SQL for actions. Rows are inserted once; only `delivered_at` is ever set afterwards. */
export function createActionRepository(db: Kysely<ActionTables>) {
  return {
    db,

    /**
     * Inserts actions whose idempotency key is new, numbering them from the
     * global counter inside `trx` (so they commit in feed order); returns the
     * rows inserted. Keys already present are skipped, whoever wrote them.
     */
    async insertNew(trx: Db, rows: Array<Omit<ActionRow, "seq">>): Promise<ActionRow[]> {
      if (rows.length === 0) return [];
      const existing = new Set(
        (
          await trx
            .selectFrom("actions")
            .select("idempotency_key")
            .where(
              "idempotency_key",
              "in",
              rows.map((r) => r.idempotency_key),
            )
            .execute()
        ).map((r) => r.idempotency_key),
      );
      // New keys only, and each once (the first request for a key in this batch wins).
      const fresh: typeof rows = [];
      for (const row of rows) {
        if (existing.has(row.idempotency_key)) continue;
        existing.add(row.idempotency_key);
        fresh.push(row);
      }
      if (fresh.length === 0) return [];
      const first = await allocateSeq(trx as Transaction<unknown>, fresh.length);
      const numbered = fresh.map((row, i) => ({ ...row, seq: first + i }));
      // The select above saw committed keys; a racing writer's uncommitted one
      // waits on the counter lock we now hold, so the conflict clause is a backstop.
      const inserted = await trx
        .insertInto("actions")
        .values(numbered)
        .onConflict((oc) => oc.column("idempotency_key").doNothing())
        .returningAll()
        .execute();
      return inserted;
    },

    async find(id: string, trx: Db = db): Promise<ActionRow | undefined> {
      return trx.selectFrom("actions").selectAll().where("id", "=", id).executeTakeFirst();
    },

    async listAfter(after: number, limit: number, filter: { accountId?: string; caseId?: string } = {}): Promise<ActionRow[]> {
      let query = db.selectFrom("actions").selectAll().where("seq", ">", after);
      if (filter.accountId) query = query.where("account_id", "=", filter.accountId);
      if (filter.caseId) query = query.where("case_id", "=", filter.caseId);
      return query.orderBy("seq").limit(limit).execute();
    },

    async forCase(trx: Db, caseId: string): Promise<ActionRow[]> {
      return trx.selectFrom("actions").selectAll().where("case_id", "=", caseId).orderBy("seq").execute();
    },

    async markDelivered(id: string, at: string): Promise<void> {
      await db.updateTable("actions").set({ delivered_at: at }).where("id", "=", id).where("delivered_at", "is", null).execute();
    },
  };
}

export type ActionRepository = ReturnType<typeof createActionRepository>;
