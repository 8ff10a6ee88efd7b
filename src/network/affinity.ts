import { EdgeBuffer } from "../graph/index.js";
import type { EdgeKind } from "./tables.js";

/** Edge kinds as small integers, for the typed-array log. */
export const kindCode: Readonly<Record<EdgeKind, number>> = { follow: 0, unfollow: 1, like: 2, share: 3, message: 4, comment: 5, report: 6 };

/**
 * How much one interaction says about a tie, before time decay. Messages say
 * the most (contact), likes the least; a follow is handled as state, not as a
 * count. Repeated interactions add up on a log scale, so a hundred likes is a
 * strong tie but not a hundred times one like.
 */
const interactionWeight = [0, 0, 0.3, 0.5, 1.0, 0.6, 0] as const;

/**
 * The append-only, typed-array copy of the edge log that the graph is built
 * from: four numbers per edge, no object per edge, so ten million edges take
 * about 130 MB. Node numbers come from a `NodeIds` the caller owns.
 */
export class EdgeLog {
  src = new Uint32Array(1024);
  dst = new Uint32Array(1024);
  kind = new Uint8Array(1024);
  /** Seconds since the epoch. */
  time = new Float64Array(1024);
  length = 0;
  /** The newest `occurred_at` seen, in seconds: "now" for time decay, so every process agrees. */
  latest = 0;

  append(src: number, dst: number, kind: number, time: number): void {
    if (this.length === this.src.length) this.grow();
    const i = this.length++;
    this.src[i] = src;
    this.dst[i] = dst;
    this.kind[i] = kind;
    this.time[i] = time;
    if (time > this.latest) this.latest = time;
  }

  private grow(): void {
    const size = this.src.length * 2;
    const src = new Uint32Array(size);
    src.set(this.src);
    const dst = new Uint32Array(size);
    dst.set(this.dst);
    const kind = new Uint8Array(size);
    kind.set(this.kind);
    const time = new Float64Array(size);
    time.set(this.time);
    Object.assign(this, { src, dst, kind, time });
  }
}

export interface AffinityOptions {
  /** Node count (every node number in the log is below it). */
  nodeCount: number;
  /** For each node: itself for an account, its author for a post or comment node, -1 when unknown (the edge is dropped). */
  accountOf: Int32Array;
  /** Nodes whose ties are left out of the walk (minors: they are protected, never scored through). 1 = left out. */
  excluded?: Uint8Array;
  /** Half-life of a tie's weight, in days: recent ties count more. */
  halfLifeDays: number;
}

/** Current follows as a CSR with each row's targets sorted, so membership is a binary search. */
export interface FollowIndex {
  readonly offsets: Uint32Array;
  readonly targets: Uint32Array;
}

export interface Affinity {
  /** Directed affinity ties (follower → followee, actor → target), weighted; reports never appear here. */
  ties: EdgeBuffer;
  follows: FollowIndex;
  /** reporter → reported account pairs. */
  reports: EdgeBuffer;
}

/**
 * Folds the edge log into weighted ties. Per (src, dst) pair, in time order:
 * the latest follow or unfollow decides whether src follows dst now (so a
 * re-sent or out-of-order unfollow is handled); interactions add up with
 * exponential time decay; a pair where src reported dst carries no affinity
 * at all (a reporter who followed a seller in order to report them is not
 * one of its fans).
 */
export function buildAffinity(log: EdgeLog, options: AffinityOptions): Affinity {
  const { nodeCount, accountOf } = options;
  const excluded = options.excluded;
  const n = log.length;
  const lambda = Math.LN2 / (options.halfLifeDays * 86_400);
  const now = log.latest;
  const decay = (t: number) => Math.exp(-lambda * Math.max(0, now - t));

  // Counting sort of the log by resolved source account.
  const src = new Int32Array(n);
  const dst = new Int32Array(n);
  const counts = new Uint32Array(nodeCount + 1);
  for (let i = 0; i < n; i++) {
    const s = accountOf[log.src[i]!]!;
    const d = accountOf[log.dst[i]!]!;
    const keep = s >= 0 && d >= 0 && s !== d;
    src[i] = keep ? s : -1;
    dst[i] = keep ? d : -1;
    if (keep) counts[s + 1]! += 1;
  }
  for (let v = 0; v < nodeCount; v++) counts[v + 1]! += counts[v]!;
  const order = new Uint32Array(counts[nodeCount]!);
  const fill = counts.slice(0, nodeCount);
  for (let i = 0; i < n; i++) if (src[i]! >= 0) order[fill[src[i]!]!++] = i;

  const ties = new EdgeBuffer(Math.max(16, order.length));
  const reports = new EdgeBuffer(16);
  const followOffsets = new Uint32Array(nodeCount + 1);
  let followTargets = new Uint32Array(Math.max(16, order.length >> 1));
  let followCount = 0;
  const row: number[] = [];
  const byDstThenTime = (a: number, b: number) => dst[a]! - dst[b]! || log.time[a]! - log.time[b]!;

  for (let s = 0; s < nodeCount; s++) {
    followOffsets[s] = followCount;
    const start = counts[s]!;
    const end = counts[s + 1]!;
    if (start === end) continue;
    row.length = 0;
    for (let k = start; k < end; k++) row.push(order[k]!);
    if (row.length > 1) row.sort(byDstThenTime);
    const leftOut = excluded !== undefined && excluded[s] === 1;
    for (let k = 0; k < row.length; ) {
      const d = dst[row[k]!]!;
      let following = false;
      let followedAt = 0;
      let interactions = 0;
      let reported = false;
      for (; k < row.length && dst[row[k]!] === d; k++) {
        const i = row[k]!;
        const kind = log.kind[i]!;
        if (kind === kindCode.follow) {
          following = true;
          followedAt = log.time[i]!;
        } else if (kind === kindCode.unfollow) following = false;
        else if (kind === kindCode.report) reported = true;
        else interactions += interactionWeight[kind]! * decay(log.time[i]!);
      }
      if (following) {
        if (followCount === followTargets.length) {
          const grown = new Uint32Array(followTargets.length * 2);
          grown.set(followTargets);
          followTargets = grown;
        }
        followTargets[followCount++] = d;
      }
      if (reported) reports.add(s, d, 1);
      if (reported || leftOut || (excluded !== undefined && excluded[d] === 1)) continue;
      const weight = (following ? 0.5 + 0.5 * decay(followedAt) : 0) + Math.log2(1 + interactions);
      if (weight > 0) ties.add(s, d, weight);
    }
  }
  followOffsets[nodeCount] = followCount;
  return { ties, reports, follows: { offsets: followOffsets, targets: followTargets.subarray(0, followCount) } };
}

/** Whether `a` follows `b` now. */
export function follows(index: FollowIndex, a: number, b: number): boolean {
  if (a + 1 >= index.offsets.length) return false;
  let lo = index.offsets[a]!;
  let hi = index.offsets[a + 1]!;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const t = index.targets[mid]!;
    if (t === b) return true;
    if (t < b) lo = mid + 1;
    else hi = mid;
  }
  return false;
}
