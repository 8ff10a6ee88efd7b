import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { HashMatch } from "../known-media/index.js";
import { defaultPolicySet } from "./default-policies.js";
import { evaluate, summarizeDecisions } from "./evaluate.js";
import { hashMatchSignals, textSignals } from "./from-detectors.js";
import { parseSignals } from "./signal-fields.js";

const match: HashMatch = {
  signalType: "pdq",
  distance: 6,
  orientation: "rot90",
  bank: { id: "b1", name: "test-csam", matchVerdict: "block" },
  entry: { id: "e1", signal: "f".repeat(64), source: "test", category: "csam", note: "", addedAt: "2026-11-29T00:00:00.000Z" },
};

describe("signals from detector results", () => {
  it("turns hash matches into hash-match signals the default set acts on", () => {
    const signals = hashMatchSignals([match, { ...match, signalType: "md5", distance: 0, orientation: undefined, bank: { ...match.bank, name: "other", matchVerdict: "review" }, entry: { ...match.entry, id: "e2", category: "test" } }], ["media:m1"]);
    assert.deepEqual(parseSignals(signals), signals, "they pass the same validation as signals from outside");
    assert.equal(signals[0]!.reason, 'PDQ match at distance 6 (rot90) in bank "test-csam" (category csam)');
    assert.deepEqual(signals[0]!.evidence.ids, ["media:m1", "bank-entry:e1"]);
    assert.equal(signals[1]!.reason, 'Exact MD5 match in bank "other" (category test)');
    assert.deepEqual(summarizeDecisions(evaluate({ version: 0, content: defaultPolicySet }, signals).decisions).kinds, ["hold", "suspend", "report", "review", "preserve"]);
  });

  it("merges repeats of a term into one lexicon-hit with spans, and adds the advert score unless it is none", () => {
    const hits = [
      { term: "quorblex", category: "coded-term", severity: "block", lexicon: "default", start: 0, end: 8 },
      { term: "quorblex", category: "coded-term", severity: "block", lexicon: "default", start: 20, end: 28 },
      { term: "#mossyteacup", category: "coded-term", severity: "review", lexicon: "tags", start: 30, end: 42 },
    ];
    const signals = textSignals({ hits, advert: { score: 0.93, level: "high" } }, "image_text", ["post:p1"]);
    assert.deepEqual(parseSignals(signals), signals);
    assert.deepEqual(signals.map((s) => s.type), ["lexicon-hit", "lexicon-hit", "advert-score"]);
    assert.deepEqual(signals[0]!.evidence.spans, [{ start: 0, end: 8 }, { start: 20, end: 28 }]);
    assert.equal(signals[0]!.reason, 'The image text contains the block-severity term "quorblex" (coded-term, lexicon "default"), 2 times');
    assert.deepEqual(textSignals({ hits: [], advert: { score: 0.02, level: "none" } }, "post", ["post:p1"]), []);
  });
});
