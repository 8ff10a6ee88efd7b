import { LapwingError } from "../errors/index.js";
import {
  comparisonOps,
  decisionKinds,
  policyFormatVersion,
  policyModes,
  reviewPriorities,
  type ComparisonOp,
  type Condition,
  type Decision,
  type FieldTest,
  type Policy,
  type PolicySet,
  type ReviewPriority,
} from "./format.js";
import { escapePointer, fieldType, isRecord, signalFields, signalKinds, type FieldType } from "./signal-fields.js";
import type { SignalKind } from "./signals.js";

const maxPolicies = 500;
const maxDepth = 8;
const maxListValues = 1000;
// Bounds on evaluation work: a dry run is at most maxConditionNodes × signals × maxTests comparisons.
const maxConditionNodes = 5000;
const maxTests = 20;
const maxDescriptionChars = 2000;
const idPattern = /^[a-z0-9][a-z0-9-]{0,79}$/;
const numericOps: readonly ComparisonOp[] = ["<", "<=", ">", ">="];

/**
 * Checks that `value` is a policy set (docs/policies.md) and returns it typed,
 * frozen, with defaults filled in (`priority: 0`, `atLeast: 1` left implicit).
 * Throws `POLICY_INVALID` with a JSON pointer to the first problem, such as
 * `/policies/2/when/all/0/where/0/field` for a field the signal does not have.
 * Unknown fields are refused everywhere, so a typo never silently weakens a rule.
 *
 * @example
 * validatePolicySet({ version: 1, policies: [{ id: "x", description: "…", when: { signal: "hash-match", where: [{ field: "distanse", op: "<=", value: 10 }] }, then: [{ decision: "hold" }], mode: "enforce" }] });
 * // throws LapwingError { code: "POLICY_INVALID", pointer: "/policies/0/when/where/0/field" }
 */
export function validatePolicySet(value: unknown): PolicySet {
  if (!isRecord(value)) throw invalid("A policy set is a JSON object: {\"version\": 1, \"policies\": [...]}.", "");
  onlyKeys(value, ["version", "policies"], "", "A policy set");
  if (value.version !== policyFormatVersion) throw invalid(`This Lapwing reads policy format version ${policyFormatVersion}; got ${JSON.stringify(value.version) ?? "none"}.`, "/version");
  const policies = value.policies;
  if (!Array.isArray(policies)) throw invalid("The policy set needs a \"policies\" array.", "/policies");
  if (policies.length > maxPolicies) throw invalid(`A policy set holds at most ${maxPolicies} policies; got ${policies.length}.`, "/policies");
  const seen = new Map<string, number>();
  const budget = { nodes: 0 };
  const out = policies.map((policy: unknown, i: number) => {
    const parsed = validatePolicy(policy, `/policies/${i}`, budget);
    const earlier = seen.get(parsed.id);
    if (earlier !== undefined) throw invalid(`Policy id "${parsed.id}" is already used by /policies/${earlier}; ids are unique.`, `/policies/${i}/id`);
    seen.set(parsed.id, i);
    return parsed;
  });
  return Object.freeze({ version: policyFormatVersion, policies: Object.freeze(out) });
}

/** Parses policy JSON text and validates it; malformed JSON is `POLICY_INVALID` too. */
export function parsePolicySet(json: string): PolicySet {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new LapwingError("POLICY_INVALID", `The policy set is not valid JSON: ${(error as Error).message}`, { pointer: "", cause: error });
  }
  return validatePolicySet(value);
}

function validatePolicy(value: unknown, at: string, budget: { nodes: number }): Policy {
  if (!isRecord(value)) throw invalid("A policy is an object with id, description, when, then and mode.", at);
  onlyKeys(value, ["id", "description", "when", "then", "mode", "priority"], at, "A policy");
  const { id, description, when, then, mode, priority } = value;
  if (typeof id !== "string" || !idPattern.test(id)) throw invalid(`A policy id is 1–80 lower-case letters, digits and hyphens, like "known-csam-hash"; got ${JSON.stringify(id) ?? "none"}.`, `${at}/id`);
  if (typeof description !== "string" || description.trim() === "" || description.length > maxDescriptionChars) {
    throw invalid(`Policy "${id}" needs a "description" (1–${maxDescriptionChars} characters) saying what it is for.`, `${at}/description`);
  }
  if (!(policyModes as readonly unknown[]).includes(mode)) throw invalid(`Policy "${id}" has mode ${JSON.stringify(mode) ?? "none"}; use "enforce" or "shadow".`, `${at}/mode`);
  if (priority !== undefined && (!Number.isInteger(priority) || Math.abs(priority as number) > 1000)) {
    throw invalid(`Policy "${id}" has priority ${JSON.stringify(priority)}; use a whole number from -1000 to 1000 (higher first).`, `${at}/priority`);
  }
  if (when === undefined) throw invalid(`Policy "${id}" needs a "when" condition.`, `${at}/when`);
  const condition = validateCondition(when, `${at}/when`, 1, budget);
  if (!Array.isArray(then) || then.length === 0) throw invalid(`Policy "${id}" needs a non-empty "then" list of decisions.`, `${at}/then`);
  const kinds = new Set<string>();
  const decisions = then.map((d: unknown, i: number) => {
    const decision = validateDecision(d, `${at}/then/${i}`);
    if (kinds.has(decision.decision)) throw invalid(`Policy "${id}" lists "${decision.decision}" twice.`, `${at}/then/${i}/decision`);
    kinds.add(decision.decision);
    return decision;
  });
  return Object.freeze({ id, description, when: condition, then: Object.freeze(decisions), mode: mode as Policy["mode"], priority: (priority as number | undefined) ?? 0 });
}

function validateDecision(value: unknown, at: string): Decision {
  if (!isRecord(value)) throw invalid(`A decision is an object such as {"decision": "hold"} or {"decision": "review", "priority": "high"}.`, at);
  const kind = value.decision;
  if (!(decisionKinds as readonly unknown[]).includes(kind)) throw invalid(`Decision ${JSON.stringify(kind) ?? "none"} is not one of ${decisionKinds.join(", ")}.`, `${at}/decision`);
  if (kind === "review") {
    onlyKeys(value, ["decision", "priority"], at, "A review decision");
    if (!(reviewPriorities as readonly unknown[]).includes(value.priority)) {
      throw invalid(`A review needs a priority: ${reviewPriorities.join(", ")}; got ${JSON.stringify(value.priority) ?? "none"}.`, `${at}/priority`);
    }
    return Object.freeze({ decision: "review", priority: value.priority as ReviewPriority });
  }
  onlyKeys(value, ["decision"], at, `A ${String(kind)} decision (only review takes a priority)`);
  return Object.freeze({ decision: kind as Exclude<Decision["decision"], "review"> });
}

function validateCondition(value: unknown, at: string, depth: number, budget: { nodes: number }): Condition {
  if (depth > maxDepth) throw invalid(`Conditions nest at most ${maxDepth} deep.`, at);
  if (++budget.nodes > maxConditionNodes) throw invalid(`A policy set holds at most ${maxConditionNodes} conditions in all; split the work or simplify the rules.`, at);
  if (!isRecord(value)) throw invalid("A condition is an object with one of all, any, not or signal.", at);
  const keys = Object.keys(value);
  if ("all" in value || "any" in value) {
    const key = "all" in value ? "all" : "any";
    onlyKeys(value, [key], at, `An "${key}" condition`);
    const list = value[key];
    if (!Array.isArray(list) || list.length === 0) throw invalid(`"${key}" takes a non-empty list of conditions.`, `${at}/${key}`);
    const parsed = Object.freeze(list.map((c: unknown, i: number) => validateCondition(c, `${at}/${key}/${i}`, depth + 1, budget)));
    return Object.freeze(key === "all" ? { all: parsed } : { any: parsed });
  }
  if ("not" in value) {
    onlyKeys(value, ["not"], at, "A \"not\" condition");
    return Object.freeze({ not: validateCondition(value.not, `${at}/not`, depth + 1, budget) });
  }
  if ("signal" in value) {
    onlyKeys(value, ["signal", "where", "atLeast"], at, "A signal condition");
    const kind = value.signal;
    if (typeof kind !== "string" || !(signalKinds as string[]).includes(kind)) {
      throw invalid(`Signal ${JSON.stringify(kind)} is not one of ${signalKinds.join(", ")}.`, `${at}/signal`);
    }
    const atLeast = value.atLeast;
    if (atLeast !== undefined && (!Number.isInteger(atLeast) || (atLeast as number) < 1 || (atLeast as number) > 1000)) {
      throw invalid(`"atLeast" is a whole number from 1 to 1000; got ${JSON.stringify(atLeast)}.`, `${at}/atLeast`);
    }
    let where: FieldTest[] | undefined;
    if (value.where !== undefined) {
      if (!Array.isArray(value.where) || value.where.length === 0 || value.where.length > maxTests) throw invalid(`"where" takes 1–${maxTests} field tests such as {"field": "distance", "op": "<=", "value": 10}.`, `${at}/where`);
      where = value.where.map((t: unknown, i: number) => validateFieldTest(t, kind as SignalKind, `${at}/where/${i}`));
    }
    return Object.freeze({ signal: kind as SignalKind, ...(where ? { where: Object.freeze(where) } : {}), ...(atLeast !== undefined ? { atLeast: atLeast as number } : {}) });
  }
  throw invalid(`A condition has one of all, any, not or signal; got ${keys.length ? keys.map((k) => `"${k}"`).join(", ") : "an empty object"}.`, keys.length ? `${at}/${escapePointer(keys[0]!)}` : at);
}

function validateFieldTest(value: unknown, kind: SignalKind, at: string): FieldTest {
  if (!isRecord(value)) throw invalid("A field test is {\"field\", \"op\", \"value\"}.", at);
  onlyKeys(value, ["field", "op", "value"], at, "A field test");
  const { field, op, value: expected } = value;
  const type = typeof field === "string" ? fieldType(kind, field) : undefined;
  if (!type) throw invalid(`A ${kind} signal has no field ${JSON.stringify(field) ?? "(missing)"}; its fields are ${Object.keys(signalFields[kind]).join(", ")}.`, `${at}/field`);
  if (!(comparisonOps as readonly unknown[]).includes(op)) throw invalid(`Operator ${JSON.stringify(op) ?? "(missing)"} is not one of ${comparisonOps.join(" ")}.`, `${at}/op`);
  const theOp = op as ComparisonOp;
  if (numericOps.includes(theOp) && type !== "number") throw invalid(`"${field}" is ${type}; "${theOp}" compares numbers. Use ==, !=, in or not-in.`, `${at}/op`);
  if (theOp === "in" || theOp === "not-in") {
    if (type === "boolean") throw invalid(`"${field}" is true or false; use == or !=.`, `${at}/op`);
    if (!Array.isArray(expected) || expected.length === 0 || expected.length > maxListValues) {
      throw invalid(`"${theOp}" takes a list of 1–${maxListValues} values.`, `${at}/value`);
    }
    expected.forEach((v: unknown, i: number) => checkType(v, type, `${at}/value/${i}`, field as string));
    return Object.freeze({ field: field as string, op: theOp, value: Object.freeze([...expected]) as readonly (string | number)[] });
  }
  checkType(expected, type, `${at}/value`, field as string);
  return Object.freeze({ field: field as string, op: theOp, value: expected as string | number | boolean });
}

function checkType(v: unknown, type: FieldType, at: string, field: string): void {
  const ok = type === "number" ? typeof v === "number" && Number.isFinite(v) : type === "boolean" ? typeof v === "boolean" : typeof v === "string";
  if (!ok) throw invalid(`"${field}" is ${type === "text" ? "text" : `a ${type}`}; got ${JSON.stringify(v) ?? "nothing"}.`, at);
}

function onlyKeys(value: Record<string, unknown>, allowed: readonly string[], at: string, what: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw invalid(`${what} has no field "${key}"; allowed: ${allowed.join(", ")}.`, `${at}/${escapePointer(key)}`);
  }
}

function invalid(message: string, pointer: string): LapwingError {
  return new LapwingError("POLICY_INVALID", message, { pointer });
}
