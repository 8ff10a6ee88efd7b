import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LapwingError } from "../errors/index.js";
import { parsePolicySet, validatePolicySet } from "./validate.js";

const good = {
  id: "csam-hash",
  description: "Known abuse media.",
  when: { all: [{ signal: "hash-match", where: [{ field: "distance", op: "<=", value: 10 }, { field: "category", op: "in", value: ["csam"] }] }] },
  then: [{ decision: "hold" }, { decision: "review", priority: "urgent" }],
  mode: "enforce",
};

function rejects(value: unknown, pointer: string, message?: RegExp) {
  assert.throws(
    () => validatePolicySet(value),
    (e: unknown) => {
      assert.ok(e instanceof LapwingError, String(e));
      assert.equal(e.code, "POLICY_INVALID");
      assert.equal(e.pointer, pointer, e.message);
      if (message) assert.match(e.message, message);
      return true;
    },
  );
}

function withPolicy(changes: Record<string, unknown>, index = 0) {
  const policies: unknown[] = [{ ...good, id: "first" }, { ...good, id: "second" }, { ...good, id: "third" }];
  policies[index] = { ...(policies[index] as object), ...changes };
  return { version: 1, policies };
}

describe("validatePolicySet", () => {
  it("accepts a good set, fills priority 0 and freezes it", () => {
    const set = validatePolicySet({ version: 1, policies: [good] });
    assert.equal(set.policies[0]!.priority, 0);
    assert.ok(Object.isFrozen(set.policies[0]));
    assert.deepEqual(validatePolicySet({ version: 1, policies: [] }).policies, [], "an empty set is allowed (it decides nothing)");
  });

  it("points at the bad field", () => {
    rejects(null, "");
    rejects({ version: 2, policies: [] }, "/version", /version 1/);
    rejects({ version: 1 }, "/policies");
    rejects({ version: 1, policies: [], extra: true }, "/extra", /no field "extra"/);
    rejects(withPolicy({ id: "Bad Id" }, 1), "/policies/1/id");
    rejects(withPolicy({ id: "first" }, 1), "/policies/1/id", /already used by \/policies\/0/);
    rejects(withPolicy({ description: "" }), "/policies/0/description");
    rejects(withPolicy({ mode: "dry-run" }, 2), "/policies/2/mode", /enforce.*shadow/);
    rejects(withPolicy({ priority: 1.5 }), "/policies/0/priority");
    rejects(withPolicy({ colour: "red" }), "/policies/0/colour");
    rejects(withPolicy({ when: undefined }), "/policies/0/when");
    rejects(withPolicy({ when: {} }), "/policies/0/when", /one of all, any, not or signal/);
    rejects(withPolicy({ when: { all: [] } }), "/policies/0/when/all");
    rejects(withPolicy({ when: { all: [{ signal: "hash-match", where: [{ field: "distanse", op: "<=", value: 10 }] }] } }, 2), "/policies/2/when/all/0/where/0/field", /fields are .*distance/);
    rejects(withPolicy({ when: { any: [{ signal: "hash-match" }, { signal: "telepathy" }] } }), "/policies/0/when/any/1/signal");
    rejects(withPolicy({ when: { not: { signal: "lexicon-hit", where: [{ field: "term", op: "<", value: "x" }] } } }), "/policies/0/when/not/where/0/op", /compares numbers/);
    rejects(withPolicy({ when: { signal: "advert-score", where: [{ field: "score", op: ">=", value: "0.9" }] } }), "/policies/0/when/where/0/value", /number/);
    rejects(withPolicy({ when: { signal: "lexicon-hit", where: [{ field: "category", op: "in", value: [] }] } }), "/policies/0/when/where/0/value");
    rejects(withPolicy({ when: { signal: "lexicon-hit", where: [{ field: "category", op: "in", value: ["a", 3] }] } }), "/policies/0/when/where/0/value/1");
    rejects(withPolicy({ when: { signal: "age-band", where: [{ field: "isMinor", op: "in", value: [true] }] } }), "/policies/0/when/where/0/op");
    rejects(withPolicy({ when: { signal: "lexicon-hit", atLeast: 0 } }), "/policies/0/when/atLeast");
    rejects(withPolicy({ when: { signal: "lexicon-hit", where: [{ field: "term", op: "==", value: "x", note: "y" }] } }), "/policies/0/when/where/0/note");
    rejects(withPolicy({ then: [] }), "/policies/0/then");
    rejects(withPolicy({ then: [{ decision: "ban" }] }), "/policies/0/then/0/decision", /block, hold, review/);
    rejects(withPolicy({ then: [{ decision: "review" }] }), "/policies/0/then/0/priority", /urgent, high, normal, low/);
    rejects(withPolicy({ then: [{ decision: "hold", priority: "high" }] }), "/policies/0/then/0/priority", /only review takes a priority/);
    rejects(withPolicy({ then: [{ decision: "hold" }, { decision: "hold" }] }), "/policies/0/then/1/decision", /twice/);
  });

  it("refuses conditions nested too deep", () => {
    let when: unknown = { signal: "lexicon-hit" };
    for (let i = 0; i < 9; i++) when = { not: when };
    assert.throws(() => validatePolicySet(withPolicy({ when })), /nest at most/);
  });

  it("bounds the work a set can ask for", () => {
    const test = { field: "term", op: "==", value: "x" };
    assert.throws(() => validatePolicySet(withPolicy({ when: { signal: "lexicon-hit", where: Array(21).fill(test) } })), /1–20 field tests/);
    const wide = { any: Array.from({ length: 100 }, () => ({ signal: "lexicon-hit" })) };
    const many = Array.from({ length: 50 }, (_, i) => ({ ...good, id: `p${i}`, when: wide }));
    assert.throws(() => validatePolicySet({ version: 1, policies: many }), (e: unknown) => e instanceof LapwingError && /at most 5000 conditions/.test(e.message) && e.pointer === "/policies/49/when/any/50");
  });

  it("reports malformed JSON as POLICY_INVALID", () => {
    assert.throws(() => parsePolicySet("{"), (e: unknown) => e instanceof LapwingError && e.code === "POLICY_INVALID" && e.pointer === "");
  });
});
