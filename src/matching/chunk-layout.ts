import { PDQ_BITS } from "./pdq-hash.js";

/**
 * How the 256 bits of a hash are cut into contiguous chunks for multi-index
 * hashing. Bit 0 is the most significant bit of word 0 (the first hex digit).
 * Chunks are at most 24 bits wide, so a chunk spans at most two words.
 */
export interface ChunkLayout {
  /** Width of each chunk in bits. */
  readonly bits: Uint8Array;
  /** First bit of each chunk, counted from the most significant bit. */
  readonly starts: Uint16Array;
}

/** Widest chunk supported: its bucket table has 2^24 + 1 offsets (64 MiB). */
export const MAX_CHUNK_BITS = 24;
export const MIN_CHUNK_BITS = 4;

/**
 * Chunk width for a segment of `count` hashes. Multi-index hashing is
 * cheapest when a chunk has about log2(count) bits (Norouzi et al., "Fast
 * search in Hamming space with multi-index hashing", CVPR 2012). One bit less
 * halves the bucket tables (memory) for a little more verification; 22 bits is
 * the cap that keeps 10M hashes under 1 GiB (12 tables of 16 MiB offsets).
 */
export function defaultChunkBits(count: number): number {
  const ideal = Math.round(Math.log2(Math.max(count, 2))) - 1;
  return Math.min(22, Math.max(8, ideal));
}

/** Cuts 256 bits into ceil(256 / chunkBits) near-equal chunks, wider ones first. */
export function makeChunkLayout(chunkBits: number): ChunkLayout {
  const width = Math.min(MAX_CHUNK_BITS, Math.max(MIN_CHUNK_BITS, Math.floor(chunkBits)));
  const count = Math.ceil(PDQ_BITS / width);
  const base = Math.floor(PDQ_BITS / count);
  const wider = PDQ_BITS - base * count;
  const bits = new Uint8Array(count);
  const starts = new Uint16Array(count);
  let start = 0;
  for (let t = 0; t < count; t++) {
    bits[t] = t < wider ? base + 1 : base;
    starts[t] = start;
    start += bits[t];
  }
  return { bits, starts };
}

/** The value of the chunk `[start, start + bits)` of the hash at word offset `base`. */
export function chunkValue(words: Uint32Array, base: number, start: number, bits: number): number {
  const k = base + (start >>> 5);
  const o = start & 31;
  if (o + bits <= 32) return (words[k] >>> (32 - o - bits)) & ((1 << bits) - 1);
  const high = 32 - o;
  const low = bits - high;
  return ((words[k] & ((1 << high) - 1)) << low) | (words[k + 1] >>> (32 - low));
}

function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}

/**
 * A search plan: the Hamming radius probed in each chunk (-1: chunk skipped),
 * or a linear scan when probing would cost more.
 */
export interface SearchPlan {
  readonly radii: Int8Array;
  readonly isLinear: boolean;
  /** Estimated bucket probes and candidates, for diagnostics. */
  readonly probes: number;
  readonly candidates: number;
}

/**
 * Plans an exact search for every hash within `maxDistance`.
 *
 * Pigeonhole (generalised): if every chunk t differed in at least
 * `radii[t] + 1` bits, the whole hash would differ in at least
 * `sum(radii[t] + 1)` bits. Choosing radii with `sum(radii[t] + 1) =
 * maxDistance + 1` therefore guarantees that any hash within `maxDistance`
 * lies within `radii[t]` of the query in at least one chunk, so probing those
 * balls finds it: no approximate misses. Radii are handed out greedily by
 * marginal cost (probes times expected bucket size), which is optimal because
 * the cost of each chunk is convex in its radius.
 */
export function planSearch(layout: ChunkLayout, count: number, maxDistance: number): SearchPlan {
  const m = layout.bits.length;
  const radii = new Int8Array(m).fill(-1);
  const bucketSize = new Float64Array(m);
  for (let t = 0; t < m; t++) bucketSize[t] = count / 2 ** layout.bits[t];
  let probes = 0;
  let candidates = 0;
  let feasible = true;
  for (let step = 0; step <= maxDistance; step++) {
    let best = -1;
    let bestCost = Infinity;
    for (let t = 0; t < m; t++) {
      if (radii[t] >= layout.bits[t]) continue;
      const added = binomial(layout.bits[t], radii[t] + 1);
      const cost = added * (1 + bucketSize[t]);
      if (cost < bestCost) {
        bestCost = cost;
        best = t;
      }
    }
    if (best < 0) {
      feasible = false;
      break;
    }
    radii[best]++;
    const added = binomial(layout.bits[best], radii[best]);
    probes += added;
    candidates += added * bucketSize[best];
  }
  // A sequential scan verifies a hash several times faster than a probe
  // fetches a random bucket and candidate, hence the 0.2 weight.
  const isLinear = !feasible || count * 0.2 < probes + candidates;
  return { radii, isLinear, probes, candidates };
}
