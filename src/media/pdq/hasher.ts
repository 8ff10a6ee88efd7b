import { ZERO_HASH, thresholdToHex } from "./bits.js";
import { dct64To16 } from "./dct.js";
import { type DihedralHashes, dihedralFromDct } from "./dihedral.js";
import { jaroszDownsample } from "./jarosz.js";
import { lumaSource } from "./luma.js";
import type { PixelImage } from "./pixels.js";
import { pdqQuality } from "./quality.js";

/**
 * Which pipeline to reproduce.
 *
 * - `"full"` hashes the decoded image at full size. This is what the Java
 *   port, the Python `pdqhash` bindings (and so python-threatexchange and
 *   Meta's Hasher-Matcher-Actioner) and the Rust crate's
 *   `generate_pdq_full_size` compute, and so what shared hash lists (NCMEC,
 *   HMA exchanges) hold. Matching needs the same mode on both sides.
 * - `"reference"` first resizes any image with a side over 512 to exactly
 *   512x512 by nearest neighbour (aspect not kept), as the C++
 *   `pdq-photo-hasher` command-line tool does. The two modes differ by 0-28
 *   bits on the same file.
 *
 * @example
 * ```ts
 * const mode: PdqMode = "full"; // hash as NCMEC/HMA lists do
 * pdqFromPixels(image, { mode });
 * ```
 */
export type PdqMode = "full" | "reference";

/**
 * Options of {@link pdqFromPixels}.
 *
 * @example
 * ```ts
 * const options: PdqOptions = { mode: "reference", dihedral: true };
 * ```
 */
export interface PdqOptions {
  /** Pipeline to reproduce; default `"full"` (see {@link PdqMode}). */
  mode?: PdqMode;
  /** Also compute the 8 dihedral hashes; default `false`. */
  dihedral?: boolean;
}

/**
 * A PDQ hash: 64 lowercase hex digits, quality 0-100, optional dihedral hashes.
 *
 * @example
 * ```ts
 * const { hash, quality }: PdqResult = pdqFromPixels(image);
 * ```
 */
export interface PdqResult {
  hash: string;
  quality: number;
  dihedral?: DihedralHashes;
}

const MIN_HASHABLE_SIDE = 5;
const REFERENCE_MAX_SIDE = 512;

function zeroResult(dihedral: boolean): PdqResult {
  if (!dihedral) return { hash: ZERO_HASH, quality: 0 };
  const z = ZERO_HASH;
  return {
    hash: z,
    quality: 0,
    dihedral: { orig: z, rot90: z, rot180: z, rot270: z, flipx: z, flipy: z, flipp: z, flipm: z },
  };
}

function assertPixels(image: PixelImage): void {
  const { width, height, channels, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
    throw new RangeError(`PDQ: width and height must be non-negative integers, got ${width}x${height}`);
  }
  if (channels !== 1 && channels !== 3) {
    throw new RangeError(`PDQ: channels must be 1 or 3 (drop alpha first), got ${channels}`);
  }
  if (data.length < width * height * channels) {
    throw new RangeError(`PDQ: data holds ${data.length} bytes, ${width}x${height}x${channels} needs ${width * height * channels}`);
  }
}

/**
 * Computes the PDQ hash of decoded pixels, bit for bit as Meta's C++ reference
 * (float32 arithmetic emulated with `Math.fround`). Buffers are allocated once
 * per call.
 *
 * Images with a side under 5 pixels (after the pre-resize) get the all-zero
 * hash and quality 0. An image of exactly 64x64 skips the filter for the plain
 * hash but not for the dihedral hashes, as in the reference.
 *
 * ## Mode
 *
 * The default is `"full"`: hash lists shared between platforms (NCMEC, HMA,
 * python-threatexchange, `pdqhash`, the Java port) are full-size hashes, and a
 * hash only matches reliably against one made in the same mode.
 *
 * @throws RangeError when the pixel buffer does not match its declared shape.
 *
 * @example
 * ```ts
 * import { decodeImage, pdqFromPixels } from "lapwing/media";
 *
 * const image = await decodeImage(bytes);
 * const { hash, quality, dihedral } = pdqFromPixels(image, { dihedral: true });
 * // hash: "d8f8f0cee0f4a84f..." (64 hex digits), quality: 0..100
 * ```
 */
export function pdqFromPixels(image: PixelImage, options: PdqOptions = {}): PdqResult {
  assertPixels(image);
  const mode = options.mode ?? "full";
  const wantDihedral = options.dihedral ?? false;
  let width = image.width;
  let height = image.height;
  if (mode === "reference" && (width > REFERENCE_MAX_SIDE || height > REFERENCE_MAX_SIDE)) {
    width = REFERENCE_MAX_SIDE;
    height = REFERENCE_MAX_SIDE;
  }
  if (width < MIN_HASHABLE_SIDE || height < MIN_HASHABLE_SIDE) return zeroResult(wantDihedral);

  const block = new Float32Array(64 * 64);
  const dctScratch = new Float32Array(16 * 64);
  const coeffs = new Float32Array(256);
  const sortScratch = new Float32Array(256);
  const source = lumaSource(image, width, height);

  // An exactly 64x64 image skips the filter for the plain hash only (§4);
  // the dihedral path always filters, so it needs its own block.
  if (width === 64 && height === 64) {
    source(0, 64, block);
    dct64To16(block, dctScratch, coeffs);
    const hash = thresholdToHex(coeffs, sortScratch);
    const quality = pdqQuality(block);
    if (!wantDihedral) return { hash, quality };
    jaroszDownsample(source, width, height, block);
    dct64To16(block, dctScratch, coeffs);
    return { hash, quality, dihedral: dihedralFromDct(coeffs, new Float32Array(256), sortScratch) };
  }

  jaroszDownsample(source, width, height, block);
  dct64To16(block, dctScratch, coeffs);
  const quality = pdqQuality(block);
  if (!wantDihedral) return { hash: thresholdToHex(coeffs, sortScratch), quality };
  const dihedral = dihedralFromDct(coeffs, new Float32Array(256), sortScratch);
  return { hash: dihedral.orig, quality, dihedral };
}
