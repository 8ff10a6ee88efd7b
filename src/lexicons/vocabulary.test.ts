import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { compileLexicon } from "../text/index.js";
import { DEFAULT_VOCABULARY, NAME_LISTS, readVocabulary } from "./vocabulary.js";

test("the shipped names are read as words: header skipped, sorted, unique, and part of the default vocabulary", () => {
  for (const list of NAME_LISTS) {
    const header = readFileSync(list, "utf8").split("\n").filter((line) => line.startsWith("#"));
    assert.ok(header.some((line) => /Source: .*\d+\.\d+\.\d+/.test(line)) && header.some((line) => /Licence of the data: .*CC0-1\.0/.test(line)), `${list}: the header names the source, its version and licence`);
    const words = readVocabulary([list]);
    assert.ok(words.length > 1_000, `${list}: ${words.length} words`);
    assert.ok(words.every((w) => /^[\p{L}\p{M}]{4,}$/u.test(w)), `${list}: words of letters only, no comment lines`);
    assert.deepEqual(words, [...new Set(words)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), `${list}: sorted, unique`);
    assert.ok(DEFAULT_VOCABULARY.includes(list));
  }
});

test("with the shipped names, a listed name one edit from a term is no hit at a sentence's start; the term misspelt otherwise still is", () => {
  for (const list of NAME_LISTS) {
    const names = readVocabulary([list]);
    // A name picked from the list, not by hand: the first plain one of 8+ letters past its middle.
    const name = names.slice(names.length >> 1).find((w) => /^[A-Z][a-z]{7,}$/.test(w) && !/(.)\1/.test(w)) as string;
    assert.ok(name, list);
    const swap = (c: string) => (c === "q" ? "x" : "q");
    const term = name.slice(0, -2).toLowerCase() + swap(name.at(-2) as string) + name.at(-1); // one edit from the name
    const lexicon = compileLexicon({ entries: [{ term, category: "coded-term", severity: "block" }] }, { vocabulary: names });
    assert.deepEqual(lexicon.match(`${name} announced a new model`), [], `${name} (term ${term})`);
    assert.deepEqual(lexicon.match(`Big news. ${name.toLowerCase()} is hiring`), []);
    const misspelt = term.slice(0, 2) + term.slice(3); // a letter dropped: two edits from the name
    assert.deepEqual(lexicon.match(`${misspelt} dm me`).map((h) => [h.term, h.how]), [[term, "approximate"]], misspelt);
    assert.deepEqual(compileLexicon({ entries: [{ term, category: "coded-term", severity: "block" }] }).match(`${name} announced a new model`).length, 1, "without the names it is read as the term");
  }
});
