import { test } from "node:test";
import assert from "node:assert/strict";
import { readingOrder } from "./bidi.js";
import { normalizeText } from "./normalize-text.js";

const cps = (s: string) => Int32Array.from([...s].map((c) => c.codePointAt(0)!));

test("no directional controls: logical order, no work", () => {
  assert.equal(readingOrder(cps("hello world"), 11), null);
});

test("RLO ... PDF reverses the letters as a reader sees them", () => {
  assert.equal(normalizeText("\u202Eelxanrov\u202C").text, "vornaxle");
  assert.equal(normalizeText("a \u202Eelxanrov\u202C b").text, "a vornaxle b");
});

test("RLO without PDF runs to the end of the paragraph only", () => {
  assert.equal(normalizeText("\u202Ecba\nabc").text, "abc abc");
});

test("LRO inside RLO turns a part back", () => {
  assert.equal(normalizeText("\u202Ed\u202Dbc\u202Ca\u202C").text, "abcd");
});

test("RLI ... PDI isolates reverse their letters under an override too", () => {
  assert.equal(normalizeText("x \u2067\u202Eelxanrov\u202C\u2069 y").text, "x vornaxle y");
});

test("RLE embedding keeps left-to-right words readable", () => {
  assert.equal(normalizeText("\u202Bvornaxle\u202C").text, "vornaxle");
});

test("spans still point into the original text after reordering", () => {
  const original = "\u202Eelxanrov\u202C";
  const n = normalizeText(original);
  assert.deepEqual(n.spans[0], [8, 9]); // "v" is the last letter written
});

test("Hebrew and Arabic stay in reading (logical) order", () => {
  assert.equal(normalizeText("\u202Bשלום\u202C").text, normalizeText("שלום").text);
});

test("deep nesting is bounded (level cap 125)", () => {
  const text = "\u202E".repeat(10_000) + "abc" + "\u202C".repeat(10_000);
  assert.equal(normalizeText(text).text.length > 0, true);
});
