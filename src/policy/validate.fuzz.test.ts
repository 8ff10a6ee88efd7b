import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LapwingError } from "../errors/index.js";
import { seededRandom } from "../random/index.js";
import { defaultPolicySet } from "./default-policies.js";
import { evaluate } from "./evaluate.js";
import { parseSignals } from "./signal-fields.js";
import { advertScore, ageBand, hashMatch, lexiconHit, networkScore, userReport } from "./synthetic-signals.js";
import { validatePolicySet } from "./validate.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const junk: Json[] = [null, true, false, 0, -1, 1.5, 1e300, "", "x", "==", "hold", "csam", [], [1], {}, { all: [] }, { signal: "lexicon-hit" }];

// Every path to a value inside `value`, as JSON pointers.
function paths(value: Json, at = ""): string[] {
  if (value === null || typeof value !== "object") return [at];
  const keys = Array.isArray(value) ? value.map((_, i) => String(i)) : Object.keys(value);
  return [at, ...keys.flatMap((k) => paths((value as Record<string, Json>)[k]!, `${at}/${k}`))];
}

function mutate(value: Json, pointer: string, random: () => number): Json {
  if (pointer === "") {
    const r = random();
    if (r < 0.4 || value === null || typeof value !== "object") return junk[Math.floor(random() * junk.length)]!;
    if (Array.isArray(value)) return r < 0.7 ? value.slice(1) : [...value, junk[Math.floor(random() * junk.length)]!];
    const keys = Object.keys(value);
    if (r < 0.7 && keys.length) {
      const { [keys[Math.floor(random() * keys.length)]!]: _, ...rest } = value;
      return rest;
    }
    return { ...value, ["k" + Math.floor(random() * 3)]: junk[Math.floor(random() * junk.length)]! };
  }
  const [, head, ...tail] = pointer.split("/");
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string, Json>;
  copy[head!] = mutate(copy[head!]!, tail.length ? "/" + tail.join("/") : "", random);
  return copy as Json;
}

// The pointer must name something in the input, or a missing member of something that is there.
function resolves(value: Json, pointer: string): boolean {
  let node: Json | undefined = value;
  const parts = pointer === "" ? [] : pointer.slice(1).split("/").map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  for (let i = 0; i < parts.length; i++) {
    if (node === null || typeof node !== "object") return false;
    const next: Json | undefined = (node as Record<string, Json>)[parts[i]!];
    if (next === undefined) return i === parts.length - 1;
    node = next;
  }
  return true;
}

const signals = [hashMatch(), hashMatch({ category: "x", matchVerdict: "hold" }), lexiconHit(), lexiconHit({ severity: "review", surface: "bio" }), advertScore(0.95, "high"), ageBand(true), userReport(), networkScore(0.9)];

describe("policy and signal validation under random damage", () => {
  it("either accepts a damaged set or refuses it with POLICY_INVALID and a pointer into it, and never crashes evaluation", () => {
    const random = seededRandom(20261129);
    const base = JSON.parse(JSON.stringify(defaultPolicySet)) as Json;
    let accepted = 0;
    for (let round = 0; round < 1000; round++) {
      let value = base;
      for (let m = 0, n = 1 + Math.floor(random() * 3); m < n; m++) {
        const all = paths(value);
        value = mutate(value, all[Math.floor(random() * all.length)]!, random);
      }
      try {
        const set = validatePolicySet(value);
        accepted++;
        evaluate({ version: 1, content: set }, signals);
      } catch (error) {
        assert.ok(error instanceof LapwingError, `round ${round}: ${String(error)}`);
        assert.equal(error.code, "POLICY_INVALID");
        assert.ok(error.pointer !== undefined && resolves(value, error.pointer), `round ${round}: pointer ${error.pointer} for ${error.message}`);
      }
    }
    assert.ok(accepted > 25 && accepted < 950, `a useful mix of valid and invalid sets (${accepted} accepted)`);
  });

  it("refuses damaged signals with VALIDATION_FAILED and a pointer into them", () => {
    const random = seededRandom(7);
    const base = JSON.parse(JSON.stringify(signals)) as Json;
    for (let round = 0; round < 2000; round++) {
      const all = paths(base);
      const value = mutate(base, all[Math.floor(random() * all.length)]!, random);
      try {
        parseSignals(value);
      } catch (error) {
        assert.ok(error instanceof LapwingError, `round ${round}: ${String(error)}`);
        assert.equal(error.code, "VALIDATION_FAILED");
        assert.ok(error.pointer?.startsWith("/signals") && resolves(value, error.pointer.slice("/signals".length)), `round ${round}: pointer ${error.pointer}`);
      }
    }
  });
});
