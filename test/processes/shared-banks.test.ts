// Two `lapwing serve` processes on one database: a hash added or removed, or a
// lexicon imported, through one takes effect in the other within seconds.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createApiKeyService } from "../../src/auth/index.js";
import { migrateToLatest, openStore } from "../../src/store/index.js";
import { createTestDatabase, dialects, dialectUnavailable } from "../../src/store/testing.js";
import { startServeProcess, waitFor } from "../support/cli.js";

const pdq = "5c3a".repeat(16);

for (const dialect of dialects) {
  describe(`two server processes sharing one ${dialect} database`, () => {
    it("see each other's bank and lexicon changes through the change feed", async (t) => {
      const unavailable = await dialectUnavailable(dialect);
      if (unavailable) return t.skip(unavailable);
      const database = await createTestDatabase(dialect);
      const store = await openStore(database.url);
      await migrateToLatest(store.db);
      const key = (await createApiKeyService(store.db).create("two-process-test", ["admin"])).secret;
      await store.close();

      const env = { LAPWING_CHANGE_POLL_MS: "200" };
      const [a, b] = await Promise.all([startServeProcess(database.url, env), startServeProcess(database.url, env)]);
      const call = (base: string, path: string, json?: unknown, method = "POST") =>
        fetch(base + path, {
          method,
          headers: { authorization: `Bearer ${key}`, ...(json ? { "content-type": "application/json" } : {}) },
          body: json ? JSON.stringify(json) : undefined,
        });
      const verdictAt = async (base: string) => (await (await call(base, "/v1/media/check", { pdq })).json()).verdict as string;
      try {
        assert.equal(await verdictAt(b.url), "allow");
        assert.equal((await call(a.url, "/v1/banks", { name: "shared" })).status, 201);
        assert.equal((await call(a.url, "/v1/banks/shared/entries", { entries: [{ signalType: "pdq", signal: pdq }] })).status, 201);
        assert.equal(await verdictAt(a.url), "block", "the writing process matches at once");
        await waitFor("process B to match the new hash", async () => ((await verdictAt(b.url)) === "block" ? true : undefined), { timeoutMs: 10_000 });

        const entries = await (await call(a.url, "/v1/banks/shared/entries", undefined, "GET")).json();
        assert.equal((await call(a.url, `/v1/banks/shared/entries/${entries.entries[0].id}`, undefined, "DELETE")).status, 200);
        await waitFor("process B to drop the removed hash", async () => ((await verdictAt(b.url)) === "allow" ? true : undefined), { timeoutMs: 10_000 });

        // A lexicon imported through A is hot-reloaded by B, with no restart.
        const searchAt = async (base: string) => (await (await call(base, "/v1/search/check", { query: "qu1lbery", surface: "search" })).json()).verdict as string;
        assert.equal(await searchAt(b.url), "allow");
        const put = await call(a.url, "/v1/lexicons/stand-in", { entries: [{ term: "quilbery", category: "coded-term", severity: "block" }] }, "PUT");
        assert.equal(put.status, 200);
        await waitFor("process B to load the new lexicon", async () => ((await searchAt(b.url)) === "block" ? true : undefined), { timeoutMs: 10_000 });
      } finally {
        await Promise.all([a.stop(), b.stop()]);
        await database.drop();
      }
    });
  });
}
