import { test } from "node:test";
import assert from "node:assert/strict";
import { buildStream, readStream, SymbolFlag, type TextStream } from "./stream.js";
import { normalizeText } from "./normalize-text.js";

test("invisible and format characters are removed without a trace", () => {
  assert.equal(normalizeText("p\u200Ba\u2060p\u00ADe\uFEFFr w\u200Ca\u200Dl").text, "paper wal");
});

test("combining marks are removed and their span joins the base letter", () => {
  const n = normalizeText("e\u0301\u0302x");
  assert.equal(n.text, "ex");
  assert.deepEqual(n.spans[0], [0, 3]);
});

test("repeated letters collapse into one symbol spanning the run", () => {
  const n = normalizeText("vorrrnaxle");
  assert.equal(n.text, "vornaxle");
  assert.deepEqual(n.spans[2], [2, 5]);
});

test("ambiguous symbols do not collapse: 11 may read as il", () => {
  assert.equal(normalizeText("g11mb").text, "g11mb");
});

test("emoji keep their identity; variation selectors, skin tones and joiners go", () => {
  const n = normalizeText("🧦\uFE0F\u200D🪐🏽 x");
  assert.equal(n.text, "🧦🪐 x");
  assert.deepEqual(n.spans[0], [0, 3]); // the sock and its variation selector
  assert.deepEqual(n.spans[1], [4, 8]); // the planet and its skin tone
});

test("separators become gap flags; leet punctuation is a soft symbol", () => {
  const s = buildStream("a b$c", 100);
  assert.equal(s.length, 4);
  assert.ok(s.flags[1] & SymbolFlag.gapWord);
  assert.ok(s.flags[2] & SymbolFlag.soft);
  assert.equal(String.fromCodePoint(s.codePoints[2]), "$");
});

test("offsets are UTF-16 offsets into the original text, also after astral characters", () => {
  const text = "𝐚𝐛 c";
  const n = normalizeText(text);
  assert.equal(n.text, "ab c");
  assert.deepEqual(n.spans, [
    [0, 2],
    [2, 4],
    [5, 6],
  ]);
});

test("lone surrogates read as a separator, never throw", () => {
  assert.equal(normalizeText("ab\uD800cd\uDC00ef").text, "ab cd ef");
  assert.equal(normalizeText("\uDBFF").text, "");
});

test("control characters vanish like format characters; tabs, line breaks and field separators still separate", () => {
  assert.equal(normalizeText("ab\u0000cd\u0007ef\tgh\nij").text, "abcdef gh ij");
  assert.equal(normalizeText("vorn\u0001\u0008\u007f\u0080axle\u009f\u001cx").text, "vornaxle x");
});

test("maxChars cuts the text, never inside a surrogate pair, and says so", () => {
  const s = buildStream("ab𝐜", 3);
  assert.equal(s.isTruncated, true);
  assert.equal(s.scannedChars, 2);
  assert.equal(s.length, 2);
  assert.equal(buildStream("abc", 3).isTruncated, false);
});

/** A stream's content, copied out of its (reused) buffers. */
function contentOf(stream: TextStream) {
  const n = stream.length;
  return { codePoints: [...stream.codePoints.subarray(0, n)], starts: [...stream.starts.subarray(0, n)], ends: [...stream.ends.subarray(0, n)], flags: [...stream.flags.subarray(0, n)], isTruncated: stream.isTruncated, scannedChars: stream.scannedChars };
}

test("readStream gives every reader of a text what buildStream builds, however much each reads", () => {
  const text = "Ｖоrrrn𝐚xIe  $20 t.me/x 🍕";
  assert.deepEqual(readStream(text, 100_000, contentOf), contentOf(buildStream(text, 100_000)));
  // Read again with another limit that still covers the whole text, then cut short.
  assert.deepEqual(readStream(text, text.length, contentOf), contentOf(buildStream(text, text.length)));
  assert.deepEqual(readStream(text, 5, contentOf), contentOf(buildStream(text, 5)));
  assert.equal(readStream(text, 5, (s) => s.isTruncated), true);
  assert.deepEqual(readStream("other words", 100_000, contentOf), contentOf(buildStream("other words", 100_000)));
});

test("a reader nested in another reads its own text without disturbing the outer stream", () => {
  const outer = readStream("kettle garden", 100_000, (stream) => {
    const before = contentOf(stream);
    const inner = readStream("vornaxle", 100_000, contentOf);
    assert.deepEqual(inner, contentOf(buildStream("vornaxle", 100_000)));
    assert.deepEqual(contentOf(stream), before);
    return before;
  });
  assert.deepEqual(outer, contentOf(buildStream("kettle garden", 100_000)));
});
