// The lists the command tree offers as choices, read from the small modules that define them rather
// than from their capabilities' index files: an index loads the capability's service, and with it the
// store and kysely, which `lapwing --help` must not load (test/cli/help-loads.test.ts checks it).
export { auditActor } from "../audit/actors.js";
export { apiScopes, type ApiScope } from "../auth/scopes.js";
export { bankFileFormats, matchVerdicts, signalTypes, type BankFileFormat, type MatchVerdict, type SignalType } from "../banks/types.js";
export { caseStates, reviewerDecisions, type CaseState, type ReviewerDecision } from "../cases/vocabulary.js";
export { contentKinds, searchSurfaces, textSurfaces, type ContentKind, type SearchSurface } from "../lexicons/surfaces.js";
export { recommendationSurfaces, type RecommendationSurface } from "../network/guard.js";
export { reviewPriorities, type ReviewPriority } from "../policy/format.js";
export { auditDefaults, walkChoices, type WalkChoice } from "../recs/audit/types.js";
export { reportStates, type ReportState } from "../reports/states.js";
export { industryClassifications, type IndustryClassification } from "../reports/types.js";
export { defaultDemoAccounts } from "../demo/defaults.js";
export { defaultScenarioAccounts, maxScenarioAccounts, minScenarioAccounts } from "../scenario/scale.js";
export { roles, type Role } from "../users/roles.js";
export { reportAnnotations, type ReportAnnotation } from "../safeguarding/assess.js";
