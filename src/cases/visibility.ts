import type { AuditEntry } from "../audit/index.js";

/**
 * Restricted cases (a child sexual abuse hash match, or a reviewer's `csam`
 * confirmation) exist only for callers who may view child-safety cases
 * (`mayViewChildSafetyCases`, src/users/roles.ts). Every route that could name
 * one (cases, actions, events, audit) asks the case service which case ids are
 * restricted (`restrictedAmong`) and hides them: audit entries with these
 * functions, actions with `redactAction` (src/actions), events and cases by
 * reading as not found. docs/cases.md lists what each route shows.
 */

/** The case ids an audit entry names: its target when that is a case, and `details.caseId`. */
export function caseIdsInAuditEntry(entry: AuditEntry): string[] {
  const ids: string[] = [];
  if (entry.target?.type === "case") ids.push(entry.target.id);
  if (typeof entry.details.caseId === "string") ids.push(entry.details.caseId);
  return ids;
}

/**
 * An audit entry about a restricted case, as others see it: when, who and
 * what kind of step stay (and the hashes, so `GET /v1/audit/verify` still
 * checks the chain), the target and details go.
 */
export function redactAuditEntry(entry: AuditEntry): AuditEntry & { redacted: true } {
  return { ...entry, target: null, details: {}, redacted: true };
}
