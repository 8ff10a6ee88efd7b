import type { ComparisonOp, Condition, DecisionKind, FieldTest, Policy, PolicyMode, PolicySet, ReviewPriority } from "./format.js";
import type { Signal, SignalKind } from "./signals.js";

/** A policy set with the stored version number decisions will cite (0 = the built-in default). */
export interface VersionedPolicySet {
  readonly version: number;
  readonly content: PolicySet;
}

/** What the evaluation knows besides the signals. */
export interface EvaluationContext {
  /** Who or what the signals are about (`account:123`), named in explanations. */
  readonly subject?: string;
}

/** A signal that helped satisfy a policy: its position in the evaluated list, kind and reason. */
export interface MatchedSignal {
  readonly index: number;
  readonly type: SignalKind;
  readonly reason: string;
}

export interface PolicyDecision {
  readonly decision: DecisionKind;
  /** For `review` only. */
  readonly priority?: ReviewPriority;
  readonly policyId: string;
  readonly policyVersion: number;
  readonly mode: PolicyMode;
  readonly matchedSignals: readonly MatchedSignal[];
  /** One sentence: what, which policy, the condition, and the signals that met it. */
  readonly explanation: string;
}

export interface Evaluation {
  /** Decisions of `enforce` policies: what to act on. */
  readonly decisions: readonly PolicyDecision[];
  /** What `shadow` policies would have decided: record, never act. */
  readonly shadow: readonly PolicyDecision[];
}

interface Outcome {
  isMet: boolean;
  /** Indices of the signals that made the condition true (sorted on output). */
  matched: Set<number>;
}

/**
 * Evaluates every policy against the signals. Pure and deterministic: the same
 * set, signals and context give the same answer, in the same order (policies
 * by `priority`, higher first, ties in file order; each policy's decisions in
 * its `then` order). Decisions are not merged across policies, so each keeps
 * its own explanation; consumers merge (see {@link summarizeDecisions}).
 *
 * ## Evidence is required
 *
 * A policy fires only when its condition is met *and* at least one signal
 * helped meet it, so `{"not": …}` alone never acts on an empty signal list:
 * every decision can show a reviewer why.
 *
 * @example
 * const { decisions, shadow } = evaluate(await policies.active(), signals, { subject: "account:42" });
 */
export function evaluate(set: VersionedPolicySet, signals: readonly Signal[], context: EvaluationContext = {}): Evaluation {
  const decisions: PolicyDecision[] = [];
  const shadow: PolicyDecision[] = [];
  const ordered = set.content.policies.map((policy, i) => ({ policy, i })).sort((a, b) => b.policy.priority - a.policy.priority || a.i - b.i);
  for (const { policy } of ordered) {
    const outcome = test(policy.when, signals);
    if (!outcome.isMet || outcome.matched.size === 0) continue;
    const matchedSignals = [...outcome.matched].sort((a, b) => a - b).map((index) => ({ index, type: signals[index]!.type, reason: signals[index]!.reason }));
    const target = policy.mode === "shadow" ? shadow : decisions;
    for (const decision of policy.then) {
      const priority = decision.decision === "review" ? decision.priority : undefined;
      target.push({
        decision: decision.decision,
        ...(priority ? { priority } : {}),
        policyId: policy.id,
        policyVersion: set.version,
        mode: policy.mode,
        matchedSignals,
        explanation: explain(decision.decision, priority, policy, set.version, matchedSignals, context),
      });
    }
  }
  return { decisions, shadow };
}

/** The distinct decision kinds asked for and the most urgent review priority among them. */
export function summarizeDecisions(decisions: readonly PolicyDecision[]): { kinds: DecisionKind[]; reviewPriority?: ReviewPriority } {
  const order: readonly DecisionKind[] = ["block", "hold", "suspend", "report", "review", "safeguard", "preserve"];
  const kinds = order.filter((k) => decisions.some((d) => d.decision === k));
  const rank: readonly ReviewPriority[] = ["urgent", "high", "normal", "low"];
  const reviewPriority = rank.find((p) => decisions.some((d) => d.priority === p));
  return reviewPriority ? { kinds, reviewPriority } : { kinds };
}

function test(condition: Condition, signals: readonly Signal[]): Outcome {
  if ("all" in condition) {
    const matched = new Set<number>();
    for (const child of condition.all) {
      const outcome = test(child, signals);
      if (!outcome.isMet) return { isMet: false, matched: new Set() };
      for (const i of outcome.matched) matched.add(i);
    }
    return { isMet: true, matched };
  }
  if ("any" in condition) {
    // Every satisfied branch contributes, so the explanation shows all the evidence, not just the first found.
    const matched = new Set<number>();
    let isMet = false;
    for (const child of condition.any) {
      const outcome = test(child, signals);
      if (!outcome.isMet) continue;
      isMet = true;
      for (const i of outcome.matched) matched.add(i);
    }
    return { isMet, matched };
  }
  if ("not" in condition) return { isMet: !test(condition.not, signals).isMet, matched: new Set() };
  const matched = new Set<number>();
  signals.forEach((signal, i) => {
    if (signal.type === condition.signal && (condition.where ?? []).every((t) => passes(signal, t))) matched.add(i);
  });
  return matched.size >= (condition.atLeast ?? 1) ? { isMet: true, matched } : { isMet: false, matched: new Set() };
}

// A field the signal lacks (an omitted `strength`) passes no test, not even != or not-in.
function passes(signal: Signal, t: FieldTest): boolean {
  const actual = (signal as unknown as Record<string, unknown>)[t.field];
  if (actual === undefined) return false;
  return compare(actual as string | number | boolean, t.op, t.value);
}

function compare(actual: string | number | boolean, op: ComparisonOp, expected: FieldTest["value"]): boolean {
  switch (op) {
    case "==":
      return actual === expected;
    case "!=":
      return actual !== expected;
    case "<":
      return (actual as number) < (expected as number);
    case "<=":
      return (actual as number) <= (expected as number);
    case ">":
      return (actual as number) > (expected as number);
    case ">=":
      return (actual as number) >= (expected as number);
    case "in":
      return (expected as readonly unknown[]).includes(actual);
    case "not-in":
      return !(expected as readonly unknown[]).includes(actual);
  }
}

/** The condition in words: `a hash-match signal with category in ["csam"] and distance <= 10`. */
export function describeCondition(condition: Condition): string {
  if ("all" in condition) return condition.all.length === 1 ? describeCondition(condition.all[0]!) : `all of (${condition.all.map(describeCondition).join("; ")})`;
  if ("any" in condition) return condition.any.length === 1 ? describeCondition(condition.any[0]!) : `any of (${condition.any.map(describeCondition).join("; ")})`;
  if ("not" in condition) return `not (${describeCondition(condition.not)})`;
  const n = condition.atLeast ?? 1;
  // "an" before a vowel sound: not before "user-report", whose "u" sounds like "you".
  const head = n === 1 ? `${/^[aeio]/.test(condition.signal) ? "an" : "a"} ${condition.signal} signal` : `at least ${n} ${condition.signal} signals`;
  const where = condition.where?.map((t) => `${t.field} ${t.op} ${JSON.stringify(t.value)}`).join(" and ");
  return where ? `${head} with ${where}` : head;
}

const decisionWords: Record<DecisionKind, string> = {
  block: "Block",
  hold: "Hold (hide pending review)",
  review: "Review",
  suspend: "Suspend the account pending review",
  report: "Prepare a CyberTipline report",
  safeguard: "Safeguard (the subject appears to be a minor: send help resources)",
  preserve: "Preserve the content and signals in the evidence vault",
};

function explain(kind: DecisionKind, priority: ReviewPriority | undefined, policy: Policy, version: number, matched: readonly MatchedSignal[], context: EvaluationContext): string {
  const what = kind === "review" ? `Review at ${priority} priority` : decisionWords[kind];
  const about = context.subject ? ` for ${context.subject}` : "";
  const mode = policy.mode === "shadow" ? " (shadow mode: recorded, not acted on)" : "";
  const reasons = matched.map((m) => withoutFinalStop(m.reason)).join("; ");
  return `${what}${about}${mode}: policy "${policy.id}" (policy-set version ${version}) asks for it when ${describeCondition(policy.when)}, and ${matched.length === 1 ? "this signal" : `these ${matched.length} signals`} met it: ${reasons}.`;
}

/** The text without trailing full stops and space, so it can end a sentence of ours without "..". */
export function withoutFinalStop(text: string): string {
  return text.trim().replace(/[.\s]+$/, "");
}
