import type { Kysely, Transaction } from "kysely";
import { allocateSeq, currentSeq } from "../store/index.js";
import type { LexiconTables } from "./tables.js";

export type LexiconRow = LexiconTables["lexicons"];

/** All SQL for stored lexicons. */
export function createLexiconRepository(db: Kysely<LexiconTables>) {
  return {
    transaction<T>(fn: (trx: Transaction<LexiconTables>) => Promise<T>): Promise<T> {
      return db.transaction().execute(fn);
    },

    async findLive(name: string, trx: Kysely<LexiconTables> | Transaction<LexiconTables> = db): Promise<LexiconRow | undefined> {
      return trx.selectFrom("lexicons").selectAll().where("name", "=", name).where("deleted_at", "is", null).executeTakeFirst();
    },

    async listLive(): Promise<LexiconRow[]> {
      return db.selectFrom("lexicons").selectAll().where("deleted_at", "is", null).orderBy("name").execute();
    },

    async insert(trx: Transaction<LexiconTables>, row: Omit<LexiconRow, "updated_seq" | "deleted_at">): Promise<void> {
      const seq = await allocateSeq(trx as Transaction<unknown>);
      await trx.insertInto("lexicons").values({ ...row, updated_seq: seq, deleted_at: null }).execute();
    },

    async replace(trx: Transaction<LexiconTables>, id: string, changes: Pick<LexiconRow, "surfaces" | "content" | "entry_count" | "updated_at">): Promise<void> {
      const seq = await allocateSeq(trx as Transaction<unknown>);
      await trx.updateTable("lexicons").set({ ...changes, updated_seq: seq }).where("id", "=", id).execute();
    },

    async softDelete(trx: Transaction<LexiconTables>, id: string, at: string): Promise<void> {
      const seq = await allocateSeq(trx as Transaction<unknown>);
      await trx.updateTable("lexicons").set({ deleted_at: at, updated_at: at, updated_seq: seq }).where("id", "=", id).execute();
    },

    /** Lexicons changed after `cursor` (deleted ones included), up to what is committed. */
    async changesSince(cursor: number): Promise<{ nextCursor: number; rows: LexiconRow[] }> {
      const upto = await currentSeq(db as Kysely<unknown>);
      if (upto <= cursor) return { nextCursor: cursor, rows: [] };
      const rows = await db.selectFrom("lexicons").selectAll().where("updated_seq", ">", cursor).where("updated_seq", "<=", upto).orderBy("updated_seq").execute();
      return { nextCursor: upto, rows };
    },
  };
}

export type LexiconRepository = ReturnType<typeof createLexiconRepository>;
