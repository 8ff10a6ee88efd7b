/**
 * What Lapwing asks a platform to do. Each reversal names the action it undoes
 * in `reverses`:
 *
 * - `content.hold`: hide the content pending review (reversed by `content.release`);
 * - `content.block`: take the content down now (reversed by `content.release`);
 * - `content.remove`: a reviewer confirmed held or blocked content: remove it for good;
 * - `content.release`: show content again (a reversal);
 * - `account.suspend`: suspend the account pending review (reversed by `account.unsuspend`);
 * - `account.unsuspend`: lift a suspension (a reversal);
 * - `account.safeguard`: the account holder appears to be a minor: show them the help resources in `details`
 *   (`helpResources`, and `safeguarding.resources` by country), and keep them from the accounts in `details.safeguarding`;
 * - `content.preserve`: upload the content's original bytes to `details.preservation.uploadPath` (evidence for a
 *   legally required report; docs/evidence.md). It does not ask for the content to be hidden or removed.
 */
export const actionKinds = [
  "content.hold",
  "content.block",
  "content.remove",
  "content.release",
  "account.suspend",
  "account.unsuspend",
  "account.safeguard",
  "content.preserve",
] as const;
export type ActionKind = (typeof actionKinds)[number];

/** What an action applies to: the account itself, or one of its posts, comments or media. */
export const targetTypes = ["account", "post", "comment", "media"] as const;
export type TargetType = (typeof targetTypes)[number];

export interface ActionTarget {
  type: TargetType;
  id: string;
}

/** One action, as the webhook body, `GET /v1/actions` and the console show it. */
export interface Action {
  id: string;
  /** Feed position: poll `GET /v1/actions?after=<seq>`. */
  seq: number;
  kind: ActionKind;
  /** The platform's account id (stored as its scoped key, src/events/tenancy.ts). */
  accountId: string;
  /**
   * The platform of the account and the target; absent for the default platform. A Lapwing serving several
   * platforms routes each action by it (docs/tenancy.md).
   */
  platformId?: string;
  /** The content or account to act on, by the platform's own id. */
  target: ActionTarget;
  caseId: string | null;
  decisionId: string | null;
  reverses: string | null;
  actor: string;
  /** One sentence a platform moderator can read. */
  reason: string;
  details: Record<string, unknown>;
  createdAt: string;
  deliveredAt: string | null;
}

/** An action to emit. `key` makes it idempotent: emitting the same key again returns the first action. */
export interface ActionRequest {
  key: string;
  kind: ActionKind;
  /** The account's scoped key (src/events/tenancy.ts): the bare id on the default platform. */
  accountId: string;
  target: ActionTarget;
  caseId?: string;
  decisionId?: string;
  reverses?: string;
  actor: string;
  reason: string;
  details?: Record<string, unknown>;
  eventReceivedAt?: string;
}

/** The kinds a reversal answers, and what reverses them. */
export const reversalOf: Partial<Record<ActionKind, ActionKind>> = {
  "content.hold": "content.release",
  "content.block": "content.release",
  "account.suspend": "account.unsuspend",
};

/** Who reads actions: only callers who may view child-safety cases see why an action of a restricted case was taken. */
export interface ActionViewer {
  canSeeRestricted: boolean;
}

/** The platform (webhooks, API keys) and anyone else without the child-safety role. */
export const platformViewer: ActionViewer = { canSeeRestricted: false };

/** The sentence that replaces the reason of an action in a restricted case. */
export const restrictedReason = "Part of a restricted child-safety case: the reason is shown to child-safety reviewers only.";

/**
 * An action of a restricted case as others see it: what to do, to what, and
 * what it reverses stay (the platform must act on it); the case, the decision,
 * the reason and the details go, except the help resources a safeguard needs.
 */
export function redactAction(action: Action): Action {
  const details: Record<string, unknown> = {};
  // What the platform needs to act: the help to show a young person, and where to upload content to preserve.
  if (action.details.helpResources !== undefined) details.helpResources = action.details.helpResources;
  if (action.details.preservation !== undefined) details.preservation = action.details.preservation;
  if (action.details.safeguarding !== undefined) details.safeguarding = action.details.safeguarding;
  return { ...action, caseId: null, decisionId: null, reason: restrictedReason, details };
}
