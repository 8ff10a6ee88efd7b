/**
 * The 16x64 DCT-II matrix of PDQ (ALGORITHM.md §6): rows are frequencies 1..16
 * of the 64-point DCT-II (the DC row is skipped), scaled by sqrt(2/64), each
 * entry rounded to float32 exactly as the C++ reference builds it: the scale
 * and the cosine are computed in double, their product rounded once.
 *
 * A module-level constant because it is pure data, computed once on import.
 */
export const DCT_ROWS = 16;
export const DCT_COLS = 64;

function buildDctMatrix(): Float32Array {
  const matrix = new Float32Array(DCT_ROWS * DCT_COLS);
  const scale = Math.fround(Math.sqrt(2.0 / 64));
  for (let u = 0; u < DCT_ROWS; u++) {
    // (pi/2/64)*(u+1) is evaluated first, as in the reference.
    const step = (Math.PI / 2 / 64) * (u + 1);
    for (let k = 0; k < DCT_COLS; k++) {
      matrix[u * DCT_COLS + k] = scale * Math.cos(step * (2 * k + 1));
    }
  }
  return matrix;
}

export const DCT_MATRIX: Float32Array = buildDctMatrix();
