/**
 * The Jarosz tent filter and 64x64 decimation (ALGORITHM.md §4).
 *
 * Two passes of a 1-D box filter along rows then columns make a tent. Each box
 * filter keeps a running float32 sum that is never re-summed, so its rounding
 * drifts exactly as in the C++ reference; the add/subtract order below is the
 * reference's. Storing into a `Float32Array` is the float32 rounding of the
 * quotient. Columns are filtered a whole row at a time (one running sum per
 * column) so memory is read sequentially; the arithmetic per column is unchanged.
 */

/** Half-window of the box filter: `(w + 2) / 2`, integer division. */
function halfWindow(window: number): number {
  return (window + 2) >> 1;
}

/** The 1-D window used along a side of `length` pixels: `ceil(length / 128)`. */
export function windowFor(length: number): number {
  return Math.floor((length + 127) / 128);
}

/** Box-filters every row of `input` (width x height) into `output`. */
export function boxFilterRows(input: Float32Array, output: Float32Array, width: number, height: number, window: number): void {
  const half = halfWindow(window);
  for (let y = 0; y < height; y++) {
    const base = y * width;
    let sum = 0;
    let count = 0;
    let r = base;
    let l = base;
    let o = base;
    for (let i = 0; i < half - 1; i++) {
      sum = Math.fround(sum + input[r++]);
      count++;
    }
    for (let i = 0; i < window - half + 1; i++) {
      sum = Math.fround(sum + input[r++]);
      count++;
      output[o++] = sum / count;
    }
    for (let i = 0; i < width - window; i++) {
      sum = Math.fround(sum + input[r++]);
      sum = Math.fround(sum - input[l++]);
      output[o++] = sum / count;
    }
    for (let i = 0; i < half - 1; i++) {
      sum = Math.fround(sum - input[l++]);
      count--;
      output[o++] = sum / count;
    }
  }
}

/**
 * Box-filters columns of `input` (width x height) into `output`: every column,
 * or only those listed in `columns` (the rest of `output` is left untouched).
 *
 * @param sums - work buffer of at least `width` entries
 */
export function boxFilterColumns(
  input: Float32Array,
  output: Float32Array,
  width: number,
  height: number,
  window: number,
  sums: Float32Array,
  columns?: Int32Array,
): void {
  const half = halfWindow(window);
  const n = columns ? columns.length : width;
  sums.fill(0, 0, n);
  let count = 0;
  let r = 0;
  let l = 0;
  let o = 0;
  const add = (row: number): void => {
    const base = row * width;
    if (columns) for (let c = 0; c < n; c++) sums[c] += input[base + columns[c]];
    else for (let c = 0; c < n; c++) sums[c] += input[base + c];
  };
  const subtract = (row: number): void => {
    const base = row * width;
    if (columns) for (let c = 0; c < n; c++) sums[c] -= input[base + columns[c]];
    else for (let c = 0; c < n; c++) sums[c] -= input[base + c];
  };
  const emit = (row: number): void => {
    const base = row * width;
    if (columns) for (let c = 0; c < n; c++) output[base + columns[c]] = sums[c] / count;
    else for (let c = 0; c < n; c++) output[base + c] = sums[c] / count;
  };
  for (let i = 0; i < half - 1; i++) {
    add(r++);
    count++;
  }
  for (let i = 0; i < window - half + 1; i++) {
    add(r++);
    count++;
    emit(o++);
  }
  for (let i = 0; i < height - window; i++) {
    add(r++);
    subtract(l++);
    emit(o++);
  }
  for (let i = 0; i < half - 1; i++) {
    subtract(l++);
    count--;
    emit(o++);
  }
}

/** Cell-centre sample indices: `floor((i + 0.5) * length / 64)`, in double. */
export function decimationIndices(length: number): Int32Array {
  const indices = new Int32Array(64);
  for (let i = 0; i < 64; i++) indices[i] = Math.floor(((i + 0.5) * length) / 64);
  return indices;
}

/**
 * Filters `luma` (width x height, overwritten) with two tent passes and
 * decimates it to the 64x64 `block`.
 *
 * Only the 64 sampled columns survive decimation, so the second column pass
 * filters just those; the values it produces are bit-identical to a full pass.
 *
 * @param work - work buffer of width x height entries
 * @param sums - work buffer of at least `width` entries
 */
export function jaroszDownsample(
  luma: Float32Array,
  width: number,
  height: number,
  work: Float32Array,
  sums: Float32Array,
  block: Float32Array,
): void {
  const rowWindow = windowFor(width);
  const colWindow = windowFor(height);
  const sampleRows = decimationIndices(height);
  const sampleCols = decimationIndices(width);
  boxFilterRows(luma, work, width, height, rowWindow);
  boxFilterColumns(work, luma, width, height, colWindow, sums);
  boxFilterRows(luma, work, width, height, rowWindow);
  boxFilterColumns(work, luma, width, height, colWindow, sums, sampleCols);
  for (let i = 0; i < 64; i++) {
    const row = sampleRows[i] * width;
    for (let j = 0; j < 64; j++) block[i * 64 + j] = luma[row + sampleCols[j]];
  }
}
