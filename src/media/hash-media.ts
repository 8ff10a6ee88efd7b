import { decodeImage } from "./decode/decode.js";
import type { DecodeLimits } from "./decode/limits.js";
import { digestMedia, type MediaDigests } from "./digest.js";
import type { DihedralHashes } from "./pdq/dihedral.js";
import { type PdqMode, pdqFromPixels } from "./pdq/hasher.js";

/**
 * What Lapwing computes from an image's decoded pixels.
 *
 * @example
 * ```ts
 * const { pdq, quality, format, width, height }: ImageHashes = await hashImage(bytes);
 * ```
 */
export interface ImageHashes {
  /** PDQ hash, 64 lowercase hex digits (ALGORITHM.md §8). */
  pdq: string;
  /** PDQ quality 0-100; hashes with quality under 50 should not be matched. */
  quality: number;
  /** Detected from magic bytes: jpeg, png, gif, webp, tiff, avif or bmp. */
  format: string;
  /** Decoded size, before any pre-resize. */
  width: number;
  height: number;
  /** The 8 dihedral PDQ hashes, when asked for. */
  dihedral?: DihedralHashes;
}

/**
 * Everything Lapwing computes from one image file: the perceptual hashes of
 * its pixels and the exact digests of its bytes.
 *
 * @example
 * ```ts
 * const { pdq, quality, md5, sha256, format, width, height }: MediaHashes = await hashMedia(bytes);
 * ```
 */
export interface MediaHashes extends ImageHashes, MediaDigests {}

/**
 * Options of {@link hashMedia} and {@link hashImage}.
 *
 * @example
 * ```ts
 * await hashMedia(bytes, { mode: "full", dihedral: true, limits: { maxBytes: 20 * 1024 * 1024 } });
 * ```
 */
export interface HashMediaOptions {
  /** PDQ pipeline; default `"full"`, the mode shared hash lists use (see {@link PdqMode}). */
  mode?: PdqMode;
  /** Also compute the 8 dihedral hashes; default `false`. */
  dihedral?: boolean;
  /** Size limits; unset fields take {@link defaultDecodeLimits}. */
  limits?: Partial<DecodeLimits>;
}

/**
 * Decodes an image file and computes its PDQ hash and quality (no digests:
 * see {@link digestMedia}, which works on any bytes, images or not). Bad
 * input is rejected with a `LapwingError` before any large allocation:
 * `MEDIA_EMPTY`, `PAYLOAD_TOO_LARGE`, `MEDIA_UNSUPPORTED_FORMAT`,
 * `MEDIA_TOO_MANY_PIXELS` (a decompression bomb), `MEDIA_DECODE_FAILED`.
 *
 * ## Mode
 *
 * The default `"full"` matches the hashes in shared lists (NCMEC, HMA,
 * python-threatexchange, Java, `pdqhash`); compare hashes made in the same mode.
 *
 * @example
 * ```ts
 * const { pdq, quality } = await hashImage(await readFile("upload.jpg"));
 * ```
 */
export async function hashImage(bytes: Uint8Array, options: HashMediaOptions = {}): Promise<ImageHashes> {
  const image = await decodeImage(bytes, options.limits);
  const pdq = pdqFromPixels(image, { mode: options.mode, dihedral: options.dihedral });
  const result: ImageHashes = { pdq: pdq.hash, quality: pdq.quality, format: image.format, width: image.width, height: image.height };
  if (pdq.dihedral) result.dihedral = pdq.dihedral;
  return result;
}

/**
 * {@link hashImage} plus the MD5/SHA-256 digests of the bytes. Throws as
 * `hashImage` does, so a caller that must match the digests of files that
 * are not decodable images computes them apart, with {@link digestMedia}.
 *
 * @example
 * ```ts
 * import { readFile } from "node:fs/promises";
 * import { hashMedia } from "lapwing/media";
 *
 * const hashes = await hashMedia(await readFile("upload.jpg"), { dihedral: true });
 * if (hashes.quality >= 50) lookUp(hashes.pdq, Object.values(hashes.dihedral!));
 * ```
 */
export async function hashMedia(bytes: Uint8Array, options: HashMediaOptions = {}): Promise<MediaHashes> {
  return mediaHashes(await hashImage(bytes, options), digestMedia(bytes));
}

/**
 * One file's image hashes and digests as one `MediaHashes`, fields in the
 * documented order and without a `dihedral` that was not asked for (for
 * callers that hashed and digested apart, such as the media thread pool).
 */
export function mediaHashes(image: ImageHashes, digests: MediaDigests): MediaHashes {
  const { md5, sha256 } = digests;
  return { pdq: image.pdq, quality: image.quality, md5, sha256, format: image.format, width: image.width, height: image.height, ...(image.dihedral ? { dihedral: image.dihedral } : {}) };
}
