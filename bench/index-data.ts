/**
 * Synthetic PDQ hash lists for the index benchmark: uniform random hashes, or
 * clusters of near-duplicates around random seeds (members at 0..20 flipped
 * bits, cluster sizes heavy-tailed), which is how real lists look: many
 * re-encodes, crops and re-uploads of the same images.
 */

/** xorshift128+-style 32-bit generator; seeded so runs replay. */
export function makeRng(seed: number): () => number {
  let a = seed >>> 0 || 1;
  let b = 0x9e3779b9;
  let c = 0x85ebca6b;
  let d = 0xc2b2ae35;
  return () => {
    // xoshiro128** (Blackman & Vigna)
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

export type Distribution = "random" | "clustered";

export interface HashSet {
  keys: Uint32Array;
  hashes: Uint32Array;
  clusters: number;
  largestCluster: number;
}

function flipRandomBits(hashes: Uint32Array, base: number, flips: number, rng: () => number): void {
  for (let f = 0; f < flips; f++) {
    const bit = rng() & 255;
    hashes[base + (bit >>> 5)] ^= 1 << (31 - (bit & 31));
  }
}

export function generateHashes(count: number, distribution: Distribution, seed: number): HashSet {
  const rng = makeRng(seed);
  for (let i = 0; i < 16; i++) rng();
  const keys = new Uint32Array(count);
  for (let i = 0; i < count; i++) keys[i] = i;
  const hashes = new Uint32Array(count * 8);
  if (distribution === "random") {
    for (let i = 0; i < hashes.length; i++) hashes[i] = rng();
    return { keys, hashes, clusters: count, largestCluster: 1 };
  }
  let i = 0;
  let clusters = 0;
  let largest = 0;
  while (i < count) {
    // Mean ~20 per cluster, with a 0.1% tail of 2000-member clusters.
    const u = (rng() + 1) / 4294967297;
    let size = rng() % 1000 === 0 ? 2000 : 1 + Math.floor(-Math.log(u) * 19);
    size = Math.min(size, count - i);
    const seedAt = i * 8;
    for (let w = 0; w < 8; w++) hashes[seedAt + w] = rng();
    for (let j = 1; j < size; j++) {
      const at = (i + j) * 8;
      hashes.copyWithin(at, seedAt, seedAt + 8);
      flipRandomBits(hashes, at, rng() % 21, rng);
    }
    i += size;
    clusters++;
    if (size > largest) largest = size;
  }
  // Shuffle hashes so that cluster members are not adjacent (keys are row ids).
  for (let k = count - 1; k > 0; k--) {
    const j = rng() % (k + 1);
    for (let w = 0; w < 8; w++) {
      const t = hashes[k * 8 + w];
      hashes[k * 8 + w] = hashes[j * 8 + w];
      hashes[j * 8 + w] = t;
    }
  }
  return { keys, hashes, clusters, largestCluster: largest };
}

/**
 * Queries: the first half are planted near-duplicates of indexed hashes
 * (exactly k distinct flipped bits, k uniform in 0..maxDistance), the second
 * half uniform random.
 */
export function generateQueries(data: HashSet, count: number, maxDistance: number, seed: number): Uint32Array {
  const rng = makeRng(seed);
  const out = new Uint32Array(count * 8);
  const n = data.keys.length;
  const half = count >>> 1;
  for (let q = 0; q < count; q++) {
    const at = q * 8;
    if (q < half) {
      const src = (rng() % n) * 8;
      out.set(data.hashes.subarray(src, src + 8), at);
      const k = rng() % (maxDistance + 1);
      const bits = new Set<number>();
      while (bits.size < k) bits.add(rng() & 255);
      for (const bit of bits) out[at + (bit >>> 5)] ^= 1 << (31 - (bit & 31));
    } else {
      for (let w = 0; w < 8; w++) out[at + w] = rng();
    }
  }
  return out;
}
