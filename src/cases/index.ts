/**
 * Review cases: one undecided case per account, its queue, exclusive claims
 * that expire, reviewer decisions (confirm, dismiss, escalate, safeguard) that
 * emit actions, bulk decisions, and each case's history. docs/cases.md.
 *
 * @packageDocumentation
 */
export {
  createCaseService,
  caseStates,
  reviewerDecisions,
  type CaseService,
  type CaseServiceOptions,
  type CaseState,
  type ReviewerDecision,
  type Reviewer,
  type CaseSummary,
  type CaseDetail,
  type CaseDecisionWithTexts,
  type CaseAccount,
  type CaseQuery,
  type CaseCounts,
  type CaseDecision,
  type CaseHistoryEntry,
  type DecideInput,
  type CaseAttachment,
  type CaseChange,
} from "./service.js";
export { createCaseRepository, type CaseRepository } from "./repository.js";
export type { CaseTables } from "./tables.js";
