import type { WalkTrace } from "./walk.js";
import type { OverFiltering, ReachPoint, WalkStats } from "./types.js";

/** Sums a set of walks (one group, one surface, with or without the guard) into the report's numbers. */
export function summarizeWalks(traces: readonly WalkTrace[], steps: number): WalkStats {
  const firstShown = traces.map((t) => t.firstShownStep).filter((s): s is number => s !== null);
  const histogram = Array.from({ length: steps }, (_, i) => ({ step: i + 1, walks: firstShown.filter((s) => s === i + 1).length }));
  let shown = 0;
  let network = 0;
  for (const trace of traces) {
    for (const n of trace.shownPerStep) shown += n;
    for (const n of trace.networkPerStep) network += n;
  }
  return {
    shownWithin: reachCurve(traces.map((t) => t.firstShownStep), steps),
    followedWithin: reachCurve(traces.map((t) => t.firstFollowedStep), steps),
    stepsToFirst: {
      reached: firstShown.length,
      mean: firstShown.length ? round(firstShown.reduce((a, b) => a + b, 0) / firstShown.length) : null,
      median: median(firstShown),
      histogram,
      notWithinK: traces.length - firstShown.length,
    },
    exposure: { shown, network, share: ratio(network, shown) },
    deadEnds: traces.filter((t) => t.isDeadEnd).length,
  };
}

/** What the guard removed along a set of guarded walks. */
export function summarizeFiltering(traces: readonly WalkTrace[]): OverFiltering {
  const sum = (key: "benignSeen" | "benignRemoved" | "networkSeen" | "networkRemoved") => traces.reduce((a, t) => a + t[key], 0);
  const reasons = new Map<string, number>();
  for (const t of traces) for (const [reason, n] of t.benignRemovedReasons) reasons.set(reason, (reasons.get(reason) ?? 0) + n);
  return combineFiltering([
    {
      benignSeen: sum("benignSeen"),
      benignRemoved: sum("benignRemoved"),
      networkSeen: sum("networkSeen"),
      networkRemoved: sum("networkRemoved"),
      benignRemovedByReason: [...reasons].map(([reason, removed]) => ({ reason, removed })),
    },
  ]);
}

type FilteringCounts = Pick<OverFiltering, "benignSeen" | "benignRemoved" | "networkSeen" | "networkRemoved" | "benignRemovedByReason">;

/** Adds up filtering counts (per group and surface) into one, with the shares recomputed from the sums. */
export function combineFiltering(parts: readonly FilteringCounts[]): OverFiltering {
  const total = { benignSeen: 0, benignRemoved: 0, networkSeen: 0, networkRemoved: 0 };
  const reasons = new Map<string, number>();
  for (const p of parts) {
    total.benignSeen += p.benignSeen;
    total.benignRemoved += p.benignRemoved;
    total.networkSeen += p.networkSeen;
    total.networkRemoved += p.networkRemoved;
    for (const r of p.benignRemovedByReason) reasons.set(r.reason, (reasons.get(r.reason) ?? 0) + r.removed);
  }
  return {
    ...total,
    share: ratio(total.benignRemoved, total.benignSeen),
    networkRemovedShare: ratio(total.networkRemoved, total.networkSeen),
    benignRemovedByReason: [...reasons]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([reason, removed]) => ({ reason, removed })),
  };
}

function reachCurve(firstSteps: readonly (number | null)[], steps: number): ReachPoint[] {
  return Array.from({ length: steps }, (_, i) => {
    const k = i + 1;
    const reached = firstSteps.filter((s) => s !== null && s <= k).length;
    return { k, walks: reached, share: ratio(reached, firstSteps.length) };
  });
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

/** A share rounded to 6 decimals (stable JSON), or null when there is nothing to divide. */
function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : round(part / whole);
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
