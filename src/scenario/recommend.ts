import type { Dice } from "../random/index.js";
import type { Csr } from "../graph/index.js";

/** Options of {@link suggestAccounts}. */
export interface SuggestOptions {
  /** Suggestions per viewer. Default 20. */
  readonly limit?: number;
  /** At most this many of the viewer's followees are looked through. Default 10. */
  readonly followeesSampled?: number;
  /** At most this many followers of each followee ("people who follow X"). Default 5. */
  readonly followersSampled?: number;
  /** At most this many followees of each of those. Default 15. */
  readonly secondSampled?: number;
}

/**
 * A deliberately ordinary "suggested for you" recommender, the kind the
 * investigation found connecting buyers to sellers: it suggests accounts that
 * the viewer's followees follow and that the followers of the viewer's
 * followees also follow ("people who follow X also follow Y"), counted and
 * divided by the square root of each candidate's follower count so that
 * celebrities do not fill every list. It knows nothing about the network, so a
 * viewer who follows one seller is shown that seller's ring. A viewer who
 * follows nobody gets the most followed accounts.
 *
 * Sampling keeps it linear in the number of viewers; the samples come from `d`,
 * so a seed replays the same suggestions.
 */
export function suggestAccounts(
  following: Csr,
  followers: Csr,
  viewers: Uint32Array,
  d: Dice,
  options: SuggestOptions = {},
  onViewer: (viewer: number, candidates: readonly number[]) => void,
): void {
  const limit = options.limit ?? 20;
  const maxFollowees = options.followeesSampled ?? 10;
  const maxFollowers = options.followersSampled ?? 5;
  const maxSecond = options.secondSampled ?? 15;
  const n = following.offsets.length - 1;
  const score = new Float64Array(n);
  const touched: number[] = [];
  const popular = mostFollowed(followers, limit * 2);

  const sample = (row: Csr, v: number, max: number, visit: (u: number) => void) => {
    const start = row.offsets[v]!;
    const length = row.offsets[v + 1]! - start;
    if (length <= max) {
      for (let k = 0; k < length; k++) visit(row.targets[start + k]!);
    } else {
      for (let k = 0; k < max; k++) visit(row.targets[start + Math.floor(d.next() * length)]!);
    }
  };
  const credit = (c: number, weight: number) => {
    if (score[c] === 0) touched.push(c);
    score[c]! += weight;
  };

  for (const viewer of viewers) {
    const follows = (c: number) => binaryHas(following.targets, following.offsets[viewer]!, following.offsets[viewer + 1]!, c);
    sample(following, viewer, maxFollowees, (f) => {
      sample(following, f, maxSecond, (c) => credit(c, 1));
      sample(followers, f, maxFollowers, (g) => {
        if (g !== viewer) sample(following, g, maxSecond, (c) => credit(c, 0.5));
      });
    });
    // Keep the best `limit` candidates in a small sorted list (ties by account number, for replay).
    const best: number[] = [];
    const bestWeight: number[] = [];
    for (const c of touched) {
      if (c === viewer || follows(c)) continue;
      const w = score[c]! / Math.sqrt(1 + followers.offsets[c + 1]! - followers.offsets[c]!);
      if (best.length === limit && (w < bestWeight[limit - 1]! || (w === bestWeight[limit - 1]! && c > best[limit - 1]!))) continue;
      let at = best.length;
      while (at > 0 && (bestWeight[at - 1]! < w || (bestWeight[at - 1]! === w && best[at - 1]! > c))) at--;
      best.splice(at, 0, c);
      bestWeight.splice(at, 0, w);
      if (best.length > limit) {
        best.pop();
        bestWeight.pop();
      }
    }
    const chosen = best;
    for (const c of popular) {
      if (chosen.length >= limit) break;
      if (c !== viewer && !follows(c) && !chosen.includes(c)) chosen.push(c);
    }
    for (const c of touched) score[c] = 0;
    touched.length = 0;
    onViewer(viewer, chosen);
  }
}

/** The `count` most followed accounts, most followed first. */
function mostFollowed(followers: Csr, count: number): number[] {
  const n = followers.offsets.length - 1;
  const degree = (v: number) => followers.offsets[v + 1]! - followers.offsets[v]!;
  const top: number[] = [];
  for (let v = 0; v < n; v++) {
    if (top.length === count && degree(v) <= degree(top[count - 1]!)) continue;
    let at = top.length;
    while (at > 0 && degree(top[at - 1]!) < degree(v)) at--;
    top.splice(at, 0, v);
    if (top.length > count) top.pop();
  }
  return top;
}

function binaryHas(sorted: Uint32Array, lo: number, hi: number, value: number): boolean {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid]!;
    if (v === value) return true;
    if (v < value) lo = mid + 1;
    else hi = mid;
  }
  return false;
}
