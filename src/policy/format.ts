import type { SignalKind } from "./signals.js";

// The policy file format, version 1 (docs/policies.md). Types only; validate.ts
// turns untrusted JSON into these.

/** The format version this code reads. */
export const policyFormatVersion = 1;

export const decisionKinds = ["block", "hold", "review", "suspend", "report", "safeguard", "preserve"] as const;
/**
 * What a policy asks for:
 * - `block`: refuse the content or action outright;
 * - `hold`: hide the content until a reviewer decides;
 * - `review`: put the account's case in the queue, with a priority;
 * - `suspend`: suspend the account pending review;
 * - `report`: prepare a CyberTipline report (the reporting flow files it after review);
 * - `safeguard`: the subject appears to be a minor: show help resources, not only punishment;
 * - `preserve`: copy the content (inline bytes while Lapwing still has them, else from its URL or
 *   the platform), the account's details and the signals into the evidence vault (docs/evidence.md).
 */
export type DecisionKind = (typeof decisionKinds)[number];

/** Review priorities, most urgent first. */
export const reviewPriorities = ["urgent", "high", "normal", "low"] as const;
export type ReviewPriority = (typeof reviewPriorities)[number];

export const policyModes = ["enforce", "shadow"] as const;
/** `shadow` policies are evaluated and recorded but never acted on. */
export type PolicyMode = (typeof policyModes)[number];

export const comparisonOps = ["==", "!=", "<", "<=", ">", ">=", "in", "not-in"] as const;
export type ComparisonOp = (typeof comparisonOps)[number];

/** `{ "field": "distance", "op": "<=", "value": 10 }`: one test on one signal. */
export interface FieldTest {
  readonly field: string;
  readonly op: ComparisonOp;
  readonly value: string | number | boolean | readonly (string | number)[];
}

/**
 * At least `atLeast` (default 1) signals of kind `signal` each pass every
 * test in `where` (default: none, so any signal of the kind counts).
 */
export interface SignalCondition {
  readonly signal: SignalKind;
  readonly where?: readonly FieldTest[];
  readonly atLeast?: number;
}

export type Condition =
  | { readonly all: readonly Condition[] }
  | { readonly any: readonly Condition[] }
  | { readonly not: Condition }
  | SignalCondition;

export type Decision =
  | { readonly decision: "review"; readonly priority: ReviewPriority }
  | { readonly decision: Exclude<DecisionKind, "review"> };

export interface Policy {
  /** Stable id, lower-case words and hyphens: `known-csam-hash`. Decisions cite it. */
  readonly id: string;
  /** What the rule is for and why, for operators and reviewers. */
  readonly description: string;
  readonly when: Condition;
  readonly then: readonly Decision[];
  readonly mode: PolicyMode;
  /** Higher runs (and lists) first; default 0. Ties keep file order. */
  readonly priority: number;
}

/** A whole policy file: `{ "version": 1, "policies": [...] }`. */
export interface PolicySet {
  readonly version: typeof policyFormatVersion;
  readonly policies: readonly Policy[];
}
