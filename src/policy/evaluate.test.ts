import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeCondition, evaluate, summarizeDecisions } from "./evaluate.js";
import { advertScore, ageBand, hashMatch, lexiconHit, userReport } from "./synthetic-signals.js";
import { validatePolicySet } from "./validate.js";

function set(policies: unknown[], version = 7) {
  return { version, content: validatePolicySet({ version: 1, policies }) };
}
const rule = (id: string, when: unknown, then: unknown[], extra: Record<string, unknown> = {}) => ({ id, description: `Rule ${id}.`, when, then, mode: "enforce", ...extra });

describe("evaluate", () => {
  it("produces every decision kind with its policy, version, signals and explanation", () => {
    const policies = set([
      rule("all-kinds", { signal: "hash-match", where: [{ field: "distance", op: "<=", value: 10 }] }, [
        { decision: "block" },
        { decision: "hold" },
        { decision: "review", priority: "urgent" },
        { decision: "suspend" },
        { decision: "report" },
        { decision: "safeguard" },
      ]),
    ]);
    const signals = [lexiconHit(), hashMatch({ distance: 4 }), hashMatch({ distance: 40 })];
    const { decisions, shadow } = evaluate(policies, signals, { subject: "account:a1" });
    assert.deepEqual(decisions.map((d) => d.decision), ["block", "hold", "review", "suspend", "report", "safeguard"]);
    assert.deepEqual(shadow, []);
    const review = decisions[2]!;
    assert.equal(review.priority, "urgent");
    assert.equal(decisions[0]!.priority, undefined);
    assert.deepEqual([review.policyId, review.policyVersion, review.mode], ["all-kinds", 7, "enforce"]);
    assert.deepEqual(review.matchedSignals, [{ index: 1, type: "hash-match", reason: signals[1]!.reason }], "only the close match counts");
    assert.equal(
      review.explanation,
      'Review at urgent priority for account:a1: policy "all-kinds" (policy-set version 7) asks for it when a hash-match signal with distance <= 10, and this signal met it: PDQ match at distance 4 in bank "test-csam" (category csam).',
    );
  });

  it("keeps shadow policies apart and never in the enforced list", () => {
    const policies = set([
      rule("live", { signal: "lexicon-hit" }, [{ decision: "review", priority: "normal" }]),
      rule("trial", { signal: "lexicon-hit" }, [{ decision: "hold" }], { mode: "shadow" }),
    ]);
    const { decisions, shadow } = evaluate(policies, [lexiconHit()]);
    assert.deepEqual(decisions.map((d) => [d.policyId, d.decision]), [["live", "review"]]);
    assert.deepEqual(shadow.map((d) => [d.policyId, d.decision, d.mode]), [["trial", "hold", "shadow"]]);
    assert.match(shadow[0]!.explanation, /shadow mode: recorded, not acted on/);
  });

  it("orders by priority, higher first, ties in file order", () => {
    const when = { signal: "lexicon-hit" };
    const policies = set([
      rule("a", when, [{ decision: "review", priority: "low" }]),
      rule("b", when, [{ decision: "review", priority: "high" }], { priority: 10 }),
      rule("c", when, [{ decision: "review", priority: "normal" }]),
      rule("d", when, [{ decision: "hold" }], { priority: -5 }),
    ]);
    const { decisions } = evaluate(policies, [lexiconHit()]);
    assert.deepEqual(decisions.map((d) => d.policyId), ["b", "a", "c", "d"]);
    assert.deepEqual(summarizeDecisions(decisions), { kinds: ["hold", "review"], reviewPriority: "high" });
  });

  it("reads all, any, not, in, counts and missing fields", () => {
    const policies = set([
      rule("two-hits", { signal: "lexicon-hit", atLeast: 2 }, [{ decision: "review", priority: "high" }]),
      rule("any-branch", { any: [{ signal: "advert-score", where: [{ field: "score", op: ">=", value: 0.9 }] }, { signal: "lexicon-hit", where: [{ field: "category", op: "in", value: ["coded-term"] }] }] }, [{ decision: "hold" }]),
      rule("not-adult", { all: [{ signal: "lexicon-hit" }, { not: { signal: "age-band", where: [{ field: "isMinor", op: "==", value: false }] } }] }, [{ decision: "safeguard" }]),
      rule("strong", { signal: "lexicon-hit", where: [{ field: "strength", op: "!=", value: 1 }] }, [{ decision: "block" }]),
      rule("only-not", { not: { signal: "hash-match" } }, [{ decision: "suspend" }]),
    ]);
    const one = evaluate(policies, [lexiconHit()]).decisions;
    assert.deepEqual(one.map((d) => d.policyId), ["any-branch", "not-adult"], "one hit is not two; a missing strength passes no test; a bare not needs evidence");

    const two = evaluate(policies, [lexiconHit(), advertScore(0.95, "high"), lexiconHit({ term: "zubixal", category: "other" })]).decisions;
    assert.deepEqual(two.map((d) => d.policyId), ["two-hits", "any-branch", "not-adult"]);
    assert.deepEqual(two[1]!.matchedSignals.map((m) => m.index), [0, 1], "every satisfied branch of any contributes, in signal order");
    assert.match(two[0]!.explanation, /at least 2 lexicon-hit signals.*these 2 signals met it/);

    const adult = evaluate(policies, [lexiconHit(), ageBand(false)]).decisions;
    assert.deepEqual(adult.map((d) => d.policyId), ["any-branch"]);
    assert.deepEqual(evaluate(policies, []).decisions, [], "no signals, no decisions");
  });

  it("words conditions as English: a user-report signal, an age-band signal", () => {
    assert.equal(describeCondition({ signal: "user-report" }), "a user-report signal");
    assert.equal(describeCondition({ signal: "age-band" }), "an age-band signal");
    assert.equal(describeCondition({ signal: "advert-score" }), "an advert-score signal");
    assert.equal(describeCondition({ signal: "hash-match" }), "a hash-match signal");
  });

  it("is deterministic", () => {
    const policies = set([rule("r", { any: [{ signal: "user-report" }, { signal: "lexicon-hit" }] }, [{ decision: "review", priority: "low" }])]);
    const signals = [userReport(), lexiconHit(), userReport("spam", "r2")];
    assert.deepEqual(evaluate(policies, signals), evaluate(policies, signals));
  });
});
