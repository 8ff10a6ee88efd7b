import type { Kysely, Transaction } from "kysely";
import { scopedKey, splitScopedKey } from "../events/index.js";
import type { EnforcementTables } from "./tables.js";

export type DecisionRow = EnforcementTables["decisions"];
type Db = Kysely<EnforcementTables> | Transaction<EnforcementTables>;

/** All SQL for accounts' age bands and automated decisions. */
export function createEnforcementRepository(db: Kysely<EnforcementTables>) {
  return {
    transaction<T>(fn: (trx: Transaction<EnforcementTables>) => Promise<T>): Promise<T> {
      return db.transaction().execute(fn);
    },

    /** Records an age band unless a newer one (by the platform's event time) is stored. */
    async saveAgeBand(trx: Db, accountId: string, band: string, source: string, occurredAt: string): Promise<void> {
      await trx
        .insertInto("accounts")
        .values({ id: accountId, age_band: band, age_source: source, updated_at: occurredAt })
        .onConflict((oc) =>
          oc
            .column("id")
            .doUpdateSet({ age_band: band, age_source: source, updated_at: occurredAt })
            .where("accounts.updated_at", "<=", occurredAt),
        )
        .execute();
    },

    async findAccount(trx: Db, accountId: string): Promise<EnforcementTables["accounts"] | undefined> {
      return trx.selectFrom("accounts").selectAll().where("id", "=", accountId).executeTakeFirst();
    },

    /**
     * Who authored a post or comment (by scoped key, src/events/tenancy.ts), from the first event of
     * its platform that named them; the author's scoped key.
     */
    async authorOf(trx: Db, contentKey: string): Promise<string | undefined> {
      const { platformId, id } = splitScopedKey(contentKey);
      const row = await trx
        .selectFrom("events")
        .select("actor_id")
        .where("platform_id", "=", platformId)
        .where("subject_id", "=", id)
        .where("type", "in", ["post.created", "post.updated", "comment.created"])
        .where("actor_id", "is not", null)
        .orderBy("occurred_at")
        .limit(1)
        .executeTakeFirst();
      return row?.actor_id ? scopedKey(platformId, row.actor_id) : undefined;
    },

    /** Returns false when the event already has a decision (a repeated delivery). */
    async insertDecision(trx: Db, row: DecisionRow): Promise<boolean> {
      const inserted = await trx
        .insertInto("decisions")
        .values(row)
        .onConflict((oc) => oc.column("event_id").doNothing())
        .returning("id")
        .execute();
      return inserted.length > 0;
    },

    async setDecisionCase(trx: Db, decisionId: string, caseId: string): Promise<void> {
      await trx.updateTable("decisions").set({ case_id: caseId }).where("id", "=", decisionId).execute();
    },

    /** The account's decisions since `after` (exclusive; all when undefined), oldest first. */
    async decisionsSince(trx: Db, accountId: string, after: string | undefined): Promise<DecisionRow[]> {
      let query = trx.selectFrom("decisions").selectAll().where("account_id", "=", accountId);
      if (after !== undefined) query = query.where("created_at", ">", after);
      return query.orderBy("created_at").orderBy("id").execute();
    },

    async forCase(caseId: string): Promise<DecisionRow[]> {
      return db.selectFrom("decisions").selectAll().where("case_id", "=", caseId).orderBy("created_at").orderBy("id").execute();
    },

    /** The decisions about events whose subject (post, comment, account or report target) is `subjectId`. */
    async aboutSubject(subjectId: string): Promise<DecisionRow[]> {
      // Decisions name their event by its scoped key, which no column of `events` holds: two indexed lookups.
      const events = await db.selectFrom("events").select(["platform_id", "id"]).where("subject_id", "=", subjectId).execute();
      if (events.length === 0) return [];
      return db
        .selectFrom("decisions")
        .selectAll()
        .where("event_id", "in", events.map((e) => scopedKey(e.platform_id, e.id)))
        .execute();
    },

    async findByEvent(eventId: string): Promise<DecisionRow | undefined> {
      return db.selectFrom("decisions").selectAll().where("event_id", "=", eventId).executeTakeFirst();
    },
  };
}

export type EnforcementRepository = ReturnType<typeof createEnforcementRepository>;
