/**
 * What a console user may do. `admin` runs Lapwing (everything an `admin`-scope
 * API key may do); `child_safety_reviewer` is the only role meant to see CSAM
 * cases and evidence (routes opt it in by name, admin is not implied there);
 * `moderator` works the review queue and the synchronous checks; `viewer` may
 * only read what a route marks for viewers.
 */
export const roles = ["admin", "child_safety_reviewer", "moderator", "viewer"] as const;
export type Role = (typeof roles)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (roles as readonly string[]).includes(value);
}

/** Whether a role may see child sexual abuse cases and evidence: child-safety reviewers only, never implied by admin. */
export function mayViewChildSafetyCases(role: Role | undefined): boolean {
  return role === "child_safety_reviewer";
}
