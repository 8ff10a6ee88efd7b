import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { LapwingError } from "../errors/index.js";
import { defaultPolicySet } from "./default-policies.js";
import { evaluate } from "./evaluate.js";
import { parseSignals } from "./signal-fields.js";
import { validatePolicySet } from "./validate.js";

const doc = readFileSync(new URL("../../docs/policies.md", import.meta.url), "utf8");
const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as Record<string, unknown>);

describe("docs/policies.md", () => {
  it("shows only policy sets and signals that validate", () => {
    const sets = blocks.filter((b) => "policies" in b);
    const signals = blocks.filter((b) => "signals" in b);
    assert.ok(sets.length >= 1 && signals.length >= 1);
    for (const set of sets) validatePolicySet(set);
    for (const s of signals) parseSignals(s.signals);
  });

  it("quotes the explanation the default set really gives", () => {
    const signals = parseSignals(blocks.find((b) => "signals" in b)!.signals);
    const [first] = evaluate({ version: 0, content: defaultPolicySet }, signals, { subject: "account:a1" }).decisions;
    const quoted = /^> (Hold[\s\S]*?)\n\n/m.exec(doc)![1]!.replace(/\n> /g, " ");
    assert.equal(quoted, first!.explanation);
  });

  it("lists every default policy and quotes a real validation error", () => {
    for (const p of defaultPolicySet.policies) assert.ok(doc.includes(`| \`${p.id}\``), `${p.id} is in the table`);
    const error = blocks.find((b) => "error" in b)!.error as { message: string; pointer: string };
    const bad = { version: 1, policies: [0, 1, 2].map((i) => ({ id: `p${i}`, description: "d", when: { all: [{ signal: "hash-match", where: [{ field: i === 2 ? "distanse" : "distance", op: "<=", value: 1 }] }] }, then: [{ decision: "hold" }], mode: "enforce" })) };
    assert.throws(() => validatePolicySet(bad), (e: unknown) => e instanceof LapwingError && e.message === error.message && e.pointer === error.pointer);
  });
});
