// Network detection and the recommender guard over real sockets, on both
// backends: graph events in through POST /v1/events, seeds named over HTTP,
// candidates, one account, clusters and targets read back, and the guard's
// answers (and refusals of bad input).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { dialects } from "../../src/store/testing.js";
import { startTestServer, type TestServer } from "../support/server.js";

const at = "2026-02-01T10:00:00Z";
const ring = ["s1", "s2", "s3", "s4"];
const fans = Array.from({ length: 120 }, (_, i) => `u${i}`);

function platformEvents(): Record<string, unknown>[] {
  let n = 0;
  const e = (x: Record<string, unknown>) => ({ id: `n-${++n}`, occurred_at: at, ...x });
  const follow = (a: string, b: string) => e({ type: "follow", follower_id: a, followee_id: b });
  const out: Record<string, unknown>[] = [];
  for (const id of [...ring, "buyer", "celeb", ...fans]) out.push(e({ type: "account.created", account: { id, handle: `h_${id}` } }));
  out.push(e({ type: "account.created", account: { id: "kid", handle: "kid", age_band: { value: "13_15", source: "declared" } } }));
  for (const a of ring) for (const b of ring) if (a !== b) out.push(follow(a, b));
  for (const a of ring.slice(0, 3)) out.push(follow(a, "kid"));
  out.push(follow("buyer", "s2"));
  for (const f of fans) {
    out.push(follow(f, "celeb"));
    out.push(follow(f, fans[(fans.indexOf(f) + 1) % fans.length]!));
  }
  for (const a of ring) out.push(follow(a, "celeb"));
  return out;
}

for (const dialect of dialects) {
  describe(`network and recommendations over HTTP (${dialect})`, () => {
    let server: TestServer | undefined;
    let skip = "";
    before(async () => {
      const started = await startTestServer(dialect);
      if (typeof started === "string") return void (skip = started);
      server = started;
      const events = platformEvents();
      for (let i = 0; i < events.length; i += 200) {
        const res = await server.request("/v1/events", { method: "POST", json: { events: events.slice(i, i + 200) } });
        assert.equal(res.status, 202);
      }
      const seeded = await server.request("/v1/network/seeds", { method: "POST", json: { accounts: ["s1"], reason: "confirmed in review (test)" } });
      assert.equal(seeded.status, 200, await seeded.text());
    });
    after(async () => server?.close());

    it("ranks the ring and the buyer, explains them, and shows the targeted minor", async (t) => {
      if (!server) return t.skip(skip);
      const res = await server.request("/v1/network/candidates?limit=10");
      assert.equal(res.status, 200);
      const body = (await res.json()) as { seeds: number; candidates: { account: string; score: number; explanation: string[] }[] };
      assert.equal(body.seeds, 1);
      const top = body.candidates.slice(0, 5).map((c) => c.account).sort();
      assert.deepEqual(top, ["buyer", "s1", "s2", "s3", "s4"]);
      const kid = (await (await server.request("/v1/network/accounts/kid")).json()) as { role: string; score: number; isMinor: boolean };
      assert.deepEqual([kid.role, kid.score, kid.isMinor], ["target", 0, true], "a minor is never scored through who follows it");
      const celeb = (await (await server.request("/v1/network/accounts/celeb")).json()) as { role: string; score: number };
      assert.ok(celeb.score < 0.3 && celeb.role !== "suspected", `the celebrity everyone follows is not suspected (${celeb.score})`);
      const account = (await (await server.request("/v1/network/accounts/s3")).json()) as { role: string; explanation: string[]; neighbourhood: { follows: unknown[] } };
      assert.equal(account.role, "suspected");
      assert.ok(account.neighbourhood.follows.length >= 3);
      const targets = (await (await server.request("/v1/network/targets")).json()) as { targets: { account: string; suspectedFollowers: string[] }[] };
      assert.deepEqual(targets.targets.map((x) => [x.account, x.suspectedFollowers.length]), [["kid", 3]]);
      const clusters = (await (await server.request("/v1/network/clusters")).json()) as { clusters: { size: number; seeds: number }[] };
      assert.ok(clusters.clusters.some((c) => c.seeds === 1 && c.size >= 4));
      assert.equal((await server.request("/v1/network/accounts/nobody")).status, 404);
    });

    it("the guard keeps benign candidates in order and removes the network and unconnected minors", async (t) => {
      if (!server) return t.skip(skip);
      const res = await server.request("/v1/recommendations/filter", { method: "POST", key: server.checkKey, json: { viewer: "u5", surface: "accounts", candidates: ["u7", "s2", "celeb", "kid", "buyer", "u9"] } });
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), {
        viewer: "u5",
        kept: ["u7", "celeb", "u9"],
        removed: [
          { id: "s2", reason: "network-member" },
          { id: "kid", reason: "minor-to-unconnected-adult" },
          { id: "buyer", reason: "network-member" },
        ],
      });
    });

    it("refuses content keys and odd ids as accounts", async (t) => {
      if (!server) return t.skip(skip);
      for (const json of [{ accounts: ["post:1"], reason: "x" }, { accounts: [], reason: "x" }, { accounts: ["a\u0007b"], reason: "x" }, { accounts: ["ok"], reason: "" }]) {
        const res = await server.request("/v1/network/seeds", { method: "POST", json });
        assert.equal(res.status, 400, JSON.stringify(json));
      }
      assert.equal((await server.request("/v1/network/accounts/comment:9")).status, 400);
    });

    it("refuses bad guard input with a 400 and a pointer", async (t) => {
      if (!server) return t.skip(skip);
      const bad = [
        { viewer: "u1", surface: "reels", candidates: [] },
        { viewer: "u1", surface: "accounts", candidates: [], extra: true },
        { viewer: "u\u0000", surface: "accounts", candidates: [] },
        { viewer: "u1", surface: "accounts", candidates: Array.from({ length: 5001 }, (_, i) => `c${i}`) },
        { surface: "accounts", candidates: ["a"] },
      ];
      for (const json of bad) {
        const res = await server.request("/v1/recommendations/filter", { method: "POST", key: server.checkKey, json });
        assert.equal(res.status, 400, JSON.stringify(json).slice(0, 80));
        const body = (await res.json()) as { error: { code: string } };
        assert.equal(body.error.code, "VALIDATION_FAILED");
      }
    });

    it("keeps network data from check keys, and audits seeds", async (t) => {
      if (!server) return t.skip(skip);
      assert.equal((await server.request("/v1/network/candidates", { key: server.checkKey })).status, 403);
      const audit = (await (await server.request("/v1/audit?action=network.seed")).json()) as { entries: { action: string; target: { id: string } }[] };
      assert.deepEqual(audit.entries.map((e) => [e.action, e.target.id]), [["network.seed", "s1"]]);
    });

    // Last: it adds another platform's accounts to the graph (docs/tenancy.md, "Accounts").
    it("account ids are per platform: platform_id picks the account, answers name a non-default platform, a bad platform_id is a 400", async (t) => {
      if (!server) return t.skip(skip);
      const forum = "forum.example";
      let n = 0;
      const follow = (a: string, b: string) => ({ id: `f-${++n}`, platform_id: forum, occurred_at: at, type: "follow", follower_id: a, followee_id: b });
      // On the forum, s1 is an ordinary account that follows one other: the same id as the default platform's seed.
      assert.equal((await server.request("/v1/events", { method: "POST", json: { events: [follow("s1", "calm"), follow("calm", "s1")] } })).status, 202);

      const home = (await (await server.request("/v1/network/accounts/s1")).json()) as Record<string, unknown>;
      assert.equal(home.role, "seed");
      assert.ok(!("platformId" in home), "the default platform's answer keeps its shape");
      const away = (await (await server.request(`/v1/network/accounts/s1?platform_id=${forum}`)).json()) as Record<string, unknown>;
      assert.deepEqual([away.account, away.platformId, away.role], ["s1", forum, "account"], "the forum's s1 is another node, not the seed");
      assert.equal((await server.request("/v1/network/accounts/s1?platform_id=photos.example")).status, 404);

      const ranked = (await (await server.request("/v1/network/candidates?limit=5000&minScore=0")).json()) as { candidates: Record<string, unknown>[] };
      for (const c of ranked.candidates) assert.ok(!("platformId" in c) || c.platformId === forum);

      const seeded = await server.request("/v1/network/seeds", { method: "POST", json: { accounts: ["calm"], platform_id: forum, reason: "named in a tip (test)" } });
      assert.deepEqual(await seeded.json(), { results: [{ account: "calm", platformId: forum, changed: true }] });
      const seeds = (await (await server.request("/v1/network/seeds")).json()) as { seeds: { account: string; platformId?: string }[] };
      assert.deepEqual(seeds.seeds.map((x) => [x.account, x.platformId ?? null]).sort(), [["calm", forum], ["s1", null]]);
      assert.deepEqual(await (await server.request(`/v1/network/seeds/calm?platform_id=${forum}`, { method: "DELETE" })).json(), { results: [{ account: "calm", platformId: forum, changed: true }] });

      for (const bad of ["", "%01", "a%1Fb", "x".repeat(201)]) {
        for (const path of [`/v1/network/accounts/s1?platform_id=${bad}`, `/v1/actions?account=s1&platform_id=${bad}`, `/v1/cases?account=s1&platform_id=${bad}`, `/v1/network/seeds/s1?platform_id=${bad}`]) {
          const res = await server.request(path, { method: path.startsWith("/v1/network/seeds") ? "DELETE" : "GET" });
          assert.equal(res.status, 400, `${path}: ${res.status}`);
          assert.equal(((await res.json()) as { error: { code: string } }).error.code, "VALIDATION_FAILED");
        }
      }
      const guard = await server.request("/v1/recommendations/filter", { method: "POST", key: server.checkKey, json: { viewer: "u5", platform_id: "a\u0007", surface: "accounts", candidates: [] } });
      assert.equal(guard.status, 400);
    });
  });
}
