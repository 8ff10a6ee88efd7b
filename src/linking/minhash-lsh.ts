import { mix32 } from "./hashing.js";

/** Options of {@link MinHashLsh}. */
export interface MinHashLshOptions {
  /** Bands: more bands find pairs of lower similarity, at more candidates. */
  bands: number;
  /** MinHash values per band: more rows make a band's bucket stricter. */
  rows: number;
  /** A bucket holding more documents than this stops proposing pairs (see the class comment). */
  bucketMaxSize: number;
}

// A bucket that grew past the cap keeps only its count: its members are too common to pair.
interface OverflowBucket {
  count: number;
}
type Bucket = number | number[] | OverflowBucket;

/**
 * Locality-sensitive hashing of sets by MinHash, for candidate pairs without
 * comparing all pairs.
 *
 * ## Method
 * Each set gets `bands × rows` MinHash values (the minimum of a mixed hash
 * per function; two sets agree on one with probability equal to their
 * Jaccard similarity J). A band's `rows` values hash to one bucket key; two
 * sets share a bucket in some band with probability 1 − (1 − J^rows)^bands,
 * an S-curve whose midpoint is about (1/bands)^(1/rows). Every pair a caller
 * verifies comes from a shared bucket, so the work is the candidates, not
 * the square of the documents.
 *
 * ## Crowded buckets
 * A bucket that holds more than `bucketMaxSize` documents (a bio everyone
 * copies, a follow list of only celebrities) is too common to mean anything:
 * it drops its members, keeps a count, and proposes nothing until it empties.
 * This bounds memory and work per document at `bands × bucketMaxSize`.
 *
 * ## Keys
 * Documents are uint32 numbers chosen by the caller; adding one that is
 * present replaces it.
 */
export class MinHashLsh {
  readonly #bands: number;
  readonly #rows: number;
  readonly #bucketMaxSize: number;
  readonly #multipliers: Int32Array;
  readonly #offsets: Int32Array;
  readonly #buckets: Array<Map<number, Bucket>>;
  readonly #keysOf = new Map<number, Int32Array>();

  constructor(options: MinHashLshOptions) {
    this.#bands = options.bands;
    this.#rows = options.rows;
    this.#bucketMaxSize = options.bucketMaxSize;
    // Fixed seeds: signatures are the same in every process. Features arrive well mixed
    // (hashString), so each MinHash function can be a cheap odd-multiplier affine map.
    const count = options.bands * options.rows;
    this.#multipliers = new Int32Array(count);
    this.#offsets = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      this.#multipliers[i] = mix32(0x9e3779b9 + i * 0x7f4a7c15) | 1;
      this.#offsets[i] = mix32(0x85ebca6b + i * 0x27d4eb2f);
    }
    this.#buckets = Array.from({ length: options.bands }, () => new Map<number, Bucket>());
  }

  /** Documents indexed. */
  get size(): number {
    return this.#keysOf.size;
  }

  /** Indexes `doc` by the set of feature hashes `features` (an empty set is not indexed). */
  add(doc: number, features: Uint32Array): void {
    this.remove(doc);
    if (features.length === 0) return;
    const keys = this.#bandKeys(features);
    this.#keysOf.set(doc, keys);
    for (let b = 0; b < this.#bands; b++) {
      const map = this.#buckets[b];
      const bucket = map.get(keys[b]);
      if (bucket === undefined) map.set(keys[b], doc);
      else if (typeof bucket === "number") map.set(keys[b], [bucket, doc]);
      else if (Array.isArray(bucket)) {
        if (bucket.length < this.#bucketMaxSize) bucket.push(doc);
        else map.set(keys[b], { count: bucket.length + 1 });
      } else bucket.count++;
    }
  }

  remove(doc: number): void {
    const keys = this.#keysOf.get(doc);
    if (keys === undefined) return;
    this.#keysOf.delete(doc);
    for (let b = 0; b < this.#bands; b++) {
      const map = this.#buckets[b];
      const bucket = map.get(keys[b]);
      if (bucket === undefined) continue;
      if (typeof bucket === "number") {
        if (bucket === doc) map.delete(keys[b]);
      } else if (Array.isArray(bucket)) {
        const at = bucket.indexOf(doc);
        if (at >= 0) {
          bucket[at] = bucket[bucket.length - 1];
          bucket.pop();
        }
        if (bucket.length === 1) map.set(keys[b], bucket[0]);
      } else if (--bucket.count === 0) map.delete(keys[b]);
    }
  }

  /**
   * Documents sharing a bucket with `doc` in any band, excluding `doc`, at most `limit`
   * (the ones sharing the most bands first). Empty when `doc` is not indexed.
   */
  candidates(doc: number, limit: number): number[] {
    const keys = this.#keysOf.get(doc);
    if (keys === undefined) return [];
    const shared = new Map<number, number>();
    for (let b = 0; b < this.#bands; b++) {
      const bucket = this.#buckets[b].get(keys[b]);
      if (bucket === undefined || typeof bucket === "number" || !Array.isArray(bucket)) continue;
      for (const other of bucket) if (other !== doc) shared.set(other, (shared.get(other) ?? 0) + 1);
    }
    const out = [...shared.keys()];
    if (out.length <= limit) return out;
    return out.sort((a, b) => shared.get(b)! - shared.get(a)! || a - b).slice(0, limit);
  }

  #bandKeys(features: Uint32Array): Int32Array {
    const functions = this.#multipliers.length;
    const mins = new Uint32Array(functions).fill(0xffffffff);
    for (let i = 0; i < features.length; i++) {
      const f = features[i];
      for (let s = 0; s < functions; s++) {
        const h = (Math.imul(f, this.#multipliers[s]) + this.#offsets[s]) >>> 0;
        if (h < mins[s]) mins[s] = h;
      }
    }
    const keys = new Int32Array(this.#bands);
    for (let b = 0; b < this.#bands; b++) {
      let h = b + 1;
      for (let r = 0; r < this.#rows; r++) h = mix32(h ^ mins[b * this.#rows + r]) + r;
      // 30 bits: the key stays a small integer, which V8 stores in a Map without boxing.
      keys[b] = h & 0x3fffffff;
    }
    return keys;
  }
}
