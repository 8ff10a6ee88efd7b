import { createHash } from "node:crypto";

/**
 * Exact-match digests of a file's bytes, lowercase hex.
 *
 * @example
 * ```ts
 * const { md5, sha256 }: MediaDigests = digestMedia(bytes);
 * ```
 */
export interface MediaDigests {
  md5: string;
  sha256: string;
}

/**
 * MD5 and SHA-256 of the bytes as given (not of decoded pixels): the exact
 * digests hash lists such as NCMEC's carry next to PDQ.
 *
 * @example
 * ```ts
 * import { digestMedia } from "lapwing/media";
 * digestMedia(new TextEncoder().encode("abc")).md5; // "900150983cd24fb0d6963f7d28e17f72"
 * ```
 */
export function digestMedia(bytes: Uint8Array): MediaDigests {
  return {
    md5: createHash("md5").update(bytes).digest("hex"),
    sha256: createHash("sha256").update(bytes).digest("hex"),
  };
}
