import { buildCsr, EdgeBuffer, type EdgeList } from "../graph/index.js";
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
 * A typed-array run of edges: four numbers per edge, no object per edge
 * (13 bytes an edge). The feed is read into one a page at a time and folded
 * into {@link TieFold}; edges to content whose author is not known yet wait in
 * another until it is. Node numbers come from a `NodeIds` the caller owns.
 */
export class EdgeLog {
  src = new Uint32Array(1024);
  dst = new Uint32Array(1024);
  kind = new Uint8Array(1024);
  /** Seconds since the epoch. */
  time = new Float64Array(1024);
  length = 0;

  append(src: number, dst: number, kind: number, time: number): void {
    if (this.length === this.src.length) this.grow();
    const i = this.length++;
    this.src[i] = src;
    this.dst[i] = dst;
    this.kind[i] = kind;
    this.time[i] = time;
  }

  /** Empties the log, keeping its arrays for the next page. */
  clear(): void {
    this.length = 0;
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

export interface TieOptions {
  /** Nodes whose ties are left out of the walk (minors: they are protected, never scored through). 1 = left out. */
  excluded?: Uint8Array;
  /** Nodes whose own (outgoing) ties carry no affinity: observers such as reporters of suspected accounts. */
  observers?: Uint8Array;
  /**
   * One tie per pair of accounts: the weight of d → s is added to s → d's (the
   * pair first seen keeps it, the other weighs 0), so a symmetric build has
   * nothing to merge and allocates no more than it keeps.
   */
  undirected?: boolean;
}

/** Current follows as a CSR with each row's targets sorted, so membership is a binary search. */
export interface FollowIndex {
  readonly offsets: Uint32Array;
  readonly targets: Uint32Array;
}

const following = 1;
const reported = 2;
const emptySlot = -1;
// The interaction sums are kept as Σ w·e^{λ(t − origin)} in single precision; the
// origin moves forward before the exponent could overflow.
const maxExponent = 60;

/**
 * The edge log folded into one state per (source account, target account)
 * pair, incrementally: `fold` adds only the edges read since the last call, so
 * scoring again after a few new events costs those events plus one linear pass
 * over the pairs, never a sort of the whole log. Per pair: whether the source
 * follows the target now and since when (the follow or unfollow with the
 * latest time wins, a later one in the feed on equal times, so a re-sent or
 * out-of-order unfollow is handled), the interactions as a time-decayable sum,
 * and whether the source reported the target (a reported pair carries no
 * affinity at all: a reporter who followed a seller in order to report them is
 * not one of its fans).
 *
 * Pairs live in an open-addressing hash table over typed arrays (about
 * 27 bytes a pair, no object per pair), numbered in the order first seen, so
 * every process that folds the same feed holds the same pairs in the same order.
 */
export class TieFold {
  readonly #lambda: number;
  #src = new Uint32Array(1024);
  #dst = new Uint32Array(1024);
  #followTime = new Float64Array(1024);
  #interactions = new Float32Array(1024);
  #flags = new Uint8Array(1024);
  #length = 0;
  #slots = new Int32Array(2048).fill(emptySlot);
  #origin = Number.NaN;
  /** The newest edge time folded, in seconds: "now" for time decay, so every process agrees. */
  latest = 0;
  /** Edges folded so far (self-ties and unresolvable edges included). */
  edges = 0;
  /** Edges to content whose author is not known yet, in feed order: folded once it is. */
  readonly pending = new EdgeLog();
  /** Goes up whenever a pair's state may have changed: ties, follows and reports built at one version hold until the next. */
  version = 0;

  constructor(halfLifeDays: number) {
    this.#lambda = Math.LN2 / (halfLifeDays * 86_400);
  }

  /** How many pairs are held. */
  get pairs(): number {
    return this.#length;
  }

  /**
   * Folds edges `log[0 .. log.length)`. `accountOf(node)` is the account a node
   * stands for: itself, a content node's author, or -1 when the author is not
   * known yet (the edge waits in `pending`).
   */
  fold(log: EdgeLog, accountOf: (node: number) => number): void {
    if (log.length > 0) this.version += 1;
    for (let i = 0; i < log.length; i++) {
      const t = log.time[i]!;
      if (t > this.latest) this.latest = t;
      this.edges += 1;
      this.#foldOne(log.src[i]!, log.dst[i]!, log.kind[i]!, t, accountOf, true);
    }
  }

  /** Folds the pending edges whose content author has become known. */
  foldPending(accountOf: (node: number) => number): void {
    const { pending } = this;
    let kept = 0;
    for (let i = 0; i < pending.length; i++) {
      const src = pending.src[i]!;
      const dst = pending.dst[i]!;
      const kind = pending.kind[i]!;
      const time = pending.time[i]!;
      if (this.#foldOne(src, dst, kind, time, accountOf, false)) continue;
      pending.src[kept] = src;
      pending.dst[kept] = dst;
      pending.kind[kept] = kind;
      pending.time[kept] = time;
      kept += 1;
    }
    if (kept < pending.length) this.version += 1;
    pending.length = kept;
  }

  /** Returns false when the edge could not be resolved (and, if `keep`, queues it in `pending`). */
  #foldOne(rawSrc: number, rawDst: number, kind: number, time: number, accountOf: (node: number) => number, keep: boolean): boolean {
    const s = accountOf(rawSrc);
    const d = accountOf(rawDst);
    if (s < 0 || d < 0) {
      if (keep) this.pending.append(rawSrc, rawDst, kind, time);
      return false;
    }
    if (s === d) return true;
    const k = this.#pair(s, d);
    if (kind === kindCode.follow || kind === kindCode.unfollow) {
      if (time >= this.#followTime[k]!) {
        this.#followTime[k] = time;
        this.#flags[k] = kind === kindCode.follow ? this.#flags[k]! | following : this.#flags[k]! & ~following;
      }
    } else if (kind === kindCode.report) this.#flags[k]! |= reported;
    else {
      if (Number.isNaN(this.#origin)) this.#origin = time;
      let exponent = this.#lambda * (time - this.#origin);
      if (exponent > maxExponent) {
        this.#moveOrigin(time);
        exponent = 0;
      }
      this.#interactions[k]! += interactionWeight[kind]! * Math.exp(exponent);
    }
    return true;
  }

  #moveOrigin(origin: number): void {
    const factor = Math.exp(-this.#lambda * (origin - this.#origin));
    for (let k = 0; k < this.#length; k++) this.#interactions[k]! *= factor;
    this.#origin = origin;
  }

  /** The pair number of (s, d), or -1 when there is none. */
  #find(s: number, d: number): number {
    const mask = this.#slots.length - 1;
    for (let h = hashPair(s, d) & mask; ; h = (h + 1) & mask) {
      const k = this.#slots[h]!;
      if (k === emptySlot || (this.#src[k] === s && this.#dst[k] === d)) return k;
    }
  }

  /** The pair number of (s, d), added if new. */
  #pair(s: number, d: number): number {
    const mask = this.#slots.length - 1;
    let h = hashPair(s, d) & mask;
    for (;;) {
      const k = this.#slots[h]!;
      if (k === emptySlot) break;
      if (this.#src[k] === s && this.#dst[k] === d) return k;
      h = (h + 1) & mask;
    }
    if (this.#length === this.#src.length) this.#growPairs();
    const k = this.#length++;
    this.#src[k] = s;
    this.#dst[k] = d;
    this.#followTime[k] = Number.NEGATIVE_INFINITY;
    this.#slots[h] = k;
    if (this.#length * 10 > this.#slots.length * 7) this.#rehash(this.#slots.length * 2);
    return k;
  }

  #growPairs(): void {
    this.#resizePairs(Math.ceil(this.#src.length * 1.5));
  }

  #resizePairs(size: number): void {
    const grow = <T extends Uint32Array | Float64Array | Float32Array | Uint8Array>(old: T, make: (n: number) => T): T => {
      const next = make(size);
      next.set((old.length > size ? old.subarray(0, size) : old) as never);
      return next;
    };
    this.#src = grow(this.#src, (n) => new Uint32Array(n));
    this.#dst = grow(this.#dst, (n) => new Uint32Array(n));
    this.#followTime = grow(this.#followTime, (n) => new Float64Array(n));
    this.#interactions = grow(this.#interactions, (n) => new Float32Array(n));
    this.#flags = grow(this.#flags, (n) => new Uint8Array(n));
  }

  #rehash(capacity: number): void {
    const slots = new Int32Array(capacity).fill(emptySlot);
    const mask = capacity - 1;
    for (let k = 0; k < this.#length; k++) {
      let h = hashPair(this.#src[k]!, this.#dst[k]!) & mask;
      while (slots[h] !== emptySlot) h = (h + 1) & mask;
      slots[h] = k;
    }
    this.#slots = slots;
  }

  /**
   * The weighted ties as of the newest edge folded, one per pair in pair
   * order (the pair table's own arrays as sources and targets, so no copy of
   * them): a follow counts 0.5 to 1 by its age, interactions add
   * log2(1 + Σ weight × decay). Ties of excluded nodes, out of observers and
   * of reported pairs weigh 0, which {@link buildCsr} leaves out. The views
   * hold until the next fold.
   */
  tieEdges(options: TieOptions = {}): EdgeList {
    const { excluded, observers, undirected } = options;
    const now = this.latest;
    const lambda = this.#lambda;
    const interactionScale = Number.isNaN(this.#origin) ? 0 : Math.exp(-lambda * (now - this.#origin));
    const weights = new Float32Array(this.#length);
    for (let k = 0; k < this.#length; k++) {
      const s = this.#src[k]!;
      const d = this.#dst[k]!;
      const flags = this.#flags[k]!;
      if ((flags & reported) !== 0) continue;
      if ((excluded !== undefined && (excluded[s] === 1 || excluded[d] === 1)) || (observers !== undefined && observers[s] === 1)) continue;
      const interactions = this.#interactions[k]! * interactionScale;
      const weight = ((flags & following) !== 0 ? 0.5 + 0.5 * Math.exp(-lambda * Math.max(0, now - this.#followTime[k]!)) : 0) + Math.log2(1 + interactions);
      if (weight > 0) weights[k] = weight;
    }
    if (undirected) {
      for (let k = 0; k < this.#length; k++) {
        if (weights[k] === 0) continue;
        const reverse = this.#find(this.#dst[k]!, this.#src[k]!);
        if (reverse < 0 || reverse > k) continue;
        weights[reverse] = weights[reverse]! + weights[k]!;
        weights[k] = 0;
      }
    }
    return { sources: this.#src.subarray(0, this.#length), targets: this.#dst.subarray(0, this.#length), weights };
  }

  /**
   * Who follows whom now, rows sorted: two counting sorts over the pairs (by
   * followee, then by follower), with no weights and nothing to merge (pairs
   * are unique), so the build holds one bucket array beside the result.
   * That bucket is `recycle`'s storage when it is large enough (an index
   * nothing reads any more, which must not be read afterwards), and the
   * result keeps `slack` (a share of its follows) of room to be recycled so.
   */
  followIndex(nodeCount: number, options: { recycle?: FollowIndex; slack?: number } = {}): FollowIndex {
    const src = this.#src;
    const dst = this.#dst;
    const flags = this.#flags;
    const byTarget = new Uint32Array(nodeCount + 1);
    const offsets = new Uint32Array(nodeCount + 1);
    for (let k = 0; k < this.#length; k++) {
      if ((flags[k]! & following) === 0) continue;
      byTarget[dst[k]! + 1]! += 1;
      offsets[src[k]! + 1]! += 1;
    }
    for (let i = 0; i < nodeCount; i++) {
      byTarget[i + 1]! += byTarget[i]!;
      offsets[i + 1]! += offsets[i]!;
    }
    const count = offsets[nodeCount]!;
    const old = options.recycle?.targets;
    const followers = old && old.buffer.byteLength >= count * 4 ? new Uint32Array(old.buffer, 0, count) : new Uint32Array(count);
    const cursor = byTarget.slice(0, nodeCount);
    for (let k = 0; k < this.#length; k++) if ((flags[k]! & following) !== 0) followers[cursor[dst[k]!]!++] = src[k]!;
    const targets = new Uint32Array(count + Math.ceil(count * (options.slack ?? 0))).subarray(0, count);
    const row = offsets.slice(0, nodeCount);
    for (let t = 0; t < nodeCount; t++) for (let p = byTarget[t]!; p < byTarget[t + 1]!; p++) targets[row[followers[p]!]!++] = t;
    return { offsets, targets };
  }

  /** reporter → reported account pairs. */
  reports(): EdgeBuffer {
    const reports = new EdgeBuffer(16);
    for (let k = 0; k < this.#length; k++) if ((this.#flags[k]! & reported) !== 0) reports.add(this.#src[k]!, this.#dst[k]!, 1);
    return reports;
  }

  /**
   * Makes room for `more` pairs beyond those held (at most one per edge about
   * to be folded), so a large fold grows the table once.
   */
  reserve(more: number): void {
    const want = this.#length + more;
    if (want > this.#src.length) this.#resizePairs(want);
    let capacity = this.#slots.length;
    while (want * 10 > capacity * 7) capacity *= 2;
    if (capacity > this.#slots.length) this.#rehash(capacity);
  }

  /**
   * Gives back the arrays' growth slack (up to half of the pair table after
   * a large fold), keeping an eighth for the next increments.
   */
  trim(): void {
    const size = Math.max(1024, this.#length + (this.#length >>> 3));
    if (this.#src.length <= size + (size >>> 2)) return;
    this.#resizePairs(size);
  }
}

function hashPair(s: number, d: number): number {
  let h = Math.imul(s, 0x9e3779b1) ^ Math.imul(d, 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h >>> 0;
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
