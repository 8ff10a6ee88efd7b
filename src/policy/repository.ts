import type { Kysely, Transaction } from "kysely";
import { allocateSeq } from "../store/index.js";
import type { PolicyTables } from "./tables.js";

export type PolicySetRow = PolicyTables["policy_sets"];
type Db = Kysely<PolicyTables> | Transaction<PolicyTables>;

/** All SQL for stored policy sets. Rows are inserted and (only) their `active` flag moved; content never changes. */
export function createPolicyRepository(db: Kysely<PolicyTables>) {
  return {
    transaction<T>(fn: (trx: Transaction<PolicyTables>) => Promise<T>): Promise<T> {
      return db.transaction().execute(fn);
    },

    /**
     * Takes the global counter's row lock, so concurrent writers (other
     * processes on PostgreSQL) number their versions one after another.
     */
    async lockWriters(trx: Transaction<PolicyTables>): Promise<void> {
      await allocateSeq(trx as Transaction<unknown>);
    },

    async findActive(trx: Db = db): Promise<PolicySetRow | undefined> {
      return trx.selectFrom("policy_sets").selectAll().where("active", "=", 1).executeTakeFirst();
    },

    /** The active version without its content (the service keeps parsed contents by id). */
    async findActiveHead(): Promise<Omit<PolicySetRow, "content"> | undefined> {
      return db.selectFrom("policy_sets").select(["id", "version", "created_at", "created_by", "active"]).where("active", "=", 1).executeTakeFirst();
    },

    async contentOf(id: string): Promise<string | undefined> {
      return (await db.selectFrom("policy_sets").select("content").where("id", "=", id).executeTakeFirst())?.content;
    },

    async findVersion(version: number, trx: Db = db): Promise<PolicySetRow | undefined> {
      return trx.selectFrom("policy_sets").selectAll().where("version", "=", version).executeTakeFirst();
    },

    async latestVersion(trx: Db): Promise<number> {
      const row = await trx.selectFrom("policy_sets").select((eb) => eb.fn.max("version").as("latest")).executeTakeFirst();
      return Number(row?.latest ?? 0);
    },

    /** Every version, newest first. */
    async listVersions(): Promise<PolicySetRow[]> {
      return db.selectFrom("policy_sets").selectAll().orderBy("version", "desc").execute();
    },

    async insertActive(trx: Transaction<PolicyTables>, row: Omit<PolicySetRow, "active">): Promise<void> {
      await trx.updateTable("policy_sets").set({ active: 0 }).where("active", "=", 1).execute();
      await trx.insertInto("policy_sets").values({ ...row, active: 1 }).execute();
    },

    async activate(trx: Transaction<PolicyTables>, version: number): Promise<void> {
      await trx.updateTable("policy_sets").set({ active: 0 }).where("active", "=", 1).execute();
      await trx.updateTable("policy_sets").set({ active: 1 }).where("version", "=", version).execute();
    },
  };
}

export type PolicyRepository = ReturnType<typeof createPolicyRepository>;
