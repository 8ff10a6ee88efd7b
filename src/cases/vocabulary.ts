// The words of the review queue, apart from the service so that the command line can offer them
// as choices (`lapwing cases list --state`) without loading the service and the store.

export const caseStates = ["open", "claimed", "escalated", "decided"] as const;
export type CaseState = (typeof caseStates)[number];

/**
 * What a reviewer decides:
 * - `confirm` (with a category): the automated holds and blocks become removals; suspensions stay;
 * - `dismiss`: every automated action of the case is reversed (content released, suspension lifted);
 * - `escalate`: the case goes back to the queue as urgent and `escalated`, for a senior reviewer;
 * - `safeguard`: the account holder appears to be a minor: help resources are sent, their
 *   suspension is lifted, and held content is removed (it may show them).
 */
export const reviewerDecisions = ["confirm", "dismiss", "escalate", "safeguard"] as const;
export type ReviewerDecision = (typeof reviewerDecisions)[number];
