/**
 * Enforcement: from a processed event's signals to a stored decision (with
 * the signals and policy version behind it), the account's case, and the
 * actions for the platform, in the event worker's transaction.
 *
 * @packageDocumentation
 */
export { createEnforcement, type Enforcement, type EnforcementDeps, type EnforcementObserver, type EnforcementOutcome, type AccountSignalsInput } from "./service.js";
export { createEnforcementRepository, type EnforcementRepository } from "./repository.js";
export { subjectOf, eventPolicySignals, ageBandSignal } from "./signals.js";
export type { EnforcementTables } from "./tables.js";
