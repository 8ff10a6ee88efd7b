import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultPolicySet } from "./default-policies.js";
import { evaluate, summarizeDecisions } from "./evaluate.js";
import type { Signal } from "./signals.js";
import { advertScore, ageBand, hashMatch, lexiconHit, networkScore, networkTargeted, userReport } from "./synthetic-signals.js";

const run = (...signals: Signal[]) => evaluate({ version: 0, content: defaultPolicySet }, signals);
const kinds = (...signals: Signal[]) => summarizeDecisions(run(...signals).decisions);

describe("the default policy set", () => {
  it("holds, suspends, reports, preserves and urgently reviews a known-CSAM hash match", () => {
    const { decisions } = run(hashMatch());
    assert.deepEqual(decisions.map((d) => [d.policyId, d.decision, d.priority]), [
      ["known-csam-hash", "hold", undefined],
      ["known-csam-hash", "review", "urgent"],
      ["known-csam-hash", "suspend", undefined],
      ["known-csam-hash", "report", undefined],
      ["known-csam-hash", "preserve", undefined],
    ]);
  });

  it("preserves evidence only for a known-CSAM match: no other default rule keeps media", () => {
    const others = [hashMatch({ category: "terror", matchVerdict: "block" }), lexiconHit({ surface: "post" }), advertScore(0.95, "high"), userReport(), networkScore(0.9), networkTargeted(0.9)];
    for (const signal of others) assert.ok(!kinds(signal).kinds.includes("preserve"), `${signal.type} preserves nothing`);
    assert.ok(kinds(hashMatch(), ageBand(true)).kinds.includes("preserve"), "a minor's known-CSAM match is preserved too (safeguarding does not replace it)");
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
    assert.deepEqual(kinds(hashMatch(), ageBand(true)), { kinds: ["hold", "suspend", "report", "review", "safeguard", "preserve"], reviewPriority: "urgent" });
    assert.deepEqual(kinds(lexiconHit({ severity: "review" }), ageBand(true, "estimated")).kinds, ["review", "safeguard"]);
    assert.deepEqual(kinds(lexiconHit({ severity: "review" }), ageBand(false)).kinds, ["review"]);
    assert.deepEqual(kinds(ageBand(true)).kinds, [], "an age band alone decides nothing");
  });

  it("safeguards a minor only on evidence of sexual-exploitation risk", () => {
    const safeguarded = (...signals: Signal[]) => kinds(ageBand(true), ...signals).kinds.includes("safeguard");
    assert.equal(safeguarded(hashMatch()), true, "a known-CSAM match");
    assert.equal(safeguarded(lexiconHit({ category: "coded-term", severity: "review" })), true, "an exploitation lexicon term");
    assert.equal(safeguarded(lexiconHit({ category: "emoji-code" })), true);
    assert.equal(safeguarded(advertScore(0.6, "review")), true, "a seller advert");
    assert.equal(safeguarded(networkTargeted(0.7)), true, "targeted by a suspected network");
    assert.equal(safeguarded(networkTargeted(0.2)), false, "a weak network signal is not enough");
    assert.equal(safeguarded(hashMatch({ category: "terror", matchVerdict: "block" })), false, "a match of another kind is not exploitation risk");
    assert.equal(safeguarded(lexiconHit({ category: "slur" })), false, "nor a term of another category");
    assert.equal(safeguarded(advertScore(0.2, "low")), false);
    assert.equal(safeguarded(networkScore(0.9)), false, "being near a network (perhaps as a member) is not being targeted by it");
  });

  it("never safeguards a minor automatically on reports alone: child-safety reports go to a person, other reports decide nothing", () => {
    const categories = ["impersonation", "spam", "harassment", "hate", "self-harm", "violence", "scam", "copyright", "nudity", "other", "unspecified", "child-safety"];
    for (const category of categories) {
      const decided = run(ageBand(true), userReport(category, "1"), userReport(category, "2"), userReport(category, "3"));
      const summary = summarizeDecisions(decided.decisions);
      assert.ok(!summary.kinds.includes("safeguard"), `a ${category} report must not safeguard`);
      assert.ok(!summary.kinds.some((k) => k === "hold" || k === "suspend"), `reports never hide or suspend on their own (${category})`);
      if (category === "child-safety") {
        assert.deepEqual(summary, { kinds: ["review"], reviewPriority: "high" });
        assert.ok(decided.decisions.some((d) => d.policyId === "minor-reported-for-child-safety"), "a person looks first");
      } else {
        assert.deepEqual(summary, { kinds: [] }, `a ${category} report about a minor decides nothing`);
      }
    }
    // With evidence beside the report, the minor is safeguarded.
    assert.ok(kinds(ageBand(true), userReport("child-safety"), advertScore(0.95, "high")).kinds.includes("safeguard"));
    // An adult reported for child safety: the ordinary review.
    assert.deepEqual(kinds(ageBand(false), userReport("child-safety")), { kinds: ["review"], reviewPriority: "normal" });
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
