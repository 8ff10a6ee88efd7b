import { LapwingError } from "../errors/index.js";

/** Exact-match digest kinds and their lengths in hex digits. */
export const digestHexLength = { md5: 32, sha256: 64 } as const;

export type DigestKind = keyof typeof digestHexLength;

const HEX = /^[0-9a-f]+$/;

/**
 * Normalises an MD5 or SHA-256 digest: trims whitespace, lowercases, checks
 * length and hex digits.
 *
 * @throws LapwingError `HASH_MALFORMED` saying what was expected.
 * @example
 * normalizeDigest("md5", " D41D8CD98F00B204E9800998ECF8427E ") // "d41d8cd98f00b204e9800998ecf8427e"
 */
export function normalizeDigest(kind: DigestKind, digest: string): string {
  const want = digestHexLength[kind];
  const name = kind === "md5" ? "An MD5 digest" : "A SHA-256 digest";
  if (typeof digest !== "string") {
    throw new LapwingError("HASH_MALFORMED", `${name} must be a string of ${want} hex digits, got ${typeof digest}.`);
  }
  const normalized = digest.trim().toLowerCase();
  if (normalized.length !== want) {
    throw new LapwingError("HASH_MALFORMED", `${name} must be ${want} hex digits; got ${normalized.length} characters.`);
  }
  if (!HEX.test(normalized)) {
    throw new LapwingError("HASH_MALFORMED", `${name} must contain only hex digits 0-9 and a-f.`);
  }
  return normalized;
}

/** {@link normalizeDigest} for MD5 (32 hex digits). */
export function normalizeMd5(digest: string): string {
  return normalizeDigest("md5", digest);
}

/** {@link normalizeDigest} for SHA-256 (64 hex digits). */
export function normalizeSha256(digest: string): string {
  return normalizeDigest("sha256", digest);
}

/**
 * An exact-match set of MD5 or SHA-256 digests mapping each digest to a
 * caller-chosen uint32 key (the caller maps keys to database rows).
 * Digests are normalised on the way in, so case and whitespace do not matter.
 *
 * @example
 * const set = new DigestSet("md5");
 * set.add(7, "D41D8CD98F00B204E9800998ECF8427E");
 * set.get("d41d8cd98f00b204e9800998ecf8427e") // 7
 */
export class DigestSet {
  readonly kind: DigestKind;
  readonly #keys = new Map<string, number>();

  constructor(kind: DigestKind) {
    this.kind = kind;
  }

  /** Adds or replaces the key of a digest. */
  add(key: number, digest: string): void {
    this.#keys.set(normalizeDigest(this.kind, digest), key);
  }

  /** Removes a digest; true if it was present. */
  delete(digest: string): boolean {
    return this.#keys.delete(normalizeDigest(this.kind, digest));
  }

  /** The key of an exact match, or `undefined`. */
  get(digest: string): number | undefined {
    return this.#keys.get(normalizeDigest(this.kind, digest));
  }

  has(digest: string): boolean {
    return this.#keys.has(normalizeDigest(this.kind, digest));
  }

  get size(): number {
    return this.#keys.size;
  }
}
