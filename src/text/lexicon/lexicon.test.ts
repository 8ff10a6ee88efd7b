import { test } from "node:test";
import assert from "node:assert/strict";
import { isLapwingError } from "../../errors/index.js";
import { parseLexicon, validateLexicon } from "./lexicon.js";

function rejects(value: unknown, pointer: string) {
  assert.throws(
    () => (typeof value === "string" ? parseLexicon(value) : validateLexicon(value)),
    (error) => isLapwingError(error) && error.code === "LEXICON_INVALID" && error.pointer === pointer,
    `expected LEXICON_INVALID at ${pointer}`,
  );
}

const entry = { term: "vornaxle", category: "coded-term", severity: "block" };

test("a valid lexicon comes back typed and frozen", () => {
  const lexicon = validateLexicon({ entries: [entry, { ...entry, term: "xpl", severity: "review", source: "stand-in", note: "n" }] });
  assert.equal(lexicon.entries.length, 2);
  assert.equal(lexicon.entries[1].source, "stand-in");
  assert.ok(Object.isFrozen(lexicon.entries[0]));
});

test("empty, malformed and bad-field lexicons are LEXICON_INVALID with a pointer", () => {
  rejects(null, "");
  rejects([], "");
  rejects({}, "/entries");
  rejects({ entries: [] }, "/entries");
  rejects({ entries: [entry], extra: 1 }, "/extra");
  rejects({ entries: [entry, 3] }, "/entries/1");
  rejects({ entries: [{ ...entry, term: "" }] }, "/entries/0/term");
  rejects({ entries: [{ ...entry, term: "x".repeat(201) }] }, "/entries/0/term");
  rejects({ entries: [{ ...entry, category: 5 }] }, "/entries/0/category");
  rejects({ entries: [entry, entry, entry, { ...entry, severity: "high" }] }, "/entries/3/severity");
  rejects({ entries: [{ ...entry, sevrity: "block" }] }, "/entries/0/sevrity");
  rejects({ entries: [{ ...entry, source: 1 }] }, "/entries/0/source");
  rejects("{not json", "");
});
