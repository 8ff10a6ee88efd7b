import { LapwingError } from "../errors/index.js";
import type { ChunkLayout } from "./chunk-layout.js";
import { PDQ_WORDS } from "./pdq-hash.js";
import { Segment } from "./segment.js";
import type { PackedEntries } from "./sort-by-key.js";

/**
 * Snapshot layout, all little-endian uint32 words so that every section can
 * be viewed in place (no copy, no parse) when loading:
 *
 * ```
 * header   MAGIC VERSION flags segmentCount deltaCount 0 0 0
 * segment  count chunkCount hasTables 0, chunk widths[chunkCount],
 *          keys[count], hashes[8 * count], dead[ceil(count / 32)],
 *          if hasTables, per chunk: offsets[2^width + 1], postings[count]
 * delta    keys[deltaCount], hashes[8 * deltaCount]
 * ```
 */
const MAGIC = 0x5150574c; // "LWPQ" read as little-endian bytes
const VERSION = 1;
const HEADER_WORDS = 8;
const SEGMENT_HEADER_WORDS = 4;

export interface SnapshotOptions {
  /**
   * Include the bucket tables (default true): the snapshot is ~2.5x larger
   * but loads without rebuilding (a view over the bytes). Without them the
   * loader re-runs the counting sorts.
   */
  includeTables?: boolean;
}

function bytesOf(words: Uint32Array): Uint8Array {
  return new Uint8Array(words.buffer, words.byteOffset, words.byteLength);
}

/** The snapshot as a list of byte views over the live arrays (nothing copied); write them in order. */
export function encodeSnapshot(segments: readonly Segment[], delta: PackedEntries, options: SnapshotOptions = {}): Uint8Array[] {
  if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) {
    throw new LapwingError("VALIDATION_FAILED", "PDQ index snapshots are little-endian; this platform is big-endian.");
  }
  const includeTables = options.includeTables ?? true;
  const parts: Uint8Array[] = [];
  parts.push(bytesOf(Uint32Array.of(MAGIC, VERSION, includeTables ? 1 : 0, segments.length, delta.keys.length, 0, 0, 0)));
  for (const s of segments) {
    const m = s.layout.bits.length;
    parts.push(bytesOf(Uint32Array.of(s.count, m, includeTables ? 1 : 0, 0)));
    parts.push(bytesOf(Uint32Array.from(s.layout.bits)));
    parts.push(bytesOf(s.keys), bytesOf(s.hashes), bytesOf(s.dead));
    if (includeTables) {
      for (let t = 0; t < m; t++) parts.push(bytesOf(s.offsets[t]), bytesOf(s.postings[t]));
    }
  }
  parts.push(bytesOf(delta.keys), bytesOf(delta.hashes));
  return parts;
}

function corrupt(detail: string): LapwingError {
  return new LapwingError("VALIDATION_FAILED", `Not a valid PDQ index snapshot: ${detail}.`);
}

/**
 * Reads a snapshot. Arrays are views over `bytes` when it is 4-byte aligned
 * (zero copy: keep the bytes unmodified for the index's lifetime).
 *
 * @throws LapwingError `VALIDATION_FAILED` when the bytes are not a snapshot or are truncated.
 */
export function decodeSnapshot(bytes: Uint8Array): { segments: Segment[]; delta: PackedEntries } {
  if (!(bytes instanceof Uint8Array)) throw corrupt("expected a Uint8Array");
  if (bytes.byteLength % 4 !== 0) throw corrupt(`length ${bytes.byteLength} is not a multiple of 4`);
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const words = new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
  let at = 0;
  const take = (n: number, what: string): Uint32Array => {
    if (at + n > words.length) throw corrupt(`truncated in ${what}`);
    const view = words.subarray(at, at + n);
    at += n;
    return view;
  };
  const header = take(HEADER_WORDS, "header");
  if (header[0] !== MAGIC) throw corrupt("wrong magic number");
  if (header[1] !== VERSION) throw corrupt(`version ${header[1]} is not supported (expected ${VERSION})`);
  const segmentCount = header[3];
  const deltaCount = header[4];
  const segments: Segment[] = [];
  for (let i = 0; i < segmentCount; i++) {
    const [count, m, hasTables] = take(SEGMENT_HEADER_WORDS, "segment header");
    const widths = take(m, "chunk widths");
    let total = 0;
    for (const w of widths) {
      if (w < 1 || w > 24) throw corrupt(`chunk width ${w} out of range`);
      total += w;
    }
    if (total !== 256) throw corrupt(`chunk widths sum to ${total}, not 256`);
    const layout = layoutOf(widths);
    const keys = take(count, "keys");
    const hashes = take(count * PDQ_WORDS, "hashes");
    const dead = take((count + 31) >>> 5, "tombstones");
    for (let e = 1; e < count; e++) if (keys[e - 1] >= keys[e]) throw corrupt("segment keys are not ascending");
    if (hasTables === 0) {
      segments.push(Segment.build(keys, hashes, layout, dead));
      continue;
    }
    const offsets: Uint32Array[] = [];
    const postings: Uint32Array[] = [];
    for (let t = 0; t < m; t++) {
      const off = take(2 ** widths[t] + 1, "bucket offsets");
      if (off[0] !== 0 || off[off.length - 1] !== count) throw corrupt("bucket offsets do not cover the segment");
      offsets.push(off);
      postings.push(take(count, "postings"));
    }
    segments.push(new Segment({ keys, hashes, dead, layout, offsets, postings }));
  }
  const deltaKeys = take(deltaCount, "delta keys");
  const deltaHashes = take(deltaCount * PDQ_WORDS, "delta hashes");
  if (at !== words.length) throw corrupt(`${(words.length - at) * 4} trailing bytes`);
  return { segments, delta: { keys: deltaKeys, hashes: deltaHashes } };
}

function layoutOf(widths: Uint32Array): ChunkLayout {
  const bits = Uint8Array.from(widths);
  const starts = new Uint16Array(bits.length);
  for (let t = 1; t < bits.length; t++) starts[t] = starts[t - 1] + bits[t - 1];
  return { bits, starts };
}

