// tenancy.js, not the events index: the command tree reads this file's surfaces and must not load the events service.
import { scopedKey } from "../events/tenancy.js";
import type { NetworkSnapshot } from "./model.js";

export const recommendationSurfaces = ["accounts", "posts", "hashtags", "groups"] as const;
export type RecommendationSurface = (typeof recommendationSurfaces)[number];

/** Why a candidate was taken out; stable strings a platform can count. */
export const removalReasons = {
  "network-member": "the account is suspected of belonging to an abuse network (seeded, actioned or scored)",
  "suspected-pair": "viewer and candidate are both suspected: never introduce them to each other",
  "minor-to-unconnected-adult": "the candidate is a minor and the viewer an adult not already connected with them",
  "safeguarded-from-network": "the candidate is a young person a safeguard decision protects, and the viewer is suspected",
  "held-content": "the content is held, blocked or removed",
  "author-in-network": "the content's author is suspected of belonging to an abuse network",
  "blocked-hashtag": "the hashtag is blocked by the search gate",
} as const;
export type RemovalReason = keyof typeof removalReasons;

export interface FilterRequest {
  viewer: string;
  /** The platform of the viewer and the candidates (account and post ids are per platform); absent for the default one. */
  platformId?: string;
  surface: RecommendationSurface;
  candidates: readonly string[];
}

export interface FilterResult {
  viewer: string;
  /** The candidates that may be shown, in input order. */
  kept: string[];
  removed: { id: string; reason: RemovalReason }[];
}

export interface GuardView {
  snapshot: NetworkSnapshot;
  /** Whether the search gate blocks a hashtag. */
  isBlockedHashtag(tag: string): boolean;
}

/**
 * The recommender guard: takes out of a platform's candidate list whatever
 * would connect people to an abuse network or expose a child. Rules, in order:
 * suspected accounts are never recommended (nor their posts, nor held
 * content); two suspected accounts are never introduced; a safeguarded young
 * person (and their posts) is never shown to a suspected viewer; a minor is never
 * suggested to an adult not already connected with them; hashtags pass
 * through the search gate. Lookups only, no I/O: a few hundred candidates take
 * well under a millisecond.
 */
export function filterRecommendations(view: GuardView, request: FilterRequest): FilterResult {
  const { snapshot } = view;
  const kept: string[] = [];
  const removed: FilterResult["removed"] = [];
  // The snapshot names accounts and content by scoped key (src/events/tenancy.ts); answers keep the platform's ids.
  const key = (id: string) => scopedKey(request.platformId, id);
  const viewer = key(request.viewer);
  const viewerSuspected = snapshot.isGuarded(viewer);
  const viewerIsMinor = snapshot.isMinor(viewer);
  const seen = new Set<string>();
  for (const id of request.candidates) {
    if (seen.has(id)) continue;
    seen.add(id);
    const reason = judge(id);
    if (reason) removed.push({ id, reason });
    else kept.push(id);
  }
  return { viewer: request.viewer, kept, removed };

  function judge(id: string): RemovalReason | undefined {
    switch (request.surface) {
      case "accounts": {
        const account = key(id);
        if (snapshot.isGuarded(account)) return viewerSuspected ? "suspected-pair" : "network-member";
        if (viewerSuspected && snapshot.isSafeguarded(account)) return "safeguarded-from-network";
        if (snapshot.isMinor(account) && !viewerIsMinor && account !== viewer && !snapshot.connected(viewer, account)) return "minor-to-unconnected-adult";
        return undefined;
      }
      case "posts": {
        const post = key(`post:${id}`);
        if (snapshot.isHeld(post)) return "held-content";
        const author = snapshot.authorOf(post);
        if (author && snapshot.isGuarded(author)) return "author-in-network";
        if (author && viewerSuspected && snapshot.isSafeguarded(author)) return "safeguarded-from-network";
        return undefined;
      }
      case "hashtags":
        return view.isBlockedHashtag(id) ? "blocked-hashtag" : undefined;
      case "groups":
        // Lapwing receives no group events yet, so it knows nothing to remove a group for.
        return undefined;
    }
  }
}
