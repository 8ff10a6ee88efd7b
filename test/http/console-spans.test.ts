// The console highlights matched words in the original text from signals'
// spans (console/src/components/spans.ts): what it marks must be exactly the
// matched words, whatever the spans look like.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mergeSpans, splitAtSpans } from "../../console/src/components/spans.js";

describe("console text highlighting", () => {
  it("marks exactly the spans, leaving the text unchanged", () => {
    const text = "Fresh VORNAXLE menu, ask. Also quillbry.";
    const parts = splitAtSpans(text, [{ start: 6, end: 14 }, { start: 31, end: 39 }]);
    assert.equal(parts.map((p) => p.text).join(""), text);
    assert.deepEqual(parts.filter((p) => p.isMarked).map((p) => p.text), ["VORNAXLE", "quillbry"]);
  });

  it("merges repeated and overlapping spans and drops impossible ones", () => {
    assert.deepEqual(mergeSpans([{ start: 4, end: 8 }, { start: 0, end: 2 }, { start: 4, end: 8 }, { start: 6, end: 10 }], 20), [{ start: 0, end: 2 }, { start: 4, end: 10 }]);
    assert.deepEqual(mergeSpans([{ start: -1, end: 3 }, { start: 5, end: 5 }, { start: 2.5, end: 4 }, { start: 30, end: 31 }], 20), []);
    assert.deepEqual(mergeSpans([{ start: 18, end: 40 }], 20), [{ start: 18, end: 20 }], "clipped to the text");
    assert.deepEqual(splitAtSpans("", [{ start: 0, end: 3 }]), []);
  });

  it("keeps characters outside the basic plane whole (spans count UTF-16 units)", () => {
    const text = "🦋 vornaxle 🦋";
    const start = text.indexOf("vornaxle");
    const parts = splitAtSpans(text, [{ start, end: start + 8 }]);
    assert.deepEqual(parts.map((p) => p.text), ["🦋 ", "vornaxle", " 🦋"]);
  });
});
