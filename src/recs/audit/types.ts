import type { RecommendationSurface } from "../../network/index.js";

/** The viewer groups the audit reports on, in report order. */
export const viewerGroups = ["teen", "fresh", "other"] as const;

export type ViewerGroup = (typeof viewerGroups)[number];

/** The simulated viewers of each group (platform account ids). */
export type ViewerGroups = Record<ViewerGroup, string[]>;

/** What a source knows about the walk that asks it for suggestions. */
export interface SuggestContext {
  /** The simulated account walking (the one the suggestions are shown to). */
  origin: string;
  /** 1 for the first request of a walk, K for the last. */
  step: number;
  /** The accounts the simulated account followed so far in this walk, in order. */
  followed: readonly string[];
}

/**
 * Where suggestions come from: a platform's recommender, recorded or live.
 * `viewer` is the walk's current position: the simulated account itself at
 * step 1, then the account it followed last ("suggested after following X"),
 * which is how a recorded file `{"recs": {X: [...]}}` continues a walk.
 */
export interface RecommendationSource {
  /** Says where the suggestions come from, for the report ("file recs.json", a URL template). */
  readonly description: string;
  suggest(viewer: string, surface: RecommendationSurface, context: SuggestContext): Promise<string[]>;
}

/**
 * The recommender guard as the audit sees it (the guard itself lives with the
 * network service; POST /v1/recommendations/filter serves it): the candidates
 * a viewer may be shown, in input order.
 */
export type RecommendationGuard = (viewer: string, surface: RecommendationSurface, candidates: string[]) => Promise<GuardAnswer>;

/** What a guard answers: the candidates kept, and optionally why each other one was removed (to explain over-filtering). */
export interface GuardAnswer {
  kept: string[];
  removed?: { id: string; reason: string }[];
}

/** How a simulated account picks the next account to follow among the top suggestions. */
export const walkChoices = ["uniform", "rank"] as const;

export type WalkChoice = (typeof walkChoices)[number];

/** The settings of one audit run; every field but the inputs has a default (see `auditDefaults`). */
export interface AuditSettings {
  /** K: suggestion requests per walk, and the longest reach curve (k = 1..K). */
  steps: number;
  /** Independent walks from each simulated account. */
  walksPerViewer: number;
  /** The walk follows one of the first `topM` suggestions shown. */
  topM: number;
  /** `uniform` among the top M, or `rank`: weight 1/rank, so the first suggestion is the likeliest. */
  choice: WalkChoice;
  /** Seed of the walks' pseudo-random choices: the same seed and inputs give the same report. */
  seed: number;
  /** At most this many simulated accounts per group, a seeded sample when a group has more (0: all). */
  maxViewersPerGroup: number;
  /** Walks in flight at once (each makes at most one source request and one guard call at a time). */
  concurrency: number;
}

export const auditDefaults: AuditSettings = Object.freeze({
  steps: 5,
  walksPerViewer: 10,
  topM: 5,
  choice: "uniform",
  seed: 1,
  maxViewersPerGroup: 0,
  concurrency: 8,
});

/** The inputs of one audit run. */
export interface AuditInput {
  source: RecommendationSource;
  viewers: ViewerGroups;
  /** The accounts (or items) that count as the network; from a labels file or from Lapwing's network candidates. */
  networkAccounts: ReadonlySet<string>;
  surfaces: readonly RecommendationSurface[];
  /** When given, every walk is run a second time with the guard between the source and the viewer. */
  guard?: RecommendationGuard;
  /** Says which guard ran, for the report. */
  guardDescription?: string;
  /** ISO time stamped on the report (a parameter, so a run replays exactly). */
  generatedAt: string;
  settings?: Partial<AuditSettings>;
}

/** The share of walks that reached the network within k steps. */
export interface ReachPoint {
  k: number;
  walks: number;
  share: number | null;
}

/** Outcome of a set of walks, with or without the guard. */
export interface WalkStats {
  /** Walks that were shown a network account within k steps, for k = 1..K. */
  shownWithin: ReachPoint[];
  /** Walks that followed a network account within k steps, for k = 1..K. */
  followedWithin: ReachPoint[];
  /** Steps until the first network account was shown, over the walks that were shown one. */
  stepsToFirst: {
    reached: number;
    mean: number | null;
    median: number | null;
    /** Walks whose first network account came at each step 1..K. */
    histogram: { step: number; walks: number }[];
    notWithinK: number;
  };
  /** Every suggestion shown along the walks, and how many of them were network accounts. */
  exposure: { shown: number; network: number; share: number | null };
  /** Walks that ended early because no suggestion was left to follow. */
  deadEnds: number;
}

/** What the guard removed along the guarded walks. */
export interface OverFiltering {
  benignSeen: number;
  benignRemoved: number;
  /** benignRemoved / benignSeen: over-filtering, a failure too (goal: at most 0.02). */
  share: number | null;
  networkSeen: number;
  networkRemoved: number;
  /** networkRemoved / networkSeen: how much of the network the guard caught. */
  networkRemovedShare: number | null;
  /** Why the guard removed benign candidates, most frequent first ("unstated" when it gave no reason). */
  benignRemovedByReason: { reason: string; removed: number }[];
}

export interface GroupSurfaceReport {
  group: ViewerGroup;
  surface: RecommendationSurface;
  viewers: number;
  walks: number;
  withoutGuard: WalkStats;
  withGuard: (WalkStats & { overFiltering: OverFiltering }) | null;
}

/** The audit's result: what `--json` prints and the HTML report draws. */
export interface AuditReport {
  generatedAt: string;
  source: string;
  guard: string | null;
  settings: AuditSettings;
  surfaces: RecommendationSurface[];
  networkSize: number;
  results: GroupSurfaceReport[];
  /** Over-filtering over every group and surface (null without a guard). */
  overFiltering: OverFiltering | null;
  /** The network accounts the recommender showed most often (without the guard), per surface. */
  topNetworkAccounts: { surface: RecommendationSurface; id: string; timesShown: number }[];
}
