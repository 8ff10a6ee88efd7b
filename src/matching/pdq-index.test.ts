import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LapwingError } from "../errors/index.js";
import { defaultChunkBits, makeChunkLayout, planSearch } from "./chunk-layout.js";
import { formatPdqHash, hammingDistance, PDQ_WORDS } from "./pdq-hash.js";
import { PdqIndex } from "./pdq-index.js";
import type { PdqMatch } from "./match-collector.js";
import { seededRandom } from "../random/index.js";

function randomHash(rng: () => number): Uint32Array {
  const h = new Uint32Array(PDQ_WORDS);
  for (let i = 0; i < PDQ_WORDS; i++) h[i] = Math.floor(rng() * 4294967296);
  return h;
}

function flipBit(h: Uint32Array, bit: number): void {
  h[bit >>> 5] ^= 1 << (31 - (bit & 31));
}

/** A copy of `h` with exactly `k` distinct random bits flipped (distance k). */
function nearHash(h: Uint32Array, k: number, rng: () => number): Uint32Array {
  const out = h.slice();
  const bits = new Set<number>();
  while (bits.size < k) bits.add(Math.floor(rng() * 256));
  for (const b of bits) flipBit(out, b);
  return out;
}

/**
 * The adversarial neighbour for a segment of `count` hashes: per chunk
 * exactly radius + 1 flips (so no chunk is within its probe radius) except one
 * chunk with exactly `radius` flips. Its distance is maxDistance, and only
 * that one chunk can find it; with `extra` one more flip it is at maxDistance + 1.
 */
function adversarialNeighbour(h: Uint32Array, count: number, maxDistance: number, foundBy: number, rng: () => number, extra = 0): Uint32Array {
  const layout = makeChunkLayout(defaultChunkBits(count));
  const plan = planSearch(layout, count, maxDistance);
  const out = h.slice();
  const m = layout.bits.length;
  const target = foundBy % m;
  let flipped = 0;
  for (let t = 0; t < m; t++) {
    let k = plan.radii[t] + 1;
    if (t === target) k -= 1;
    if (t === (target + 1) % m) k += extra;
    k = Math.min(k, layout.bits[t]);
    const chosen = new Set<number>();
    while (chosen.size < k) chosen.add(layout.starts[t] + Math.floor(rng() * layout.bits[t]));
    for (const b of chosen) flipBit(out, b);
    flipped += k;
  }
  assert.equal(hammingDistance(h, out), flipped);
  return out;
}

interface Dataset {
  keys: Uint32Array;
  hashes: Uint32Array;
}

function pack(list: Uint32Array[], keyOf: (i: number) => number = (i) => i * 3 + 1): Dataset {
  const keys = new Uint32Array(list.length);
  const hashes = new Uint32Array(list.length * PDQ_WORDS);
  list.forEach((h, i) => {
    keys[i] = keyOf(i);
    hashes.set(h, i * PDQ_WORDS);
  });
  return { keys, hashes };
}

function linearScan(data: Dataset, query: Uint32Array, maxDistance: number, isLive: (key: number) => boolean = () => true): PdqMatch[] {
  const out: PdqMatch[] = [];
  for (let i = 0; i < data.keys.length; i++) {
    const d = hammingDistance(data.hashes, query, i * PDQ_WORDS, 0);
    if (d <= maxDistance && isLive(data.keys[i])) out.push({ key: data.keys[i], distance: d });
  }
  return out.sort((a, b) => a.distance - b.distance || a.key - b.key);
}

/** Random hashes, then clusters of near-duplicates (distance 0..20 from a seed), like real lists. */
function makeData(rng: () => number, random: number, clusters: number, perCluster: number): Uint32Array[] {
  const list: Uint32Array[] = [];
  for (let i = 0; i < random; i++) list.push(randomHash(rng));
  for (let c = 0; c < clusters; c++) {
    const seed = randomHash(rng);
    for (let j = 0; j < perCluster; j++) list.push(nearHash(seed, Math.floor(rng() * 21), rng));
  }
  return list;
}

const THRESHOLDS = [0, 1, 15, 31, 40];

describe("PdqIndex exactness vs a linear scan", () => {
  const rng = seededRandom(20240601);
  const count = 24000;
  const base = makeData(rng, 15900, 100, 80);
  const queries: Uint32Array[] = [];
  // Planted neighbours: random distances, clustered seeds, and adversarial
  // ones at exactly 31 and 32 that only a single chunk can find.
  for (let i = 0; i < 40; i++) queries.push(nearHash(base[Math.floor(rng() * base.length)], Math.floor(rng() * 45), rng));
  for (let i = 0; i < 20; i++) queries.push(randomHash(rng));
  const plantedQueries: Uint32Array[] = [];
  const planted: Uint32Array[] = [];
  for (let i = 0; i < 30; i++) {
    const q = randomHash(rng);
    plantedQueries.push(q);
    planted.push(adversarialNeighbour(q, count, 31, i, rng, 0));
    planted.push(adversarialNeighbour(q, count, 31, i + 7, rng, 1));
  }
  // Padding to exactly `count` entries so that the segment layout is the one planned above.
  const all = [...base, ...planted];
  while (all.length < count) all.push(randomHash(rng));
  assert.equal(all.length, count);
  const full = pack(all);
  queries.push(...plantedQueries);

  it("uses multi-index probing (not the linear fallback) at 31 for this size", () => {
    const plan = planSearch(makeChunkLayout(defaultChunkBits(count)), count, 31);
    assert.equal(plan.isLinear, false);
    let sum = 0;
    for (const r of plan.radii) sum += r + 1;
    assert.equal(sum, 32);
  });

  it("finds adversarial neighbours at exactly 31 and not those at 32", () => {
    const index = PdqIndex.fromPacked(full.keys, full.hashes);
    for (let i = 0; i < plantedQueries.length; i++) {
      const at31 = full.keys[base.length + 2 * i];
      const at32 = full.keys[base.length + 2 * i + 1];
      const found = index.search(plantedQueries[i], 31);
      assert.ok(found.some((m) => m.key === at31 && m.distance === 31), `planted neighbour ${i} at 31 missed`);
      assert.ok(!found.some((m) => m.key === at32), `neighbour ${i} at 32 returned`);
      assert.ok(index.search(plantedQueries[i], 32).some((m) => m.key === at32 && m.distance === 32));
    }
  });

  for (const [name, options] of [
    ["one bulk segment", {}],
    ["chunkBits 16", { chunkBits: 16 }],
    ["chunkBits 8", { chunkBits: 8 }],
  ] as const) {
    it(`matches a linear scan at thresholds ${THRESHOLDS.join(", ")} (${name})`, () => {
      const index = PdqIndex.fromPacked(full.keys, full.hashes, options);
      for (const r of THRESHOLDS) {
        for (const q of queries) assert.deepEqual(index.search(q, r), linearScan(full, q, r), `threshold ${r}`);
      }
    });
  }

  it("matches a linear scan when built incrementally (delta + merged segments)", () => {
    const index = new PdqIndex({ deltaCapacity: 500 });
    for (let i = 0; i < 6000; i++) index.add(full.keys[i], full.hashes.subarray(i * 8, i * 8 + 8));
    index.addMany(full.keys.slice(6000), full.hashes.slice(6000 * 8));
    assert.equal(index.size, count);
    assert.ok(index.stats().segments.length >= 1);
    for (const r of THRESHOLDS) {
      for (const q of queries) assert.deepEqual(index.search(q, r), linearScan(full, q, r), `threshold ${r}`);
    }
  });

  it("stays exact at large thresholds (linear fallback) up to 256", () => {
    const small = pack(all.slice(0, 3000));
    const index = PdqIndex.fromPacked(small.keys, small.hashes);
    for (const r of [63, 100, 256]) {
      for (const q of queries.slice(0, 5)) assert.deepEqual(index.search(q, r), linearScan(small, q, r));
    }
  });
});

describe("PdqIndex updates", () => {
  it("adds, removes and re-adds without a rebuild, across delta and segments", () => {
    const rng = seededRandom(7);
    const hashes = Array.from({ length: 3000 }, () => randomHash(rng));
    const data = pack(hashes, (i) => i);
    const index = new PdqIndex({ deltaCapacity: 64 });
    hashes.forEach((h, i) => index.add(i, formatPdqHash(h)));
    assert.equal(index.size, 3000);
    const removed = new Set<number>();
    for (let i = 0; i < 3000; i += 3) {
      assert.equal(index.remove(i), true);
      removed.add(i);
    }
    assert.equal(index.remove(0), false);
    assert.equal(index.remove(99999), false);
    assert.equal(index.size, 2000);
    assert.equal(index.has(0), false);
    assert.equal(index.has(1), true);
    for (let i = 0; i < 3000; i += 50) {
      assert.deepEqual(index.search(hashes[i], 31), linearScan(data, hashes[i], 31, (k) => !removed.has(k)));
    }
    // Re-add key 0 with a new hash: the old hash no longer matches it.
    const fresh = randomHash(rng);
    index.add(0, fresh);
    assert.equal(index.has(0), true);
    assert.deepEqual(index.search(fresh, 0), [{ key: 0, distance: 0 }]);
    assert.ok(!index.search(hashes[0], 10).some((m) => m.key === 0));
    // Replacing a live key keeps one entry for it.
    index.add(1, fresh);
    assert.equal(index.size, 2001);
    assert.deepEqual(index.search(fresh, 0), [{ key: 0, distance: 0 }, { key: 1, distance: 0 }]);
    assert.deepEqual(index.getHash(1), fresh);
  });

  it("addMany keeps the last of repeated keys and replaces present ones", () => {
    const rng = seededRandom(8);
    const a = randomHash(rng);
    const b = randomHash(rng);
    const index = new PdqIndex({ deltaCapacity: 1 });
    index.add(5, a);
    const batch = pack([a, b, b], (i) => [5, 9, 5][i]);
    index.addMany(batch.keys, batch.hashes);
    assert.equal(index.size, 2);
    assert.deepEqual(index.search(a, 0), []);
    assert.deepEqual(index.search(b, 0), [{ key: 5, distance: 0 }, { key: 9, distance: 0 }]);
  });

  it("rejects bad keys, thresholds and packed arrays", () => {
    const index = new PdqIndex();
    const h = new Uint32Array(8);
    assert.throws(() => index.add(-1, h), { code: "VALIDATION_FAILED" });
    assert.throws(() => index.add(2 ** 32, h), { code: "VALIDATION_FAILED" });
    assert.throws(() => index.search(h, -1), { code: "VALIDATION_FAILED" });
    assert.throws(() => index.search(h, 257), { code: "VALIDATION_FAILED" });
    assert.throws(() => index.addMany(new Uint32Array(2), new Uint32Array(15)), { code: "HASH_MALFORMED" });
    assert.throws(() => index.add(1, "xyz"), { code: "HASH_MALFORMED" });
    assert.throws(() => index.search("0".repeat(63)), (e: unknown) => e instanceof LapwingError && e.code === "HASH_MALFORMED");
  });
});

describe("PdqIndex dihedral search", () => {
  it("returns the best distance per key and which orientation gave it", () => {
    const rng = seededRandom(99);
    const orientations = Array.from({ length: 8 }, () => randomHash(rng));
    const stored = [nearHash(orientations[3], 5, rng), nearHash(orientations[6], 12, rng), nearHash(orientations[0], 40, rng)];
    // Key 4 is near two orientations; the closer (orientation 5, distance 2) wins.
    stored.push(nearHash(orientations[5], 2, rng));
    const extra = pack(stored, (i) => i + 1);
    const index = new PdqIndex();
    index.addMany(extra.keys, extra.hashes);
    index.add(10, nearHash(orientations[7], 31, rng));
    const found = index.searchDihedral(orientations.map((h) => formatPdqHash(h)), 31);
    assert.deepEqual(found, [
      { key: 4, distance: 2, orientation: 5 },
      { key: 1, distance: 5, orientation: 3 },
      { key: 2, distance: 12, orientation: 6 },
      { key: 10, distance: 31, orientation: 7 },
    ]);
    assert.throws(() => index.searchDihedral(orientations.slice(0, 7).map((h) => formatPdqHash(h))), { code: "VALIDATION_FAILED" });
  });
});

describe("PdqIndex snapshots", () => {
  const rng = seededRandom(1234);
  const hashes = makeData(rng, 5000, 20, 50);
  const data = pack(hashes);
  const queries = Array.from({ length: 30 }, (_, i) => nearHash(hashes[i * 97], i, rng));

  function build(): { index: PdqIndex; isLive: (key: number) => boolean } {
    const index = new PdqIndex({ deltaCapacity: 300 });
    index.addMany(data.keys.subarray(0, 5000), data.hashes.subarray(0, 5000 * 8));
    for (let i = 5000; i < hashes.length; i++) index.add(data.keys[i], hashes[i]);
    const removed = new Set<number>();
    for (let i = 0; i < hashes.length; i += 7) {
      index.remove(data.keys[i]);
      removed.add(data.keys[i]);
    }
    return { index, isLive: (k) => !removed.has(k) };
  }

  for (const includeTables of [true, false]) {
    it(`round-trips with tombstones and delta (includeTables: ${includeTables})`, () => {
      const { index, isLive } = build();
      assert.ok(index.stats().deltaEntries > 0 && index.stats().deadEntries > 0);
      const bytes = index.serialize({ includeTables });
      const loaded = PdqIndex.deserialize(bytes);
      assert.equal(loaded.size, index.size);
      const { bytes: _loadedBytes, ...loadedShape } = loaded.stats();
      const { bytes: _bytes, ...shape } = index.stats();
      assert.deepEqual(loadedShape, shape);
      for (const q of queries) {
        const expected = linearScan(data, q, 31, isLive);
        assert.deepEqual(loaded.search(q, 31), expected);
      }
      // The loaded index stays mutable.
      loaded.add(1, hashes[0]);
      assert.ok(loaded.search(hashes[0], 0).some((m) => m.key === 1));
      // An unaligned copy loads too.
      const unaligned = new Uint8Array(bytes.byteLength + 1).subarray(1);
      unaligned.set(bytes);
      assert.equal(PdqIndex.deserialize(unaligned).size, index.size);
    });
  }

  it("serializeParts concatenates to serialize", () => {
    const { index } = build();
    const parts = index.serializeParts();
    assert.deepEqual(Buffer.concat(parts), Buffer.from(index.serialize()));
  });

  it("rejects bytes that are not a snapshot", () => {
    const bytes = new PdqIndex().serialize();
    assert.equal(PdqIndex.deserialize(bytes).size, 0);
    assert.throws(() => PdqIndex.deserialize(new Uint8Array(32)), { code: "VALIDATION_FAILED", message: /magic/ });
    const { index } = build();
    const full = index.serialize();
    assert.throws(() => PdqIndex.deserialize(full.subarray(0, full.byteLength - 4)), { code: "VALIDATION_FAILED" });
    assert.throws(() => PdqIndex.deserialize(full.subarray(0, 3)), { code: "VALIDATION_FAILED" });
  });
});
