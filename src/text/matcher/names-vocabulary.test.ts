// Names in the vocabulary (issue 9): a brand, person or place one edit from a
// term is the name wherever it stands, also where convention capitalises every
// word; only the name itself, as written, is protected, never a misspelling
// close to it. Stand-in words of our own (no real brand, no held-out term).
import { test } from "node:test";
import assert from "node:assert/strict";
import { LapwingError } from "../../errors/index.js";
import { compileLexicon } from "./compiled-lexicon.js";

const entries = [
  { term: "vellorox", category: "coded-term", severity: "block" as const },
  { term: "kestrelbo", category: "coded-term", severity: "review" as const },
];
// "Vellorix" stands for a brand the shipped names list holds, one edit from the term "vellorox".
const withName = compileLexicon({ entries }, { vocabulary: ["garden", "Vellorix"] });
const withoutName = compileLexicon({ entries }, { vocabulary: ["garden"] });
const found = (lexicon: typeof withName, text: string) => lexicon.match(text).map((h) => `${h.term}:${h.how}:${h.distance}`);

test("a known name one edit from a term is no hit at a sentence's start, mid-sentence, in lower case or in a hashtag", () => {
  for (const text of ["Vellorix announced a new model", "VELLORIX ANNOUNCED A NEW MODEL", "Vellorix's new model", "Big news. Vellorix is hiring", "ok\n- Vellorix", "bought it on vellorix today", "#vellorix", "love it #VellorixLife", "new Vellorix trainers"]) {
    assert.deepEqual(found(withName, text), [], text);
  }
  // Without the name the same texts are read as the term misspelt (the capital at a sentence's start says nothing).
  assert.deepEqual(found(withoutName, "Vellorix announced a new model"), ["vellorox:approximate:1"]);
  assert.deepEqual(found(withoutName, "bought it on vellorix today"), ["vellorox:approximate:1"]);
});

test("a misspelt term is caught next to a name and when it is one edit from the name too", () => {
  assert.deepEqual(found(withName, "Vellorix fans: vellrox dm me"), ["vellorox:approximate:1"], "two edits from the name, one from the term");
  assert.deepEqual(found(withName, "Vellorux dm me"), ["vellorox:approximate:1"], "one edit from the name and from the term: only the name as written is protected");
  assert.deepEqual(found(withName, "#vellorax"), ["vellorox:approximate:1"]);
  assert.deepEqual(found(withName, "VELLORUX DM ME"), ["vellorox:approximate:1"], "in capitals too");
  assert.deepEqual(found(withName, "vellorox and Vellorix"), ["vellorox:exact:0"], "the term itself beside the name");
});

test("a lexicon's own names are never matched approximately; exact and folded readings of a term still are", () => {
  const own = compileLexicon({ entries, names: ["Kestrelby", "Acme Vellorix"] });
  assert.deepEqual(own.names, ["Kestrelby", "Acme Vellorix"]);
  assert.deepEqual(found(own, "Kestrelby opens at noon"), []);
  assert.deepEqual(found(own, "see you at vellorix"), [], "each word of a name of several words is a name");
  assert.deepEqual(found(own, "kestrelbo, k3strelbo"), ["kestrelbo:exact:0", "kestrelbo:folded:0"]);
  assert.deepEqual(found(own, "Kestrelbi dm me"), ["kestrelbo:approximate:1"], "a misspelling that is not the name itself");
  assert.deepEqual(found(compileLexicon({ entries }), "Kestrelby opens at noon"), ["kestrelbo:approximate:1"], "without the allow-list");
  assert.deepEqual(compileLexicon({ entries }).names, []);
});

test("a lexicon's names are checked: an array of non-empty strings", () => {
  const refused = (names: unknown, pointer: string) =>
    assert.throws(() => compileLexicon({ entries, names }), (e: unknown) => e instanceof LapwingError && e.code === "LEXICON_INVALID" && e.pointer === pointer, JSON.stringify(names));
  refused("Kestrelby", "/names");
  refused(["Kestrelby", ""], "/names/1");
  refused([42], "/names/0");
  refused(["x".repeat(201)], "/names/0");
  refused(Array.from({ length: 10_001 }, (_, i) => `name${i}`), "/names");
});
