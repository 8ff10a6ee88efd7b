import assert from "node:assert/strict";
import { test } from "node:test";
import { compileLexicon } from "../text/index.js";
import { assessBreadth } from "./breadth.js";

test("punctuation the matcher reads as a letter only inside a word does not make a single letter a term", () => {
  const entries = ["$a", "a$", "zq"].map((term) => ({ term, category: "coded-term", severity: "review" as const }));
  const breadth = assessBreadth(compileLexicon({ entries }), []);
  const singleLetter = breadth.terms.filter((t) => t.problems.some((p) => p.includes("single letter"))).map((t) => t.term);
  assert.deepEqual(singleLetter.sort(), ["$a", "a$"]);
  assert.equal(breadth.terms.some((t) => t.term === "zq"), false, "two letters are a term");
});
