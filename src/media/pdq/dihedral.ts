import { thresholdToHex } from "./bits.js";

/**
 * The 8 dihedral hashes of one image, all derived from its DCT (ALGORITHM.md §9).
 * Names follow the reference tool: `rot90` is 90° counter-clockwise, `rot270`
 * 90° clockwise, `flipx` swaps top and bottom, `flipy` mirrors left and right,
 * `flipp` is the transpose, `flipm` the anti-transpose. Each approximates the
 * plain hash of the transformed image (0-24 bits away in the test pack).
 *
 * @example
 * ```ts
 * const { dihedral } = pdqFromPixels(image, { dihedral: true });
 * // A copy rotated 90° clockwise hashes close to dihedral!.rot270.
 * ```
 */
export interface DihedralHashes {
  orig: string;
  rot90: string;
  rot180: string;
  rot270: string;
  flipx: string;
  flipy: string;
  flipp: string;
  flipm: string;
}

/**
 * Derives the 8 dihedral hashes from the 16x16 DCT block `b`. Mirroring an axis
 * negates the even (0-based) frequencies along it, and transposing the image
 * transposes the block; each variant is then thresholded at its own median.
 *
 * @param b - the 16x16 coefficients, row-major (not modified)
 * @param variant - 256-entry work buffer, overwritten
 * @param sortScratch - 256-entry work buffer, overwritten
 */
export function dihedralFromDct(b: Float32Array, variant: Float32Array, sortScratch: Float32Array): DihedralHashes {
  const orig = thresholdToHex(b, sortScratch);
  const make = (transpose: boolean, sign: (u: number, v: number) => boolean): string => {
    for (let u = 0; u < 16; u++) {
      for (let v = 0; v < 16; v++) {
        const value = b[u * 16 + v];
        const signed = sign(u, v) ? -value : value;
        variant[transpose ? v * 16 + u : u * 16 + v] = signed;
      }
    }
    return thresholdToHex(variant, sortScratch);
  };
  // `sign` returns true where the coefficient is negated.
  return {
    orig,
    rot90: make(true, (_u, v) => (v & 1) === 0),
    rot180: make(false, (u, v) => ((u + v) & 1) === 1),
    rot270: make(true, (u) => (u & 1) === 0),
    flipx: make(false, (u) => (u & 1) === 0),
    flipy: make(false, (_u, v) => (v & 1) === 0),
    flipp: make(true, () => false),
    flipm: make(true, (u, v) => ((u + v) & 1) === 1),
  };
}
