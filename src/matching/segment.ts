import { type ChunkLayout, type SearchPlan, chunkValue, defaultChunkBits, makeChunkLayout, planSearch } from "./chunk-layout.js";
import type { MatchCollector } from "./match-collector.js";
import { PDQ_WORDS } from "./pdq-hash.js";

/**
 * An immutable multi-index-hashing segment: hashes sorted by key plus one
 * CSR bucket table per chunk (`offsets[t][v] .. offsets[t][v + 1]` index
 * `postings[t]`, which holds entry numbers). Only the tombstone bitset
 * changes after construction.
 */
export class Segment {
  readonly count: number;
  /** Ascending, unique. */
  readonly keys: Uint32Array;
  /** 8 words per entry, in key order. */
  readonly hashes: Uint32Array;
  /** Bit e set when entry e was removed. */
  readonly dead: Uint32Array;
  deadCount: number;
  readonly layout: ChunkLayout;
  readonly offsets: readonly Uint32Array[];
  readonly postings: readonly Uint32Array[];
  readonly #plans = new Map<number, SearchPlan>();

  constructor(parts: {
    keys: Uint32Array;
    hashes: Uint32Array;
    dead?: Uint32Array;
    layout: ChunkLayout;
    offsets: Uint32Array[];
    postings: Uint32Array[];
  }) {
    this.count = parts.keys.length;
    this.keys = parts.keys;
    this.hashes = parts.hashes;
    this.dead = parts.dead ?? new Uint32Array((this.count + 31) >>> 5);
    let deadCount = 0;
    for (let i = 0; i < this.dead.length; i++) deadCount += popcount(this.dead[i]);
    this.deadCount = deadCount;
    this.layout = parts.layout;
    this.offsets = parts.offsets;
    this.postings = parts.postings;
  }

  /**
   * Builds the bucket tables with one counting sort per chunk: count bucket
   * sizes, prefix-sum them into offsets, then place entry numbers. Keys must
   * be ascending and unique (see `sortByKey`).
   */
  static build(
    keys: Uint32Array,
    hashes: Uint32Array,
    layout: ChunkLayout = makeChunkLayout(defaultChunkBits(keys.length)),
    dead?: Uint32Array,
  ): Segment {
    const n = keys.length;
    const offsets: Uint32Array[] = [];
    const postings: Uint32Array[] = [];
    const values = new Uint32Array(n);
    let cursor = new Uint32Array(0);
    for (let t = 0; t < layout.bits.length; t++) {
      const bits = layout.bits[t];
      const start = layout.starts[t];
      const buckets = 2 ** bits;
      const off = new Uint32Array(buckets + 1);
      for (let e = 0; e < n; e++) {
        const v = chunkValue(hashes, e * PDQ_WORDS, start, bits);
        values[e] = v;
        off[v + 1]++;
      }
      for (let v = 0; v < buckets; v++) off[v + 1] += off[v];
      if (cursor.length < buckets) cursor = new Uint32Array(buckets);
      cursor.set(off.subarray(0, buckets));
      const post = new Uint32Array(n);
      for (let e = 0; e < n; e++) post[cursor[values[e]]++] = e;
      offsets.push(off);
      postings.push(post);
    }
    return new Segment({ keys, hashes, dead, layout, offsets, postings });
  }

  get liveCount(): number {
    return this.count - this.deadCount;
  }

  /** Entry number of `key`, or -1 (dead entries included). */
  find(key: number): number {
    const keys = this.keys;
    let lo = 0;
    let hi = keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = keys[mid];
      if (k < key) lo = mid + 1;
      else if (k > key) hi = mid - 1;
      else return mid;
    }
    return -1;
  }

  isDead(entry: number): boolean {
    return (this.dead[entry >>> 5] & (1 << (entry & 31))) !== 0;
  }

  kill(entry: number): void {
    if (this.isDead(entry)) return;
    this.dead[entry >>> 5] |= 1 << (entry & 31);
    this.deadCount++;
  }

  plan(maxDistance: number): SearchPlan {
    let plan = this.#plans.get(maxDistance);
    if (plan === undefined) {
      plan = planSearch(this.layout, this.count, maxDistance);
      this.#plans.set(maxDistance, plan);
    }
    return plan;
  }

  /** Offers every live entry within `maxDistance` of `query` (8 words at `qo`) to `out`. */
  search(query: Uint32Array, qo: number, maxDistance: number, out: MatchCollector): void {
    if (this.count === this.deadCount) return;
    const plan = this.plan(maxDistance);
    if (plan.isLinear) {
      verifyRange(null, 0, this.count, this.hashes, this.keys, this.dead, query, qo, maxDistance, out);
      return;
    }
    const { bits, starts } = this.layout;
    for (let t = 0; t < bits.length; t++) {
      const radius = plan.radii[t];
      if (radius < 0) continue;
      const v = chunkValue(query, qo, starts[t], bits[t]);
      const off = this.offsets[t];
      const post = this.postings[t];
      verifyRange(post, off[v], off[v + 1], this.hashes, this.keys, this.dead, query, qo, maxDistance, out);
      if (radius > 0) this.#probe(off, post, v, bits[t], radius, query, qo, maxDistance, out);
    }
  }

  /** Probes every bucket at Hamming distance 1..depth from `v`, flipping only bits below `below`, each subset once. */
  #probe(
    off: Uint32Array,
    post: Uint32Array,
    v: number,
    below: number,
    depth: number,
    query: Uint32Array,
    qo: number,
    maxDistance: number,
    out: MatchCollector,
  ): void {
    for (let i = 0; i < below; i++) {
      const u = v ^ (1 << i);
      const lo = off[u];
      const hi = off[u + 1];
      if (lo < hi) verifyRange(post, lo, hi, this.hashes, this.keys, this.dead, query, qo, maxDistance, out);
      if (depth > 1 && i > 0) this.#probe(off, post, u, i, depth - 1, query, qo, maxDistance, out);
    }
  }
}

function popcount(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/**
 * Verifies entries `post[lo..hi)` (or entries lo..hi when `post` is null),
 * skipping those marked in `dead`, against the query with a SWAR popcount over the 8 words. The first 128 bits
 * are summed alone so that most far candidates are rejected before the rest
 * is counted; per-byte sums stay below 256 because each half adds at most
 * 4 x 8 per byte.
 */
export function verifyRange(
  post: Uint32Array | null,
  lo: number,
  hi: number,
  hashes: Uint32Array,
  keys: Uint32Array,
  dead: Uint32Array | null,
  query: Uint32Array,
  qo: number,
  maxDistance: number,
  out: MatchCollector,
): void {
  const q0 = query[qo];
  const q1 = query[qo + 1];
  const q2 = query[qo + 2];
  const q3 = query[qo + 3];
  const q4 = query[qo + 4];
  const q5 = query[qo + 5];
  const q6 = query[qo + 6];
  const q7 = query[qo + 7];
  for (let j = lo; j < hi; j++) {
    const e = post === null ? j : post[j];
    const b = e << 3;
    let x = hashes[b] ^ q0;
    x = x - ((x >>> 1) & 0x55555555);
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    let acc = (x + (x >>> 4)) & 0x0f0f0f0f;
    x = hashes[b + 1] ^ q1;
    x = x - ((x >>> 1) & 0x55555555);
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    acc += (x + (x >>> 4)) & 0x0f0f0f0f;
    x = hashes[b + 2] ^ q2;
    x = x - ((x >>> 1) & 0x55555555);
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    acc += (x + (x >>> 4)) & 0x0f0f0f0f;
    x = hashes[b + 3] ^ q3;
    x = x - ((x >>> 1) & 0x55555555);
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    acc += (x + (x >>> 4)) & 0x0f0f0f0f;
    let d = Math.imul(acc, 0x01010101) >>> 24;
    if (d > maxDistance) continue;
    x = hashes[b + 4] ^ q4;
    x = x - ((x >>> 1) & 0x55555555);
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    acc = (x + (x >>> 4)) & 0x0f0f0f0f;
    x = hashes[b + 5] ^ q5;
    x = x - ((x >>> 1) & 0x55555555);
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    acc += (x + (x >>> 4)) & 0x0f0f0f0f;
    x = hashes[b + 6] ^ q6;
    x = x - ((x >>> 1) & 0x55555555);
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    acc += (x + (x >>> 4)) & 0x0f0f0f0f;
    x = hashes[b + 7] ^ q7;
    x = x - ((x >>> 1) & 0x55555555);
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    acc += (x + (x >>> 4)) & 0x0f0f0f0f;
    d += Math.imul(acc, 0x01010101) >>> 24;
    if (d > maxDistance) continue;
    if (dead !== null && (dead[e >>> 5] & (1 << (e & 31))) !== 0) continue;
    out.offer(keys[e], d);
  }
}
