import type { CaseSummary, Priority } from "../api/types";

export function PriorityBadge({ priority }: { priority: Priority }) {
  return <span className={`badge ${priority}`}>{priority}</span>;
}

export function RestrictedBadge() {
  return (
    <span className="badge restricted" title="Child sexual abuse material: child-safety reviewers only">
      restricted
    </span>
  );
}

/** "4 min", "3 h", "2 d": how long a case has waited. */
export function formatAge(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 36 * 3600) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86400)} d`;
}

/** `user:01J…` as "you" for the reader's own id. */
export function actorName(actor: string | null, myId: string): string {
  if (!actor) return "nobody";
  if (actor === `user:${myId}`) return "you";
  return actor;
}

export function stateText(c: CaseSummary, myId: string): string {
  if (c.state === "claimed") return `claimed by ${actorName(c.claimedBy, myId)}`;
  if (c.state === "decided") return `decided: ${c.outcome ?? "?"}${c.outcomeCategory ? ` (${c.outcomeCategory})` : ""}`;
  return c.state;
}
