import { test } from "node:test";
import assert from "node:assert/strict";
import { isLapwingError } from "../../errors/index.js";
import { compileLexicon, matchText } from "./compiled-lexicon.js";
import type { TextHit } from "./types.js";

// Stand-in words of our own, unlike the text-eval pack's: the matcher must not depend on a lexicon.
const lexicon = compileLexicon({
  entries: [
    { term: "tarnibex", category: "coded-term", severity: "block" },
    { term: "qoz", category: "coded-term", severity: "review" },
    { term: "zumbo", category: "age-claim", severity: "review" },
    { term: "glint moth fair", category: "solicitation", severity: "block" },
    { term: "#rustyspoon", category: "coded-term", severity: "block" },
    { term: "🦩🧃", category: "emoji-code", severity: "block" },
    { term: "madwell", category: "coded-term", severity: "review", source: "test" },
  ],
});

const terms = (text: string) => [...new Set(lexicon.match(text).map((h) => h.term))].sort();
const one = (text: string): TextHit => {
  const hits = lexicon.match(text);
  assert.equal(hits.length, 1, `one hit expected in ${JSON.stringify(text)}: ${JSON.stringify(hits)}`);
  return hits[0];
};

test("a hit carries the stored term, category, severity, entry, view and original span", () => {
  const text = "so T4RN1BEX is back";
  const hit = one(text);
  assert.deepEqual(
    { ...hit },
    { term: "tarnibex", category: "coded-term", severity: "block", entryIndex: 0, view: "word", start: 3, end: 11, matched: "T4RN1BEX", how: "folded", distance: 0 },
  );
  assert.equal(text.slice(hit.start, hit.end), hit.matched);
  assert.deepEqual(matchText(lexicon, text), lexicon.match(text));
});

test("short terms match whole words only, CamelCase and punctuation count as breaks", () => {
  assert.deepEqual(terms("qoz"), ["qoz"]);
  assert.deepEqual(terms("#qoz_fans!"), ["qoz"]);
  assert.deepEqual(terms("#ILoveQOZ"), ["qoz"]);
  assert.deepEqual(terms("anyone into q0z?"), ["qoz"]);
  assert.deepEqual(terms("qozzy quartz aqoz qozed"), []);
  assert.deepEqual(terms("q o z"), []);
});

test("long terms match inside words and hashtags", () => {
  assert.equal(one("#tarnibexlover").view, "inside-word");
  assert.equal(one("#ILoveTarnibex").view, "word"); // CamelCase makes it a word
  assert.deepEqual(terms("#tarnibexlover #Tarnibex_Club"), ["tarnibex"]);
  assert.deepEqual(terms("zumbolicious"), ["zumbo"]);
});

test("spread-out letters match for terms of 6+ letters only", () => {
  assert.equal(one("t.a.r.n.i.b.e.x").view, "spaced");
  assert.deepEqual(terms("t a r n i b e x"), ["tarnibex"]);
  assert.deepEqual(terms("t🔥a🔥r🔥n🔥i🔥b🔥e🔥x"), ["tarnibex"]);
  assert.deepEqual(terms("z u m b o"), []);
  assert.deepEqual(terms("tar nibex"), []); // two ordinary words are not spaced letters
});

test("phrases and hashtag compounds: joined, CamelCased, punctuated, across lines", () => {
  assert.equal(one("GlintMothFair").view, "word");
  assert.equal(one("#noglintmothfairclub").view, "inside-word");
  assert.equal(one("glint / moth\nfair").view, "phrase");
  assert.deepEqual(terms("#rustyspoon rusty.spoon RustySpoon rusty spoon"), ["#rustyspoon"]);
  assert.deepEqual(terms("glint and moth at the fair"), []);
  assert.deepEqual(terms("moth glint fair"), []);
});

test("evasions: case, repeats, leet with ambiguity, homoglyphs, styled letters, marks, invisibles", () => {
  for (const text of [
    "TaRnIbEx",
    "taaarrrnibexxx",
    "t4rn1b3x",
    "7@rn!bex",
    "tаrnіbех", // Cyrillic а і е х
    "𝖙𝖆𝖗𝖓𝖎𝖇𝖊𝖝",
    "ｔａｒｎｉｂｅｘ",
    "🅣🅐🅡🅝🅘🅑🅔🅧",
    "t̶ä̊r̃ñîbëx",
    "t\u200Bar\u00ADni\u2060b\uFEFFex",
    "\u202Exebinrat\u202C",
  ]) {
    assert.deepEqual(terms(text), ["tarnibex"], text);
  }
});

test("many-to-one look-alikes: rn for m, vv for w, cl for d", () => {
  assert.deepEqual(terms("rnadvvell"), ["madwell"]);
  assert.deepEqual(terms("rnaclwell"), ["madwell"]);
});

test("emoji codes match through variation selectors, skin tones, joiners and invisibles, in order only", () => {
  for (const text of ["🦩🧃", "🦩\uFE0F🧃", "🦩🏽\u200D🧃", "🦩\u200B🧃 yum"]) assert.equal(one(text).view, "emoji", text);
  assert.deepEqual(terms("🧃🦩 🦩 🧃 🦩🍕🧃"), []);
});

test("hasMatch agrees with match and stops early", () => {
  assert.equal(lexicon.hasMatch("hello there"), false);
  assert.equal(lexicon.hasMatch("hello t4rnibex"), true);
  assert.equal(lexicon.hasMatch("🦩🧃"), true);
});

test("bad input: lone surrogates and control characters are matched around, never thrown on", () => {
  assert.deepEqual(terms("\uD800tarnibex\uDFFF"), ["tarnibex"]);
  assert.deepEqual(terms("\u0000qoz\u0007\u001B[0m"), ["qoz"]);
  assert.deepEqual(terms("\uDC00\uD800\uDBFF"), []);
});

test("bad input: a megabyte text is cut at maxChars and flagged, in bounded time", () => {
  const text = "lorem ipsum ".repeat(90_000) + " tarnibex";
  const started = performance.now();
  const scan = lexicon.scan(text);
  assert.equal(scan.isTruncated, true);
  assert.equal(scan.scannedChars, 100_000);
  assert.deepEqual(scan.hits, []);
  assert.ok(performance.now() - started < 2_000);
  const generous = compileLexicon({ entries: [{ term: "tarnibex", category: "c", severity: "block" }] }, { maxChars: 2_000_000 });
  assert.equal(generous.scan(text).hits.length, 1);
});

test("bad input: maxChars with onTooLong reject throws TEXT_TOO_LONG", () => {
  const strict = compileLexicon({ entries: [{ term: "qoz", category: "c", severity: "block" }] }, { maxChars: 10, onTooLong: "reject" });
  assert.equal(strict.match("qoz").length, 1);
  assert.throws(() => strict.match("qoz".repeat(10)), (e) => isLapwingError(e) && e.code === "TEXT_TOO_LONG");
});

test("bad input: a million combining marks cost linear time", () => {
  const text = "t" + "\u0301".repeat(1_000_000) + "arnibex";
  const generous = compileLexicon({ entries: [{ term: "tarnibex", category: "c", severity: "block" }] }, { maxChars: 2_000_000 });
  const started = performance.now();
  const hits = generous.match(text);
  assert.equal(hits.length, 1);
  assert.equal(hits[0].start, 0);
  assert.ok(performance.now() - started < 2_000);
});

test("bad input: adversarial ambiguity (long runs of 1, I, !) stays bounded", () => {
  const text = ("1I!|" + "1l".repeat(5)).repeat(10_000);
  const started = performance.now();
  lexicon.match(text);
  assert.ok(performance.now() - started < 3_000);
});

test("bad input: a non-string text is a VALIDATION_FAILED error", () => {
  assert.throws(() => lexicon.match(42 as unknown as string), (e) => isLapwingError(e) && e.code === "VALIDATION_FAILED");
});

test("lexicon problems surface at compile time with a pointer", () => {
  assert.throws(
    () => compileLexicon({ entries: [{ term: "\u200B\u200B", category: "c", severity: "block" }] }),
    (e) => isLapwingError(e) && e.code === "LEXICON_INVALID" && e.pointer === "/entries/0/term",
  );
  assert.throws(() => compileLexicon({ entries: [] }), (e) => isLapwingError(e) && e.code === "LEXICON_INVALID");
  assert.throws(
    () => compileLexicon({ entries: [{ term: "x", category: "c", severity: "block" }] }, { maxChars: 0 }),
    (e) => isLapwingError(e) && e.code === "VALIDATION_FAILED",
  );
});

test("entries sharing a normalised term are all reported", () => {
  const twin = compileLexicon({
    entries: [
      { term: "Zumbo", category: "a", severity: "block" },
      { term: "zumbo", category: "b", severity: "review" },
    ],
  });
  assert.deepEqual(
    twin.match("ZUMBO").map((h) => [h.term, h.category]),
    [
      ["Zumbo", "a"],
      ["zumbo", "b"],
    ],
  );
});
