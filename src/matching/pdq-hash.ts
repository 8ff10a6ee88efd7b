import { LapwingError } from "../errors/index.js";

/** Number of 32-bit words in a packed PDQ hash (256 bits). */
export const PDQ_WORDS = 8;

/** Number of bits in a PDQ hash. */
export const PDQ_BITS = 256;

/** A PDQ hash as 64 hex digits or as 8 packed big-endian 32-bit words. */
export type PdqHashInput = string | Uint32Array;

const PDQ_HEX = /^[0-9a-f]{64}$/;

function describe(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
  return JSON.stringify(shown);
}

/**
 * Normalises a PDQ hash string: trims whitespace, lowercases, and checks that
 * it is exactly 64 hex digits.
 *
 * @throws LapwingError `HASH_MALFORMED` saying what was expected.
 * @example
 * normalizePdqHash("  F8F8...  ") // "f8f8..."
 */
export function normalizePdqHash(hash: string): string {
  if (typeof hash !== "string") {
    throw new LapwingError("HASH_MALFORMED", `A PDQ hash must be a string of 64 hex digits, got ${typeof hash}.`);
  }
  const normalized = hash.trim().toLowerCase();
  if (PDQ_HEX.test(normalized)) return normalized;
  if (normalized.length !== 64) {
    throw new LapwingError(
      "HASH_MALFORMED",
      `A PDQ hash must be 64 hex digits (256 bits); got ${normalized.length} characters: ${describe(normalized)}.`,
    );
  }
  throw new LapwingError(
    "HASH_MALFORMED",
    `A PDQ hash must contain only hex digits 0-9 and a-f; got ${describe(normalized)}.`,
  );
}

/** True when `hash` (after trimming and lowercasing) is 64 hex digits. */
export function isPdqHash(hash: unknown): hash is string {
  return typeof hash === "string" && PDQ_HEX.test(hash.trim().toLowerCase());
}

/**
 * Parses a PDQ hash into 8 words. The hash is a big-endian 256-bit integer:
 * the first hex digit is the most significant, so word 0 holds digits 0-7.
 *
 * @param out optional destination (8 words are written at `offset`).
 * @throws LapwingError `HASH_MALFORMED` for anything but 64 hex digits.
 * @example
 * parsePdqHash("ff".repeat(32))[0] === 0xffffffff
 */
export function parsePdqHash(hash: string, out: Uint32Array = new Uint32Array(PDQ_WORDS), offset = 0): Uint32Array {
  const hex = normalizePdqHash(hash);
  for (let i = 0; i < PDQ_WORDS; i++) {
    out[offset + i] = Number.parseInt(hex.slice(i * 8, i * 8 + 8), 16);
  }
  return out;
}

/**
 * Formats 8 packed words (at `offset`) as 64 lowercase hex digits.
 *
 * @example
 * formatPdqHash(parsePdqHash(h)) === h.toLowerCase()
 */
export function formatPdqHash(words: Uint32Array, offset = 0): string {
  if (words.length < offset + PDQ_WORDS) {
    throw new LapwingError("HASH_MALFORMED", `A packed PDQ hash needs 8 32-bit words; got ${words.length - offset}.`);
  }
  let out = "";
  for (let i = 0; i < PDQ_WORDS; i++) out += words[offset + i].toString(16).padStart(8, "0");
  return out;
}

/**
 * Returns the packed words of a hash given as hex or as a `Uint32Array` of
 * exactly 8 words (checked, not copied).
 */
export function toPdqWords(hash: PdqHashInput): Uint32Array {
  if (typeof hash === "string") return parsePdqHash(hash);
  if (hash instanceof Uint32Array && hash.length === PDQ_WORDS) return hash;
  const got = hash instanceof Uint32Array ? `${hash.length} words` : typeof hash;
  throw new LapwingError("HASH_MALFORMED", `A PDQ hash must be 64 hex digits or a Uint32Array of 8 words; got ${got}.`);
}

/** Number of set bits in a 32-bit integer (SWAR, no tables). */
export function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/**
 * Hamming distance between two packed PDQ hashes (0..256).
 *
 * @example
 * hammingDistance(parsePdqHash(a), parsePdqHash(b))
 */
export function hammingDistance(a: Uint32Array, b: Uint32Array, aOffset = 0, bOffset = 0): number {
  let d = 0;
  for (let i = 0; i < PDQ_WORDS; i++) d += popcount32(a[aOffset + i] ^ b[bOffset + i]);
  return d;
}

/** Hamming distance between two PDQ hashes given as hex or packed words. */
export function pdqDistance(a: PdqHashInput, b: PdqHashInput): number {
  return hammingDistance(toPdqWords(a), toPdqWords(b));
}
