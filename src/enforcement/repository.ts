import { sql, type Kysely, type Transaction } from "kysely";
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

    /**
     * Records each account's age band unless a newer one (by the platform's
     * event time) is stored: one statement for many accounts, each named once.
     * Accounts are written in id order, so two workers' batches lock them in one order.
     */
    async saveAgeBands(trx: Db, rows: ReadonlyArray<EnforcementTables["accounts"]>): Promise<void> {
      const sorted = [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      for (let start = 0; start < sorted.length; start += 1000) {
        await trx
          .insertInto("accounts")
          .values(sorted.slice(start, start + 1000))
          .onConflict((oc) =>
            oc
              .column("id")
              .doUpdateSet((eb) => ({ age_band: eb.ref("excluded.age_band"), age_source: eb.ref("excluded.age_source"), updated_at: eb.ref("excluded.updated_at") }))
              .where(sql<boolean>`accounts.updated_at <= excluded.updated_at`),
          )
          .execute();
      }
    },

    async findAccount(trx: Db, accountId: string): Promise<EnforcementTables["accounts"] | undefined> {
      return trx.selectFrom("accounts").selectAll().where("id", "=", accountId).executeTakeFirst();
    },

    async findAccounts(trx: Db, accountIds: readonly string[]): Promise<Array<EnforcementTables["accounts"]>> {
      const rows: Array<EnforcementTables["accounts"]> = [];
      for (let start = 0; start < accountIds.length; start += 1000) {
        rows.push(...(await trx.selectFrom("accounts").selectAll().where("id", "in", accountIds.slice(start, start + 1000)).execute()));
      }
      return rows;
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

    /** Inserts the decisions whose event has none yet; returns the ids of those inserted (the others are repeated deliveries). */
    async insertDecisions(trx: Db, rows: readonly DecisionRow[]): Promise<Set<string>> {
      const inserted = new Set<string>();
      // 11 columns a row: 1,000 rows stay under SQLite's 32766 bound parameters.
      for (let start = 0; start < rows.length; start += 1000) {
        const written = await trx
          .insertInto("decisions")
          .values(rows.slice(start, start + 1000))
          .onConflict((oc) => oc.column("event_id").doNothing())
          .returning("id")
          .execute();
        for (const row of written) inserted.add(row.id);
      }
      return inserted;
    },

    /** Sets each decision's case, one statement per 1,000 decisions. */
    async setDecisionCases(trx: Db, pairs: ReadonlyArray<{ decisionId: string; caseId: string }>): Promise<void> {
      for (let start = 0; start < pairs.length; start += 1000) {
        const values = pairs.slice(start, start + 1000).map((p) => sql`(${p.decisionId}, ${p.caseId})`);
        // VALUES columns are named column1… by both SQLite (3.33+ for UPDATE … FROM) and PostgreSQL.
        await sql`update decisions set case_id = v.column2 from (values ${sql.join(values)}) as v where decisions.id = v.column1`.execute(trx);
      }
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
