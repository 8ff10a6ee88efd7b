import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sql } from "kysely";
import { createTestDatabase, dialectUnavailable, dialects } from "../store/testing.js";
import { migrateToLatest, openStore } from "../store/index.js";
import { freshDemoDatabase, markDemoDatabase } from "./fresh-database.js";

for (const dialect of dialects) {
  describe(`freshDemoDatabase (${dialect})`, () => {
    it("empties an earlier demo's database, accepts an empty one, and refuses one holding other data", async (t) => {
      const unavailable = await dialectUnavailable(dialect);
      if (unavailable) return t.skip(unavailable);
      const database = await createTestDatabase(dialect);
      try {
        await freshDemoDatabase(database.url);
        let store = await openStore(database.url);
        await migrateToLatest(store.db);
        await store.close();
        await assert.rejects(freshDemoDatabase(database.url), (error: Error & { code?: string }) => error.code === "CONFIG_INVALID" && /not an earlier demo's/.test(error.message));
        store = await openStore(database.url);
        const users = await sql<{ n: number | string }>`select count(*) as n from counters`.execute(store.db);
        assert.ok(Number(users.rows[0]!.n) > 0, "the refused database is untouched");
        await markDemoDatabase(store.db);
        await store.close();

        await freshDemoDatabase(database.url);
        store = await openStore(database.url);
        try {
          const migrated = await migrateToLatest(store.db);
          assert.ok(migrated.includes("0012-console"), "every migration runs again: the database was emptied");
        } finally {
          await store.close();
        }
      } finally {
        await database.drop();
      }
    });
  });
}
