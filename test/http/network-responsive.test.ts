// Scoring runs in a thread of its own: while a generated 100,000-account graph
// is read, folded and scored, the serving thread keeps answering health checks
// and recommender-guard requests. Counts, not timings: the assertion is that
// they were answered (many times) while the scoring request was still open.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Kysely } from "kysely";
import { createNetworkRepository, type NetworkTables } from "../../src/network/index.js";
import { migrateToLatest, openStore } from "../../src/store/index.js";
import { createTestDatabase, dialects, dialectUnavailable } from "../../src/store/testing.js";
import { startTestServer } from "../support/server.js";

const accounts = 100_000;
const followsEach = 4;

/** Writes the graph straight into the edge store (the ingest path itself is tested elsewhere). */
async function fillGraph(url: string): Promise<void> {
  const store = await openStore(url);
  try {
    await migrateToLatest(store.db);
    const repo = createNetworkRepository(store.db as Kysely<NetworkTables>, store.native);
    const rows: { event_id: string; kind: string; src: string; dst: string; occurred_at: string }[] = [];
    const flush = async () => {
      await repo.transaction((trx) => repo.insertEdges(trx, rows));
      rows.length = 0;
    };
    for (let a = 0; a < accounts; a++) {
      for (let k = 0; k < followsEach; k++) {
        const b = k === 0 ? (a + 1) % accounts : (a * (7 + 6 * k) + k * 101) % accounts;
        if (b !== a) rows.push({ event_id: `g-${a}-${k}`, kind: "follow", src: `a${a}`, dst: `a${b}`, occurred_at: "2026-02-01T10:00:00.000Z" });
      }
      if (rows.length >= 20_000) await flush();
    }
    await flush();
  } finally {
    await store.close();
  }
}

for (const dialect of dialects) {
  describe(`network scoring keeps the server answering (${dialect})`, () => {
    it("answers /healthz and the recommender guard while a 100k-account graph is scored", async (t) => {
      const unavailable = await dialectUnavailable(dialect);
      if (unavailable) return t.skip(unavailable);
      const database = await createTestDatabase(dialect);
      try {
        await fillGraph(database.url);
        const server = await startTestServer(dialect, { networkRefreshSeconds: 3600 }, database);
        assert.ok(typeof server !== "string", String(server));
        try {
          const seed = (accounts: string[]) => server.request("/v1/network/seeds", { method: "POST", json: { accounts, reason: "test" } });
          assert.equal((await seed(["a0", "a1"])).status, 200);
          // The first scoring, so the guard has a snapshot to answer from.
          assert.equal((await server.request("/v1/network/candidates?limit=5")).status, 200);

          // A new seed changes what scoring reads: the next read scores everything again.
          assert.equal((await seed(["a500"])).status, 200);
          let open = true;
          const scoring = server.request("/v1/network/candidates?limit=5").then(async (res) => {
            open = false;
            return { status: res.status, body: (await res.json()) as { seeds: number } };
          });
          let health = 0;
          let guarded = 0;
          while (open) {
            const [h, g]: Response[] = await Promise.all([
              server.request("/healthz", { key: null }),
              server.request("/v1/recommendations/filter", { method: "POST", key: server.checkKey, json: { viewer: "a7", surface: "accounts", candidates: ["a0", "a2", "a3"] } }),
            ]);
            assert.equal(h.status, 200);
            assert.equal(g.status, 200);
            const body = (await g.json()) as { removed: { id: string }[] };
            assert.ok(body.removed.some((r) => r.id === "a0"), "the seed is kept out of suggestions");
            if (open) {
              health += 1;
              guarded += 1;
            }
          }
          const result = await scoring;
          assert.equal(result.status, 200);
          assert.equal(result.body.seeds, 3, "the scoring that ran meanwhile saw the new seed");
          assert.ok(health >= 10 && guarded >= 10, `health checks (${health}) and guard requests (${guarded}) answered while the graph was scored`);
        } finally {
          await server.close();
        }
      } finally {
        await database.drop();
      }
    });
  });
}
