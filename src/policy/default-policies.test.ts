import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultPolicySet } from "./default-policies.js";
import { evaluate, summarizeDecisions } from "./evaluate.js";
import type { Signal } from "./signals.js";
import { advertScore, ageBand, hashMatch, lexiconHit, networkScore, userReport } from "./synthetic-signals.js";

const run = (...signals: Signal[]) => evaluate({ version: 0, content: defaultPolicySet }, signals);
const kinds = (...signals: Signal[]) => summarizeDecisions(run(...signals).decisions);

describe("the default policy set", () => {
  it("holds, suspends, reports and urgently reviews a known-CSAM hash match", () => {
    const { decisions } = run(hashMatch());
    assert.deepEqual(decisions.map((d) => [d.policyId, d.decision, d.priority]), [
      ["known-csam-hash", "hold", undefined],
      ["known-csam-hash", "review", "urgent"],
      ["known-csam-hash", "suspend", undefined],
      ["known-csam-hash", "report", undefined],
    ]);
  });

  it("holds other banks' matches by their verdict, without suspending or reporting", () => {
    assert.deepEqual(kinds(hashMatch({ category: "terror", matchVerdict: "block" })), { kinds: ["hold", "review"], reviewPriority: "urgent" });
    assert.deepEqual(kinds(hashMatch({ category: "spam", matchVerdict: "hold" })), { kinds: ["hold", "review"], reviewPriority: "high" });
    assert.deepEqual(kinds(hashMatch({ category: "test", matchVerdict: "review" })), { kinds: ["review"], reviewPriority: "normal" });
  });

  it("holds a block-severity term in content but leaves searches to the search gate", () => {
    assert.deepEqual(kinds(lexiconHit({ surface: "post" })), { kinds: ["hold", "review"], reviewPriority: "high" });
    assert.deepEqual(kinds(lexiconHit({ surface: "search" })), { kinds: [] });
    assert.deepEqual(kinds(lexiconHit({ severity: "review", surface: "bio" })), { kinds: ["review"], reviewPriority: "normal" });
  });

  it("holds a strong seller advert and queues a weaker one", () => {
    assert.deepEqual(kinds(advertScore(0.95, "high")), { kinds: ["hold", "review"], reviewPriority: "high" });
    assert.deepEqual(kinds(advertScore(0.6, "review")), { kinds: ["review"], reviewPriority: "normal" });
    assert.deepEqual(kinds(advertScore(0.2, "low")), { kinds: [] });
  });

  it("safeguards a subject who appears to be a minor, in addition to the rest", () => {
    assert.deepEqual(kinds(hashMatch(), ageBand(true)), { kinds: ["hold", "suspend", "report", "review", "safeguard"], reviewPriority: "urgent" });
    assert.deepEqual(kinds(lexiconHit({ severity: "review" }), ageBand(true, "estimated")).kinds, ["review", "safeguard"]);
    assert.deepEqual(kinds(lexiconHit({ severity: "review" }), ageBand(false)).kinds, ["review"]);
    assert.deepEqual(kinds(ageBand(true)).kinds, [], "an age band alone decides nothing");
  });

  it("raises repeated child-safety reports and ignores other reasons", () => {
    assert.deepEqual(kinds(userReport()), { kinds: ["review"], reviewPriority: "normal" });
    assert.deepEqual(kinds(userReport("child-safety", "1"), userReport("child-safety", "2"), userReport("child-safety", "3")), { kinds: ["review"], reviewPriority: "high" });
    assert.deepEqual(kinds(userReport("spam")), { kinds: [] });
  });

  it("sends suspected network members to review, never to an automated action", () => {
    assert.deepEqual(kinds(networkScore(0.3)), { kinds: [] });
    assert.deepEqual(kinds(networkScore(0.6)), { kinds: ["review"], reviewPriority: "normal" });
    assert.deepEqual(kinds(networkScore(0.9)), { kinds: ["review"], reviewPriority: "high" });
  });

  it("reviews strong ban-evasion links at high priority and only shadows a hold", () => {
    const link = { type: "ban-evasion-link" as const, linkedAccount: "a1", score: 0.95, strength: 0.95, reason: "names @a1 as its main", evidence: { ids: ["account:a2"] } };
    const result = run(link);
    assert.deepEqual(summarizeDecisions(result.decisions), { kinds: ["review"], reviewPriority: "high" });
    assert.deepEqual(result.shadow.map((d) => [d.policyId, d.decision]), [["ban-evasion-hold", "hold"]]);
    assert.deepEqual(kinds({ ...link, score: 0.5 }), { kinds: [] });
  });

  it("explains every rule", () => {
    for (const policy of defaultPolicySet.policies) assert.ok(policy.description.length > 40, policy.id);
  });
});
