import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { Kysely } from "kysely";
import type { Reviewer } from "../cases/index.js";
import { loadConfig } from "../config/index.js";
import { createEventProcessor, createEventRepository, type EventTables } from "../events/index.js";
import { createLocalStorage, evidenceQueueName } from "../evidence/index.js";
import { filterRecommendations } from "../network/guard.js";
import type { NetworkSnapshot } from "../network/model.js";
import type { Signal } from "../policy/index.js";
import { createServices } from "../services.js";
import { databaseId } from "../store/index.js";
import { dialects, withStore } from "../store/testing.js";
import { assessSafeguarding, defaultSafeguardResources } from "./index.js";

// Synthetic hashes and stand-in words only.
const csamPdq = "a5".repeat(32);
const minor: Signal = { type: "age-band", isMinor: true, basis: "declared", band: "13_15", reason: "minor", evidence: { ids: ["account:teen"] } };
const adult: Signal = { type: "age-band", isMinor: false, basis: "declared", band: "18_plus", reason: "adult", evidence: { ids: ["account:a"] } };
const csamMatch: Signal = { type: "hash-match", bank: "b", category: "csam", signalType: "pdq", distance: 0, matchVerdict: "block", reason: "match", evidence: { ids: ["m1"] } };
const report: Signal = { type: "user-report", reportReason: "child-safety", reason: "reported", evidence: { ids: ["r1"] } };
const sextortion: Signal = { type: "lexicon-hit", term: "vornaxle", category: "sextortion", severity: "review", lexicon: "synthetic", surface: "comment", reason: "term", evidence: { ids: ["c1"] } };

describe("safeguarding assessment", () => {
  it("offers safeguarding for a minor with evidence of exploitation risk, never for a report alone or for an adult", () => {
    assert.equal(assessSafeguarding("teen", [minor, report]).offered, false, "a report about a minor is not enough");
    assert.equal(assessSafeguarding("teen", [minor]).offered, false);
    const own = assessSafeguarding("teen", [minor, csamMatch]);
    assert.equal(own.offered, true);
    assert.deepEqual(own.victim, { accountId: "teen", ageBand: "13_15", ageBasis: "declared" });
    assert.deepEqual(own.annotations, ["possible_self_production"]);
    const coerced = assessSafeguarding("teen", [minor, sextortion]);
    assert.equal(coerced.offered, true);
    assert.deepEqual(coerced.annotations, ["sextortion"]);
    const grown = assessSafeguarding("a", [adult, csamMatch]);
    assert.equal(grown.offered, false);
    assert.equal(grown.victim, null);
    assert.deepEqual(grown.annotations, [], "an adult's upload is not self-production by a minor");
  });

  it("ships Take It Down first in the default help, with a list for everywhere else", () => {
    assert.match(defaultSafeguardResources.default![0]!.url, /takeitdown\.ncmec\.org/);
    for (const list of Object.values(defaultSafeguardResources)) assert.ok(list.length > 0 && list.every((r) => /^https:\/\//.test(r.url)));
  });
});

describe("recommender guard and safeguarded accounts", () => {
  const snapshot = {
    isGuarded: (a: string) => a.startsWith("sus"),
    isMinor: (a: string) => a === "teen",
    isSafeguarded: (a: string) => a === "teen",
    connected: () => true,
    authorOf: (key: string) => (key === "post:teen-post" ? "teen" : undefined),
    isHeld: () => false,
  } as unknown as NetworkSnapshot;
  const view = { snapshot, isBlockedHashtag: () => false };

  it("hides a safeguarded young person and their posts from suspected accounts only", () => {
    const bySuspect = filterRecommendations(view, { viewer: "sus-1", surface: "accounts", candidates: ["teen", "other"] });
    assert.deepEqual(bySuspect.removed, [{ id: "teen", reason: "safeguarded-from-network" }]);
    assert.deepEqual(bySuspect.kept, ["other"]);
    const byFriend = filterRecommendations(view, { viewer: "friend", surface: "accounts", candidates: ["teen"] });
    assert.deepEqual(byFriend.kept, ["teen"], "a connected, unsuspected viewer still sees them");
    const posts = filterRecommendations(view, { viewer: "sus-2", surface: "posts", candidates: ["teen-post"] });
    assert.deepEqual(posts.removed, [{ id: "teen-post", reason: "safeguarded-from-network" }]);
  });
});

for (const dialect of dialects) {
  describe(`safeguarding a case (${dialect})`, () => {
    it("a minor's own known-abuse upload: the case offers safeguarding; the decision sends help by country, names the victim and annotations, gathers evidence, and protects them from the network", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const dir = mkdtempSync(join(tmpdir(), "lapwing-safeguard-"));
        try {
          const config = loadConfig({ env: {}, overrides: { databaseUrl: "sqlite::memory:", defaultLexicon: false, evidenceMasterKey: Buffer.alloc(32, 1).toString("base64") } });
          const services = createServices(config, store, { databaseId: await databaseId(store.db), evidenceStorage: createLocalStorage(dir) });
          await services.banks.createBank({ name: "synthetic-csam", matchVerdict: "block" });
          await services.banks.addEntries("synthetic-csam", [{ signalType: "pdq", signal: csamPdq, category: "csam" }]);
          await Promise.all(services.followers.map((f) => f.catchUp()));
          const processor = createEventProcessor({ repo: createEventRepository(store.db as Kysely<EventTables>), textCheck: services.textCheck, knownMedia: services.knownMedia, enforcer: services.enforcement });
          const events = [
            { id: "e1", occurred_at: "2026-03-01T12:00:00Z", type: "account.created", account: { id: "teen", age_band: { value: "13_15", source: "declared" } } },
            { id: "e2", occurred_at: "2026-03-01T12:01:00Z", type: "post.created", post: { id: "tp", author_id: "teen", media: [{ kind: "hashes", pdq: csamPdq, quality: 100 }] } },
          ];
          await services.events.accept(events);
          for (const e of events) await processor.process(e.id);
          const reviewer: Reviewer = { actor: "user:csr", canSeeRestricted: true };
          const caseId = (await services.cases.list(reviewer, { accountId: "teen" })).cases[0]!.id;
          const detail = await services.cases.get(caseId, reviewer);
          assert.equal(detail.safeguarding.offered, true);
          assert.deepEqual(detail.safeguarding.annotations, ["possible_self_production"]);
          await services.cases.claim(caseId, reviewer);
          const { case: decided } = await services.cases.decide(caseId, reviewer, { decision: "safeguard", annotations: ["sextortion"] });
          // The safeguard policy already sent the help when the match came in; the reviewer's decision confirms it (one action, idempotent).
          const actions = (await services.actions.list({ caseId, limit: 100 }, { canSeeRestricted: true })).actions;
          assert.deepEqual(decided.victim, { accountId: "teen", ageBand: "13_15", ageBasis: "declared" });
          assert.deepEqual(decided.annotations.sort(), ["possible_self_production", "sextortion"]);
          const safeguard = actions.find((a) => a.kind === "account.safeguard")!;
          const resources = (safeguard.details.safeguarding as { resources: Record<string, Array<{ url: string }>> }).resources;
          assert.match(resources.default![0]!.url, /takeitdown/);
          assert.ok(resources.GB, "country lists travel with the action");
          // The platform sees the help even though the case is restricted.
          const platformView = (await services.actions.list({ limit: 100 }, { canSeeRestricted: false })).actions.find((a) => a.id === safeguard.id)!;
          assert.ok(platformView.details.safeguarding);
          // The case as the reports helper reads it.
          const again = await services.cases.get(caseId, reviewer);
          assert.deepEqual(again.victim, decided.victim);
          // Evidence is gathered for the report: at the known-abuse match (the default policy preserves) and again on the decision.
          const jobs = await services.queue.claim(evidenceQueueName, { worker: "t", limit: 5, leaseMs: 60_000 });
          assert.deepEqual(jobs.map((j) => (j.payload as { trigger: string }).trigger).sort(), ["policy.preserve", "safeguard"]);
          // Annotations outside the vocabulary are refused.
          await assert.rejects(services.cases.decide(caseId, reviewer, { decision: "safeguard", annotations: ["made-up"] }), /not one of/);
          // The network snapshot now knows the account is safeguarded.
          const snapshot = await services.network.refresh();
          assert.equal(snapshot.isSafeguarded("teen"), true);
          await services.close();
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
    });
  });
}
