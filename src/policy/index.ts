/**
 * Policies: declarative rules that turn signals into decisions (docs/policies.md).
 *
 * Detectors produce {@link Signal}s; {@link evaluate} runs a policy set over
 * them and returns enforced decisions and, apart, what shadow-mode policies
 * would have done; every decision names its policy, the policy-set version,
 * the signals that met it and a sentence why. Policy sets are stored as
 * immutable versions by the {@link createPolicyService | policy service}; the
 * built-in {@link defaultPolicySet} (version 0) applies until one is stored.
 *
 * @example
 * import { evaluate, parseSignals } from "../policy/index.js";
 *
 * const set = await policies.active();
 * const { decisions, shadow } = evaluate(set, parseSignals(body.signals), { subject: "account:42" });
 *
 * ## Safety
 *
 * Shadow decisions must never be acted on; keep them apart from `decisions`
 * all the way to storage. A stored version is never edited: store a new one.
 *
 * @packageDocumentation
 */
export type {
  Signal,
  SignalKind,
  SignalEvidence,
  TextSpan,
  HashMatchSignal,
  LexiconHitSignal,
  AdvertScoreSignal,
  NetworkScoreSignal,
  BanEvasionLinkSignal,
  UserReportSignal,
  AgeBandSignal,
} from "./signals.js";
export { signalFields, signalKinds, parseSignals, type FieldType } from "./signal-fields.js";
export {
  policyFormatVersion,
  decisionKinds,
  reviewPriorities,
  policyModes,
  comparisonOps,
  type PolicySet,
  type Policy,
  type Condition,
  type SignalCondition,
  type FieldTest,
  type ComparisonOp,
  type Decision,
  type DecisionKind,
  type ReviewPriority,
  type PolicyMode,
} from "./format.js";
export { validatePolicySet, parsePolicySet } from "./validate.js";
export { checkPolicyText, locateJsonPointer, positionOf, type PolicyTextProblem, type TextPosition } from "./locate.js";
export {
  evaluate,
  withoutFinalStop,
  describeCondition,
  summarizeDecisions,
  type Evaluation,
  type EvaluationContext,
  type PolicyDecision,
  type MatchedSignal,
  type VersionedPolicySet,
} from "./evaluate.js";
export { defaultPolicySet } from "./default-policies.js";
export { hashMatchSignals, textSignals, type FoundTerm } from "./from-detectors.js";
export { createPolicyService, builtInPolicyVersion, type PolicyService, type PolicySetVersion, type PolicyVersionInfo } from "./service.js";
export { createPolicyRepository, type PolicyRepository } from "./repository.js";
export type { PolicyTables } from "./tables.js";
