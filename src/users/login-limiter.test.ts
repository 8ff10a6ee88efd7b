import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sql, type Kysely } from "kysely";
import { openStore } from "../store/index.js";
import { dialects, withStore } from "../store/testing.js";
import { createLoginLimiter } from "./login-limiter.js";
import type { LoginFailureTables } from "./tables.js";

for (const dialect of dialects) {
  describe(`login limiter (${dialect})`, () => {
    it("refuses after maxFailures within the window, until the oldest failure ages out", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        let now = 1_000_000;
        const limiter = createLoginLimiter(store.db as Kysely<LoginFailureTables>, { scope: "user", maxFailures: 3, windowMs: 60_000, clock: () => now });
        for (let i = 0; i < 3; i++) {
          assert.equal(await limiter.retryAfterMs("ip\nalice"), 0);
          await limiter.failed("ip\nalice");
          now += 1000;
        }
        assert.equal(await limiter.retryAfterMs("ip\nalice"), 57_000, "the first failure (3 s ago) ages out in 57 s");
        assert.equal(await limiter.retryAfterMs("ip\nbob"), 0, "other keys are not affected");
        const other = createLoginLimiter(store.db as Kysely<LoginFailureTables>, { scope: "address", maxFailures: 1, windowMs: 60_000, clock: () => now });
        assert.equal(await other.retryAfterMs("ip\nalice"), 0, "another scope counts apart");
        now += 57_000;
        assert.equal(await limiter.retryAfterMs("ip\nalice"), 0);
      });
    });

    it("forgets a key on success, deletes aged-out failures and stores no key in the clear", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        let now = 5_000_000;
        const limiter = createLoginLimiter(store.db as Kysely<LoginFailureTables>, { scope: "user", maxFailures: 1, windowMs: 10_000, clock: () => now });
        await limiter.failed("198.51.100.7\nalice");
        assert.ok((await limiter.retryAfterMs("198.51.100.7\nalice")) > 0);
        await limiter.succeeded("198.51.100.7\nalice");
        assert.equal(await limiter.retryAfterMs("198.51.100.7\nalice"), 0);
        await limiter.failed("x");
        now += 10_000;
        await limiter.failed("y");
        const rows = await sql<{ key_hash: string }>`select key_hash from login_failures`.execute(store.db);
        assert.equal(rows.rows.length, 1, "x's failure aged out and was deleted when y's was recorded");
        assert.match(rows.rows[0]!.key_hash, /^[0-9a-f]{64}$/);
        assert.ok(!JSON.stringify(rows.rows).includes("198.51.100.7"));
      });
    });

    it("counts failures from every process: two stores on one database share the limit", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store, database) => {
        const second = await openStore(database.url);
        try {
          const a = createLoginLimiter(store.db as Kysely<LoginFailureTables>, { scope: "user", maxFailures: 4 });
          const b = createLoginLimiter(second.db as Kysely<LoginFailureTables>, { scope: "user", maxFailures: 4 });
          await a.failed("k");
          await b.failed("k");
          await a.failed("k");
          assert.equal(await b.retryAfterMs("k"), 0, "three of four");
          await b.failed("k");
          assert.ok((await a.retryAfterMs("k")) > 0, "the fourth, recorded by the other process, counts here");
          assert.ok((await b.retryAfterMs("k")) > 0);
        } finally {
          await second.close();
        }
      });
    });
  });
}
