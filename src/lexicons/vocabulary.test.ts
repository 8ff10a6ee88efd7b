import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
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
