import { LapwingError } from "../errors/index.js";
import { MatchCollector, type PdqDihedralMatch, type PdqMatch } from "./match-collector.js";
import { PDQ_BITS, PDQ_WORDS, type PdqHashInput, toPdqWords } from "./pdq-hash.js";
import { defaultChunkBits, makeChunkLayout } from "./chunk-layout.js";
import { SearchScratch, Segment, verifyRange } from "./segment.js";
import { decodeSnapshot, encodeSnapshot, type SnapshotOptions } from "./snapshot.js";
import { type PackedEntries, sortByKey } from "./sort-by-key.js";

/** Options of {@link PdqIndex}. */
export interface PdqIndexOptions {
  /**
   * Entries held in the unindexed, linearly scanned delta before it is
   * indexed as a segment. Default 2048 (a scan of 2048 hashes takes ~10 µs).
   */
  deltaCapacity?: number;
  /**
   * Fixed chunk width in bits for every segment (4..24). Default: chosen per
   * segment from its size (about log2(size) - 1, at most 22).
   */
  chunkBits?: number;
}

/** Default search threshold: PDQ's customary match distance. */
export const DEFAULT_MAX_DISTANCE = 31;

const DEFAULT_DELTA_CAPACITY = 2048;

/**
 * An exact in-memory PDQ match index over caller-chosen uint32 keys.
 *
 * Layout: a few immutable multi-index-hashing segments (see `Segment`) plus
 * a small delta scanned linearly. Adds go to the delta; a full delta becomes a
 * segment; a segment at least half as large as the one before it is merged
 * into it (sizes stay geometric, so each hash is re-indexed O(log n) times:
 * amortised, never a rebuild per add). Removals set a tombstone bit; a segment
 * that is more dead than alive is rebuilt from its live entries.
 *
 * ## Exactness
 * Every search returns exactly the live keys whose hash is within
 * `maxDistance` (0..256) of the query, for any threshold: each segment plans
 * per-chunk probe radii by the pigeonhole principle and falls back to a
 * sequential scan when probing would cost more.
 *
 * ## Keys
 * Keys are unique: adding a key that is present replaces its hash.
 *
 * @example
 * const index = new PdqIndex();
 * index.add(42, "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22");
 * index.search("f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b23", 31);
 * // [{ key: 42, distance: 1 }]
 */
export class PdqIndex {
  readonly #deltaCapacity: number;
  readonly #chunkBits: number | undefined;
  #segments: Segment[] = [];
  #deltaKeys: Uint32Array;
  #deltaHashes: Uint32Array;
  #deltaCount = 0;
  readonly #deltaSlots = new Map<number, number>();
  readonly #scratch = new SearchScratch();
  #size = 0;

  constructor(options: PdqIndexOptions = {}) {
    const capacity = options.deltaCapacity ?? DEFAULT_DELTA_CAPACITY;
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new LapwingError("VALIDATION_FAILED", `deltaCapacity must be a positive integer; got ${capacity}.`);
    }
    if (options.chunkBits !== undefined && !(Number.isInteger(options.chunkBits) && options.chunkBits >= 4 && options.chunkBits <= 24)) {
      throw new LapwingError("VALIDATION_FAILED", `chunkBits must be an integer from 4 to 24; got ${options.chunkBits}.`);
    }
    this.#deltaCapacity = capacity;
    this.#chunkBits = options.chunkBits;
    this.#deltaKeys = new Uint32Array(capacity);
    this.#deltaHashes = new Uint32Array(capacity * PDQ_WORDS);
  }

  /**
   * Builds an index from packed entries in one pass per chunk: the fast cold
   * load. The arrays are adopted, not copied, when keys are strictly ascending;
   * do not modify them afterwards. Repeated keys keep their last hash.
   *
   * @param keys one uint32 key per hash.
   * @param hashes 8 big-endian words per hash (see `parsePdqHash`).
   */
  static fromPacked(keys: Uint32Array, hashes: Uint32Array, options: PdqIndexOptions = {}): PdqIndex {
    const index = new PdqIndex(options);
    checkPacked(keys, hashes);
    const sorted = sortByKey({ keys, hashes });
    if (sorted.keys.length > 0) {
      index.#segments.push(index.#rebuild(sorted));
    }
    index.#size = sorted.keys.length;
    return index;
  }

  /** Number of live keys. */
  get size(): number {
    return this.#size;
  }

  /** Adds `key` with `hash`, replacing the key's previous hash if any. */
  add(key: number, hash: PdqHashInput): void {
    checkKey(key);
    const words = toPdqWords(hash);
    this.remove(key);
    if (this.#deltaCount === this.#deltaCapacity) this.#flushDelta();
    const slot = this.#deltaCount++;
    this.#deltaKeys[slot] = key;
    this.#deltaHashes.set(words, slot * PDQ_WORDS);
    this.#deltaSlots.set(key, slot);
    this.#size++;
  }

  /**
   * Adds many entries (8 words per hash in `hashes`); present keys are
   * replaced, and within the batch the last occurrence wins. The arrays are
   * copied. A batch larger than the delta becomes a segment directly.
   */
  addMany(keys: Uint32Array, hashes: Uint32Array): void {
    checkPacked(keys, hashes);
    if (keys.length <= this.#deltaCapacity - this.#deltaCount) {
      for (let i = 0; i < keys.length; i++) this.add(keys[i], hashes.subarray(i * PDQ_WORDS, i * PDQ_WORDS + PDQ_WORDS));
      return;
    }
    if (this.#size > 0) for (let i = 0; i < keys.length; i++) this.remove(keys[i]);
    const sorted = sortByKey({ keys, hashes });
    const owned = sorted.keys === keys ? { keys: keys.slice(), hashes: hashes.slice() } : sorted;
    this.#segments.push(this.#rebuild(owned));
    this.#size += owned.keys.length;
    this.#rebalance();
  }

  /** Removes `key`; returns whether it was present. */
  remove(key: number): boolean {
    checkKey(key);
    const slot = this.#deltaSlots.get(key);
    if (slot !== undefined) {
      // Swap-remove keeps the delta dense.
      const last = --this.#deltaCount;
      if (slot !== last) {
        const movedKey = this.#deltaKeys[last];
        this.#deltaKeys[slot] = movedKey;
        this.#deltaHashes.copyWithin(slot * PDQ_WORDS, last * PDQ_WORDS, last * PDQ_WORDS + PDQ_WORDS);
        this.#deltaSlots.set(movedKey, slot);
      }
      this.#deltaSlots.delete(key);
      this.#size--;
      return true;
    }
    for (let s = this.#segments.length - 1; s >= 0; s--) {
      const segment = this.#segments[s];
      const entry = segment.find(key);
      if (entry < 0 || segment.isDead(entry)) continue;
      segment.kill(entry);
      this.#size--;
      if (segment.deadCount > segment.liveCount) this.#rebalance();
      return true;
    }
    return false;
  }

  /** Whether `key` is present. */
  has(key: number): boolean {
    return this.getHash(key) !== undefined;
  }

  /** The packed hash of `key` (a copy), or `undefined`. */
  getHash(key: number): Uint32Array | undefined {
    checkKey(key);
    const slot = this.#deltaSlots.get(key);
    if (slot !== undefined) return this.#deltaHashes.slice(slot * PDQ_WORDS, slot * PDQ_WORDS + PDQ_WORDS);
    for (let s = this.#segments.length - 1; s >= 0; s--) {
      const segment = this.#segments[s];
      const entry = segment.find(key);
      if (entry >= 0 && !segment.isDead(entry)) return segment.hashes.slice(entry * PDQ_WORDS, entry * PDQ_WORDS + PDQ_WORDS);
    }
    return undefined;
  }

  /**
   * Every live key whose hash is within `maxDistance` of `hash`, sorted by
   * distance then key.
   */
  search(hash: PdqHashInput, maxDistance = DEFAULT_MAX_DISTANCE): PdqMatch[] {
    const query = toPdqWords(hash);
    checkMaxDistance(maxDistance);
    const out = new MatchCollector();
    this.#searchInto(query, 0, maxDistance, out);
    return out.matches();
  }

  /** {@link search} for each hash in turn. */
  searchMany(hashes: readonly PdqHashInput[], maxDistance = DEFAULT_MAX_DISTANCE): PdqMatch[][] {
    checkMaxDistance(maxDistance);
    const queries = hashes.map(toPdqWords);
    return queries.map((query) => {
      const out = new MatchCollector();
      this.#searchInto(query, 0, maxDistance, out);
      return out.matches();
    });
  }

  /**
   * One call for the 8 dihedral hashes of a query image (PDQ's rotations and
   * flips): every key within `maxDistance` of any of them, with its smallest
   * distance and the index of the orientation that gave it.
   */
  searchDihedral(hashes: readonly PdqHashInput[], maxDistance = DEFAULT_MAX_DISTANCE): PdqDihedralMatch[] {
    if (hashes.length !== 8) {
      throw new LapwingError("VALIDATION_FAILED", `searchDihedral needs the 8 dihedral hashes of a query; got ${hashes.length}.`);
    }
    checkMaxDistance(maxDistance);
    const queries = hashes.map(toPdqWords);
    const out = new MatchCollector();
    for (let o = 0; o < 8; o++) {
      out.orientation = o;
      this.#searchInto(queries[o], 0, maxDistance, out);
    }
    return out.dihedralMatches();
  }

  /** Indexes the delta and merges every segment into one (e.g. before a snapshot). */
  compact(): void {
    if (this.#deltaCount > 0) this.#flushDelta();
    while (this.#segments.length > 1) this.#mergeLastTwo();
    const only = this.#segments[0];
    if (only !== undefined && only.deadCount > 0) this.#segments[0] = this.#rebuild(liveEntries(only));
    if (only !== undefined && only.liveCount === 0) this.#segments = [];
  }

  /** Shape of the index, for diagnostics and benchmarks. */
  stats(): { size: number; segments: number[]; deadEntries: number; deltaEntries: number; bytes: number } {
    let bytes = this.#deltaKeys.byteLength + this.#deltaHashes.byteLength;
    let dead = 0;
    for (const s of this.#segments) {
      bytes += s.keys.byteLength + s.hashes.byteLength + s.dead.byteLength;
      for (const o of s.offsets) bytes += o.byteLength;
      for (const p of s.postings) bytes += p.byteLength;
      dead += s.deadCount;
    }
    return {
      size: this.#size,
      segments: this.#segments.map((s) => s.count),
      deadEntries: dead,
      deltaEntries: this.#deltaCount,
      bytes,
    };
  }

  /**
   * The index as byte views over its arrays, in order, without copying
   * (write them with `fs.writev` or a stream); see {@link serialize}.
   */
  serializeParts(options: SnapshotOptions = {}): Uint8Array[] {
    return encodeSnapshot(this.#segments, this.#deltaEntries(), options);
  }

  /**
   * The index as one snapshot (tombstones and delta included). With
   * `includeTables` (default) loading is a view over the bytes; without, the
   * snapshot is ~2.5x smaller and loading rebuilds the bucket tables.
   */
  serialize(options: SnapshotOptions = {}): Uint8Array {
    const parts = this.serializeParts(options);
    let total = 0;
    for (const p of parts) total += p.byteLength;
    const out = new Uint8Array(total);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.byteLength;
    }
    return out;
  }

  /**
   * Loads a snapshot made by {@link serialize}. The arrays are views over
   * `bytes` when it is 4-byte aligned: do not modify the bytes afterwards.
   *
   * @throws LapwingError `VALIDATION_FAILED` for bytes that are not a snapshot.
   */
  static deserialize(bytes: Uint8Array, options: PdqIndexOptions = {}): PdqIndex {
    const { segments, delta } = decodeSnapshot(bytes);
    const index = new PdqIndex({ ...options, deltaCapacity: Math.max(options.deltaCapacity ?? DEFAULT_DELTA_CAPACITY, delta.keys.length) });
    index.#segments = segments;
    let size = 0;
    for (const s of segments) size += s.liveCount;
    for (let i = 0; i < delta.keys.length; i++) {
      index.#deltaKeys[i] = delta.keys[i];
      index.#deltaSlots.set(delta.keys[i], i);
    }
    index.#deltaHashes.set(delta.hashes);
    index.#deltaCount = delta.keys.length;
    index.#size = size + delta.keys.length;
    return index;
  }

  #deltaEntries(): PackedEntries {
    return {
      keys: this.#deltaKeys.subarray(0, this.#deltaCount),
      hashes: this.#deltaHashes.subarray(0, this.#deltaCount * PDQ_WORDS),
    };
  }

  #searchInto(query: Uint32Array, qo: number, maxDistance: number, out: MatchCollector): void {
    for (const segment of this.#segments) segment.search(query, qo, maxDistance, out, this.#scratch);
    if (this.#deltaCount > 0) {
      verifyRange(null, 0, this.#deltaCount, this.#deltaHashes, this.#deltaKeys, null, query, qo, maxDistance, out);
    }
  }

  #rebuild(entries: PackedEntries): Segment {
    return Segment.build(entries.keys, entries.hashes, makeChunkLayout(this.#chunkBits ?? defaultChunkBits(entries.keys.length)));
  }

  #flushDelta(): void {
    const n = this.#deltaCount;
    const sorted = sortByKey({ keys: this.#deltaKeys.slice(0, n), hashes: this.#deltaHashes.slice(0, n * PDQ_WORDS) });
    this.#deltaCount = 0;
    this.#deltaSlots.clear();
    this.#segments.push(this.#rebuild(sorted));
    this.#rebalance();
  }

  /**
   * Keeps segment sizes geometric (each at least twice the next newer one)
   * and drops or rebuilds segments that are mostly tombstones.
   */
  #rebalance(): void {
    const kept: Segment[] = [];
    for (const s of this.#segments) {
      if (s.liveCount === 0) continue;
      kept.push(s.deadCount > s.liveCount ? this.#rebuild(liveEntries(s)) : s);
    }
    this.#segments = kept;
    while (kept.length >= 2 && kept[kept.length - 2].liveCount <= 2 * kept[kept.length - 1].liveCount) this.#mergeLastTwo();
  }

  #mergeLastTwo(): void {
    const newer = this.#segments.pop()!;
    const older = this.#segments.pop()!;
    this.#segments.push(this.#rebuild(mergeLive(older, newer)));
  }
}

function liveEntries(s: Segment): PackedEntries {
  const keys = new Uint32Array(s.liveCount);
  const hashes = new Uint32Array(s.liveCount * PDQ_WORDS);
  let n = 0;
  for (let e = 0; e < s.count; e++) {
    if (s.isDead(e)) continue;
    keys[n] = s.keys[e];
    hashes.set(s.hashes.subarray(e * PDQ_WORDS, e * PDQ_WORDS + PDQ_WORDS), n * PDQ_WORDS);
    n++;
  }
  return { keys, hashes };
}

/** Live entries of two key-sorted segments, merged in key order. */
function mergeLive(a: Segment, b: Segment): PackedEntries {
  const total = a.liveCount + b.liveCount;
  const keys = new Uint32Array(total);
  const hashes = new Uint32Array(total * PDQ_WORDS);
  let i = 0;
  let j = 0;
  let n = 0;
  const take = (s: Segment, e: number): void => {
    keys[n] = s.keys[e];
    hashes.set(s.hashes.subarray(e * PDQ_WORDS, e * PDQ_WORDS + PDQ_WORDS), n * PDQ_WORDS);
    n++;
  };
  while (i < a.count || j < b.count) {
    if (i < a.count && a.isDead(i)) {
      i++;
      continue;
    }
    if (j < b.count && b.isDead(j)) {
      j++;
      continue;
    }
    if (j >= b.count || (i < a.count && a.keys[i] < b.keys[j])) {
      take(a, i++);
    } else {
      // A key live in both cannot happen (adds replace); if it did, the newer wins.
      if (i < a.count && a.keys[i] === b.keys[j]) i++;
      take(b, j++);
    }
  }
  return { keys: keys.subarray(0, n), hashes: hashes.subarray(0, n * PDQ_WORDS) };
}

function checkKey(key: number): void {
  if (!Number.isInteger(key) || key < 0 || key > 0xffffffff) {
    throw new LapwingError("VALIDATION_FAILED", `An index key must be an integer from 0 to 4294967295; got ${key}.`);
  }
}

function checkPacked(keys: Uint32Array, hashes: Uint32Array): void {
  if (!(keys instanceof Uint32Array) || !(hashes instanceof Uint32Array)) {
    throw new LapwingError("VALIDATION_FAILED", "Packed entries must be a Uint32Array of keys and a Uint32Array of hash words.");
  }
  if (hashes.length !== keys.length * PDQ_WORDS) {
    throw new LapwingError(
      "HASH_MALFORMED",
      `Packed hashes need 8 words per key: ${keys.length} keys need ${keys.length * PDQ_WORDS} words; got ${hashes.length}.`,
    );
  }
}

function checkMaxDistance(maxDistance: number): void {
  if (!Number.isInteger(maxDistance) || maxDistance < 0 || maxDistance > PDQ_BITS) {
    throw new LapwingError("VALIDATION_FAILED", `maxDistance must be an integer from 0 to 256; got ${maxDistance}.`);
  }
}
