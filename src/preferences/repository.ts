import type { Kysely } from "kysely";
import type { PreferenceTables } from "./tables.js";

export type PreferenceRow = PreferenceTables["console_preferences"];

export function createPreferenceRepository(db: Kysely<PreferenceTables>) {
  return {
    async find(userId: string): Promise<PreferenceRow | undefined> {
      return db.selectFrom("console_preferences").selectAll().where("user_id", "=", userId).executeTakeFirst();
    },
    async save(row: PreferenceRow): Promise<void> {
      await db
        .insertInto("console_preferences")
        .values(row)
        .onConflict((oc) => oc.column("user_id").doUpdateSet({ blur_media: row.blur_media, greyscale_media: row.greyscale_media, updated_at: row.updated_at }))
        .execute();
    },
  };
}

export type PreferenceRepository = ReturnType<typeof createPreferenceRepository>;
