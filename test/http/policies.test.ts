import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { dialects } from "../../src/store/testing.js";
import { startTestServer, type TestServer } from "../support/server.js";

const holdTerms = {
  version: 1,
  policies: [
    { id: "hold-terms", description: "Hold any lexicon hit in a post.", when: { signal: "lexicon-hit", where: [{ field: "surface", op: "==", value: "post" }] }, then: [{ decision: "hold" }], mode: "enforce" },
    { id: "trial-advert", description: "Trying a lower advert threshold.", when: { signal: "advert-score", where: [{ field: "score", op: ">=", value: 0.4 }] }, then: [{ decision: "review", priority: "low" }], mode: "shadow" },
  ],
};
const hit = { type: "lexicon-hit", term: "vornaxle", category: "coded-term", severity: "block", lexicon: "stand-in", surface: "post", reason: "The post contains the stand-in term \"vornaxle\"", evidence: { ids: ["post:p1"], spans: [{ start: 0, end: 8 }] } };
const advert = { type: "advert-score", score: 0.45, level: "low", reason: "Reads a little like an advert", evidence: { ids: ["post:p1"] } };
const csam = { type: "hash-match", bank: "test-csam", category: "csam", signalType: "pdq", distance: 3, matchVerdict: "block", reason: "PDQ match at distance 3 in bank \"test-csam\"", evidence: { ids: ["media:m1"] } };

for (const dialect of dialects) {
  describe(`policies over HTTP (${dialect})`, () => {
    let s: TestServer | undefined;
    let skipReason: string | undefined;
    before(async () => {
      const started = await startTestServer(dialect);
      if (typeof started === "string") skipReason = started;
      else s = started;
      // Until the plugin is registered in src/server/app.ts the routes do not exist; say so rather than fail or pass silently.
      if (s && (await s.request("/v1/policies")).status === 404) skipReason = "policyRoutes is not registered in src/server/app.ts";
    });
    after(async () => s?.close());

    it("serves the built-in set, stores versions, evaluates dry runs, and rolls back", async (t) => {
      if (skipReason || !s) return t.skip(skipReason);
      const builtIn = await (await s.request("/v1/policies")).json();
      assert.deepEqual([builtIn.version, builtIn.isBuiltIn, builtIn.isActive], [0, true, true]);
      assert.equal(builtIn.content.policies[0].id, "known-csam-hash");

      const dry = await (await s.request("/v1/policies/evaluate", { method: "POST", json: { signals: [csam], subject: "account:a1" } })).json();
      assert.equal(dry.version, 0);
      assert.deepEqual(dry.decisions.map((d: { decision: string }) => d.decision), ["hold", "review", "suspend", "report", "preserve"]);
      assert.deepEqual(dry.decisions[0].matchedSignals, [{ index: 0, type: "hash-match", reason: csam.reason }]);
      assert.match(dry.decisions[0].explanation, /for account:a1/);

      const bad = await s.request("/v1/policies", { method: "PUT", json: { ...holdTerms, policies: [{ ...holdTerms.policies[0], then: [{ decision: "review" }] }] } });
      assert.equal(bad.status, 400);
      const badBody = await bad.json();
      assert.deepEqual([badBody.error.code, badBody.error.pointer], ["POLICY_INVALID", "/policies/0/then/0/priority"]);

      const put = await s.request("/v1/policies", { method: "PUT", json: holdTerms });
      assert.equal(put.status, 201);
      const stored = await put.json();
      assert.deepEqual([stored.version, stored.isActive, stored.createdBy.startsWith("key:")], [1, true, true]);

      const onStored = await (await s.request("/v1/policies/evaluate", { method: "POST", json: { signals: [hit, advert, csam] } })).json();
      assert.deepEqual(onStored.decisions.map((d: { policyId: string; policyVersion: number }) => [d.policyId, d.policyVersion]), [["hold-terms", 1]]);
      assert.deepEqual(onStored.shadow.map((d: { policyId: string; mode: string }) => [d.policyId, d.mode]), [["trial-advert", "shadow"]]);

      const draft = await (await s.request("/v1/policies/evaluate", { method: "POST", json: { signals: [csam], policies: builtIn.content } })).json();
      assert.equal(draft.version, -1);
      assert.equal(draft.decisions.length, 5, "hold, review, suspend, report, preserve");

      const badSignal = await s.request("/v1/policies/evaluate", { method: "POST", json: { signals: [{ ...hit, distance: 3 }] } });
      assert.equal(badSignal.status, 400);
      assert.equal((await badSignal.json()).error.pointer, "/signals/0/distance");

      const versions = await (await s.request("/v1/policies/versions")).json();
      assert.deepEqual(versions.versions.map((v: { version: number; isActive: boolean }) => [v.version, v.isActive]), [[1, true], [0, false]]);
      assert.equal((await (await s.request("/v1/policies/versions/1")).json()).content.policies[0].id, "hold-terms");
      assert.equal((await s.request("/v1/policies/versions/7")).status, 404);

      const rolledBack = await s.request("/v1/policies/versions/0/activate", { method: "POST" });
      assert.equal(rolledBack.status, 200);
      assert.equal((await (await s.request("/v1/policies")).json()).version, 0);

      const audit = await (await s.request("/v1/audit?action=policy.update")).json();
      assert.equal(audit.entries.length, 1);
      assert.equal(audit.entries[0].target.id, "1");
    });

    it("is for admins only", async (t) => {
      if (skipReason || !s) return t.skip(skipReason);
      for (const [method, path] of [["GET", "/v1/policies"], ["PUT", "/v1/policies"], ["GET", "/v1/policies/versions"], ["POST", "/v1/policies/evaluate"]] as const) {
        const res = await s.request(path, { method, key: s.checkKey, ...(method === "GET" ? {} : { json: holdTerms }) });
        assert.equal(res.status, 403, `${method} ${path}`);
      }
    });
  });
}
