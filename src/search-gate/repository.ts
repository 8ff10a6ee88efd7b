import { sql, type Kysely } from "kysely";
import type { SearchGateTables } from "./tables.js";

export interface BlockCountRow {
  hour: string;
  surface: string;
  blocked: number;
  suggestionsRemoved: number;
}

/** All SQL for the blocked-search counts. */
export function createSearchCountRepository(db: Kysely<SearchGateTables>) {
  return {
    /** Adds the counts to their hour's rows, creating them as needed (one statement per row, in one transaction). */
    async add(rows: readonly BlockCountRow[]): Promise<void> {
      if (rows.length === 0) return;
      await db.transaction().execute(async (trx) => {
        for (const row of rows) {
          await trx
            .insertInto("search_block_counts")
            .values({ hour: row.hour, surface: row.surface, blocked: row.blocked, suggestions_removed: row.suggestionsRemoved })
            .onConflict((oc) =>
              oc.columns(["hour", "surface"]).doUpdateSet({
                blocked: sql`search_block_counts.blocked + ${row.blocked}`,
                suggestions_removed: sql`search_block_counts.suggestions_removed + ${row.suggestionsRemoved}`,
              }),
            )
            .execute();
        }
      });
    },

    /** The counts of the hours in [from, to). */
    async between(from: string, to: string): Promise<BlockCountRow[]> {
      const rows = await db.selectFrom("search_block_counts").selectAll().where("hour", ">=", from).where("hour", "<", to).orderBy("hour").orderBy("surface").execute();
      return rows.map((r) => ({ hour: r.hour, surface: r.surface, blocked: Number(r.blocked), suggestionsRemoved: Number(r.suggestions_removed) }));
    },
  };
}

export type SearchCountRepository = ReturnType<typeof createSearchCountRepository>;
