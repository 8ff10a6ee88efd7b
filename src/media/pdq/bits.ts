/**
 * Median threshold and hex packing (ALGORITHM.md §7-8).
 *
 * Torben's median over 256 values is the 128th smallest (index 127 of the
 * ascending sort, ties included); bit `16u+v` is set iff `B[u][v]` is strictly
 * greater. The hex string prints word 15 first, word 0 last, 4 digits each,
 * with column `v` of row `u` at bit value `1 << v` of word `u`.
 */
const HEX = "0123456789abcdef";

/**
 * Thresholds a 16x16 coefficient block at its median and returns the 64-digit hex hash.
 *
 * @param coeffs - 256 coefficients, row-major
 * @param sortScratch - 256-entry buffer, overwritten
 */
export function thresholdToHex(coeffs: Float32Array, sortScratch: Float32Array): string {
  sortScratch.set(coeffs);
  sortScratch.sort();
  const median = sortScratch[127];
  let hex = "";
  for (let u = 15; u >= 0; u--) {
    let word = 0;
    const row = u * 16;
    for (let v = 0; v < 16; v++) {
      if (coeffs[row + v] > median) word |= 1 << v;
    }
    hex += HEX[(word >>> 12) & 15] + HEX[(word >>> 8) & 15] + HEX[(word >>> 4) & 15] + HEX[word & 15];
  }
  return hex;
}

/** The all-zero hash given to images with a side under 5 pixels. */
export const ZERO_HASH = "0".repeat(64);
