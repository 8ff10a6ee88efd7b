import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { BRAND_NAMES, DEFAULT_VOCABULARY, readVocabulary } from "./vocabulary.js";

test("the shipped brand names are read as words: header skipped, sorted, unique, and part of the default vocabulary", () => {
  const header = readFileSync(BRAND_NAMES, "utf8").split("\n").filter((line) => line.startsWith("#"));
  assert.ok(header.some((line) => /Source: simple-icons \d+\.\d+\.\d+/.test(line)) && header.some((line) => /CC0-1\.0/.test(line)), "the header names the source, its version and licence");
  const words = readVocabulary([BRAND_NAMES]);
  assert.ok(words.length > 1_000, `${words.length} words`);
  assert.ok(words.every((w) => !w.startsWith("#") && /^[\p{L}\p{M}]{4,}$/u.test(w)), "words of letters only, no comment lines");
  assert.deepEqual(words, [...new Set(words)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  assert.ok(DEFAULT_VOCABULARY.includes(BRAND_NAMES));
});
