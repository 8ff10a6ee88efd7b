import type { CaseDetail } from "../../cases/index.js";

/** The parts of a stored policy decision and signal the report prints (they are stored as JSON). */
interface PrintedDecision {
  policyId?: string;
  decision?: string;
  priority?: string;
  explanation?: string;
}
interface PrintedSignal {
  type?: string;
  reason?: string;
}

/**
 * A case as a person reads it at a terminal (`lapwing cases show ID`; `--json`
 * gives the whole document for scripts): the summary, then each automated
 * decision with its policies and signals, the actions sent, and the history.
 */
export function formatCaseReport(c: CaseDetail): string {
  const lines: string[] = [];
  const flags = [c.restricted ? "RESTRICTED (child-safety reviewers only)" : "", c.reportRequested ? "report requested" : "", c.escalated ? "escalated" : ""].filter(Boolean);
  lines.push(`Case ${c.id}: ${c.state}, priority ${c.priority}${flags.length > 0 ? `, ${flags.join(", ")}` : ""}`);
  lines.push(`  account   ${c.accountId}`);
  lines.push(`  opened    ${c.openedAt} (${c.ageSeconds} s ago), updated ${c.updatedAt}`);
  if (c.claimedBy) lines.push(`  claimed   by ${c.claimedBy} until ${c.claimExpiresAt}`);
  if (c.decidedAt) lines.push(`  decided   ${c.outcome}${c.outcomeCategory ? ` (${c.outcomeCategory})` : ""} by ${c.decidedBy} at ${c.decidedAt}${c.note ? `: ${c.note}` : ""}`);

  lines.push("", `Decisions (${c.decisions.length}), oldest first:`);
  for (const d of c.decisions) {
    lines.push(`  ${d.createdAt}  event ${d.eventId}  policy set v${d.policyVersion}  ${d.kinds.length > 0 ? d.kinds.join(", ") : "no action"}${d.reviewPriority ? ` (review ${d.reviewPriority})` : ""}`);
    for (const p of d.decisions as PrintedDecision[]) lines.push(`    ${p.decision}${p.priority ? ` ${p.priority}` : ""}: ${p.explanation ?? p.policyId}`);
    for (const p of d.shadow as PrintedDecision[]) lines.push(`    shadow, not acted on: ${p.decision} by ${p.policyId}`);
    for (const s of d.signals as PrintedSignal[]) lines.push(`    signal ${s.type}: ${s.reason}`);
  }

  lines.push("", `Actions (${c.actions.length}):`);
  for (const a of c.actions) {
    const delivered = a.deliveredAt ? `delivered ${a.deliveredAt}` : "not delivered";
    lines.push(`  seq ${a.seq}  ${a.kind}  ${a.target.type}:${a.target.id}${a.reverses ? `  reverses ${a.reverses}` : ""}  by ${a.actor}  ${delivered}`);
    lines.push(`    ${a.reason}`);
  }

  lines.push("", "History:");
  for (const h of c.history) lines.push(`  ${h.at}  ${h.actor}  ${h.kind}${Object.keys(h.details).length > 0 ? `  ${JSON.stringify(h.details)}` : ""}`);
  return lines.join("\n") + "\n";
}
