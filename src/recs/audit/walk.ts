import type { RecommendationSurface } from "../../network/index.js";
import { RecsSourceError } from "./errors.js";
import type { RecommendationGuard, RecommendationSource, WalkChoice } from "./types.js";

/** One simulated account's walk along a recommender's suggestions. */
export interface WalkTrace {
  /** Suggestions shown at each step taken (after the guard, when there is one). */
  shownPerStep: number[];
  /** Network accounts among them at each step. */
  networkPerStep: number[];
  /** The network accounts shown, every time they were shown. */
  networkShown: string[];
  /** The first step at which a network account was shown, or null. */
  firstShownStep: number | null;
  /** The first step at which the walk followed a network account, or null. */
  firstFollowedStep: number | null;
  /** True when the walk stopped before K steps: nothing was left to follow. */
  isDeadEnd: boolean;
  /** What the guard removed (zeros without a guard). */
  benignSeen: number;
  benignRemoved: number;
  networkSeen: number;
  networkRemoved: number;
  /** Benign candidates removed, by the reason the guard gave. */
  benignRemovedReasons: Map<string, number>;
}

export interface WalkParams {
  origin: string;
  surface: RecommendationSurface;
  source: RecommendationSource;
  guard: RecommendationGuard | undefined;
  networkAccounts: ReadonlySet<string>;
  steps: number;
  topM: number;
  choice: WalkChoice;
  /** Uniform floats in [0, 1): the walk's own seeded stream. */
  random: () => number;
}

/**
 * Walks K steps: at each step the simulated account asks for suggestions at
 * its position (itself first, then the account it followed last), the guard
 * (if any) filters them as the platform would before showing them, and the
 * account follows one of the first M it does not follow yet, uniformly or
 * weighted 1/rank. A network account counts as reached when it is shown,
 * and separately when it is followed.
 *
 * ## Why these choices
 * Following continues from the followed account, the way the investigation's
 * test accounts were flooded after viewing one seller; excluding accounts
 * already followed keeps the walk from bouncing between two mutual
 * suggestions; and the walk goes on after reaching the network, because
 * exposure counts everything a viewer would be shown in K steps.
 */
export async function walk(params: WalkParams): Promise<WalkTrace> {
  const { origin, surface, source, guard, networkAccounts, steps, topM, choice, random } = params;
  const trace: WalkTrace = {
    shownPerStep: [],
    networkPerStep: [],
    networkShown: [],
    firstShownStep: null,
    firstFollowedStep: null,
    isDeadEnd: false,
    benignSeen: 0,
    benignRemoved: 0,
    networkSeen: 0,
    networkRemoved: 0,
    benignRemovedReasons: new Map(),
  };
  const followed: string[] = [];
  const isFollowed = new Set<string>([origin]);
  let position = origin;
  for (let step = 1; step <= steps; step++) {
    const candidates = unique(await source.suggest(position, surface, { origin, step, followed: [...followed] }));
    const shown = guard && candidates.length > 0 ? await applyGuard(guard, origin, surface, candidates, networkAccounts, trace) : candidates;
    let network = 0;
    for (const id of shown) {
      if (!networkAccounts.has(id)) continue;
      network++;
      trace.networkShown.push(id);
    }
    trace.shownPerStep.push(shown.length);
    trace.networkPerStep.push(network);
    if (network > 0 && trace.firstShownStep === null) trace.firstShownStep = step;

    const eligible = shown.filter((id) => !isFollowed.has(id)).slice(0, topM);
    if (eligible.length === 0) {
      trace.isDeadEnd = step < steps;
      break;
    }
    const next = eligible[pick(eligible.length, choice, random)]!;
    followed.push(next);
    isFollowed.add(next);
    if (networkAccounts.has(next) && trace.firstFollowedStep === null) trace.firstFollowedStep = step;
    position = next;
  }
  return trace;
}

async function applyGuard(
  guard: RecommendationGuard,
  viewer: string,
  surface: RecommendationSurface,
  candidates: string[],
  networkAccounts: ReadonlySet<string>,
  trace: WalkTrace,
): Promise<string[]> {
  const answer = await guard(viewer, surface, candidates);
  const kept = new Set(answer.kept);
  const reasons = new Map((answer.removed ?? []).map((r) => [r.id, r.reason]));
  const offered = new Set(candidates);
  for (const id of kept) {
    if (!offered.has(id)) throw new RecsSourceError(`The guard kept "${id}", which was not among the candidates it was given; a guard may only remove candidates.`);
  }
  for (const id of candidates) {
    const isNetwork = networkAccounts.has(id);
    const isRemoved = !kept.has(id);
    if (isNetwork) {
      trace.networkSeen++;
      if (isRemoved) trace.networkRemoved++;
    } else {
      trace.benignSeen++;
      if (!isRemoved) continue;
      trace.benignRemoved++;
      const reason = reasons.get(id) ?? "unstated";
      trace.benignRemovedReasons.set(reason, (trace.benignRemovedReasons.get(reason) ?? 0) + 1);
    }
  }
  // Input order, as the guard contract promises, whatever order the guard answered in.
  return candidates.filter((id) => kept.has(id));
}

/** Index of the suggestion to follow among `count`: uniform, or weighted 1/(rank) with rank 1 first. */
function pick(count: number, choice: WalkChoice, random: () => number): number {
  if (choice === "uniform") return Math.min(count - 1, Math.floor(random() * count));
  let total = 0;
  for (let i = 1; i <= count; i++) total += 1 / i;
  let target = random() * total;
  for (let i = 0; i < count; i++) {
    target -= 1 / (i + 1);
    if (target < 0) return i;
  }
  return count - 1;
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}
