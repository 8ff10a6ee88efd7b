import { DCT_COLS, DCT_MATRIX, DCT_ROWS } from "./dct-matrix.js";

/**
 * Partial 2-D DCT of a 64x64 block to its 16x16 low-frequency corner
 * (ALGORITHM.md §6): `T = D * A`, then `B = T * D^T`, float32 accumulators, `k`
 * ascending. Every product is rounded to float32 before it is added; storing a
 * sum into a `Float32Array` rounds it, which is exactly the reference's `f32(acc + p)`.
 *
 * @param block - 64x64 row-major input (A)
 * @param scratch - 16x64 work buffer (T), overwritten
 * @param out - 16x16 row-major output (B), overwritten
 */
export function dct64To16(block: Float32Array, scratch: Float32Array, out: Float32Array): void {
  const d = DCT_MATRIX;
  scratch.fill(0);
  for (let u = 0; u < DCT_ROWS; u++) {
    const tRow = u * DCT_COLS;
    for (let k = 0; k < DCT_COLS; k++) {
      const coeff = d[tRow + k];
      const aRow = k * DCT_COLS;
      for (let j = 0; j < DCT_COLS; j++) {
        scratch[tRow + j] += Math.fround(coeff * block[aRow + j]);
      }
    }
  }
  for (let u = 0; u < DCT_ROWS; u++) {
    const tRow = u * DCT_COLS;
    for (let v = 0; v < DCT_ROWS; v++) {
      const dRow = v * DCT_COLS;
      let acc = 0;
      for (let k = 0; k < DCT_COLS; k++) {
        acc = Math.fround(acc + Math.fround(scratch[tRow + k] * d[dRow + k]));
      }
      out[u * DCT_ROWS + v] = acc;
    }
  }
}
