import type { CaseDetail } from "../../cases/index.js";

/** The parts of a stored policy decision and signal the report prints (they are stored as JSON). */
interface PrintedDecision {
  policyId?: string;
  decision?: string;
  priority?: string;
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
  lines.push(`  account   ${c.accountId}${c.platformId === undefined ? "" : ` (platform ${c.platformId})`}`);
  lines.push(`  opened    ${c.openedAt} (${c.ageSeconds} s ago), updated ${c.updatedAt}`);
  if (c.claimedBy) lines.push(`  claimed   by ${c.claimedBy} until ${c.claimExpiresAt}`);
  if (c.decidedAt) lines.push(`  decided   ${c.outcome}${c.outcomeCategory ? ` (${c.outcomeCategory})` : ""} by ${c.decidedBy} at ${c.decidedAt}${c.note ? `: ${c.note}` : ""}`);

  lines.push("", `Decisions (${c.decisions.length}), oldest first:`);
  for (const d of c.decisions) {
    lines.push(`  ${d.createdAt}  event ${d.eventId}  policy set v${d.policyVersion}  ${d.kinds.length > 0 ? d.kinds.join(", ") : "no action"}${d.reviewPriority ? ` (review ${d.reviewPriority})` : ""}`);
    // One line per policy (its decisions together); the full sentences are in --json and the actions' reasons.
    for (const [policyId, kinds] of byPolicy(d.decisions as PrintedDecision[])) lines.push(`    policy ${policyId}: ${kinds}`);
    for (const [policyId, kinds] of byPolicy(d.shadow as PrintedDecision[])) lines.push(`    policy ${policyId} (shadow, not acted on): ${kinds}`);
    for (const s of d.signals as PrintedSignal[]) lines.push(`    signal ${s.type}: ${s.reason}`);
  }

  lines.push("", `Actions (${c.actions.length}):`);
  for (const a of c.actions) {
    const delivered = a.deliveredAt ? `delivered ${a.deliveredAt}` : "not delivered";
    lines.push(`  seq ${a.seq}  ${a.kind}  ${a.target.type}:${a.target.id}${a.reverses ? `  reverses ${a.reverses}` : ""}  by ${a.actor}  ${delivered}`);
    // A policy's reason repeats its decision above; a reviewer's says what they decided and why.
    if (a.actor !== "system") lines.push(`    ${a.reason}`);
  }

  lines.push("", "History:");
  for (const h of c.history) {
    // A decision's reason is printed with the decision above.
    const { reason: _shownAbove, ...details } = h.details;
    lines.push(`  ${h.at}  ${h.actor}  ${h.kind}${Object.keys(details).length > 0 ? `  ${JSON.stringify(details)}` : ""}`);
  }
  return lines.join("\n") + "\n";
}

/** Policy id → its decisions in words (`hold, review high`), in the order they came. */
function byPolicy(decisions: readonly PrintedDecision[]): Map<string, string> {
  const grouped = new Map<string, string[]>();
  for (const d of decisions) {
    const id = d.policyId ?? "?";
    grouped.set(id, [...(grouped.get(id) ?? []), `${d.decision}${d.priority ? ` ${d.priority}` : ""}`]);
  }
  return new Map([...grouped].map(([id, kinds]) => [id, kinds.join(", ")]));
}
