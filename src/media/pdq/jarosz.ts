/**
 * The Jarosz tent filter and 64x64 decimation (ALGORITHM.md §4).
 *
 * Two passes of a 1-D box filter along rows then columns make a tent. Each box
 * filter keeps a running float32 sum that is never re-summed, so its rounding
 * drifts exactly as in the C++ reference; the add/subtract order below is the
 * reference's. Storing into a `Float32Array` is the float32 rounding.
 *
 * ## Division by a reciprocal is exact here
 *
 * The reference divides the float32 sum `s` by the integer count `c`. We
 * multiply by `1/c` in double instead, which is faster and gives the same
 * float32: `s/c` is never a float32 rounding midpoint (a midpoint times `c`
 * has more than 24 significant bits, so cannot equal `s`) and lies at least
 * about `2^-25/c` (relative) away from one, while `s * (1/c)` in double is
 * within `2^-51` of `s/c`. Rounding both to float32 therefore agrees.
 */

/** Half-window of the box filter: `(w + 2) / 2`, integer division. */
function halfWindow(window: number): number {
  return (window + 2) >> 1;
}

/** The 1-D window used along a side of `length` pixels: `ceil(length / 128)`. */
export function windowFor(length: number): number {
  return Math.floor((length + 127) / 128);
}

/**
 * `1 / count` at each of the `length` outputs of a box filter with `window`:
 * the count rises from `half` to `window`, stays, then falls by one per output
 * over the last `half - 1`.
 */
export function reciprocalCounts(length: number, window: number): Float64Array {
  const half = halfWindow(window);
  const out = new Float64Array(length);
  let o = 0;
  for (let i = 0; i < window - half + 1; i++) out[o++] = 1 / (half + i);
  for (let i = 0; i < length - window; i++) out[o++] = 1 / window;
  for (let i = 1; i <= half - 1; i++) out[o++] = 1 / (window - i);
  return out;
}

/**
 * Box-filters every row of `input` (width x height) into `output`; output `o`
 * of a row is the running sum times `scale[o]` (the reciprocal counts, or ones
 * to keep raw sums).
 *
 * The running sum is a serial chain of float32 roundings, so one row at a time
 * is latency-bound; four rows are filtered together to give the CPU four
 * independent chains. Each row's arithmetic is unchanged.
 */
export function boxFilterRows(
  input: Float32Array,
  output: Float32Array,
  width: number,
  height: number,
  window: number,
  scale: Float64Array,
): void {
  const half = halfWindow(window);
  const lead = half - 1;
  const rise = window - half + 1;
  const middle = width - window;
  let y = 0;
  for (; y + 4 <= height; y += 4) {
    const b0 = y * width;
    const b1 = b0 + width;
    const b2 = b1 + width;
    const b3 = b2 + width;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let r = 0;
    let l = 0;
    let o = 0;
    for (let i = 0; i < lead; i++, r++) {
      s0 = Math.fround(s0 + input[b0 + r]);
      s1 = Math.fround(s1 + input[b1 + r]);
      s2 = Math.fround(s2 + input[b2 + r]);
      s3 = Math.fround(s3 + input[b3 + r]);
    }
    for (let i = 0; i < rise; i++, r++, o++) {
      s0 = Math.fround(s0 + input[b0 + r]);
      s1 = Math.fround(s1 + input[b1 + r]);
      s2 = Math.fround(s2 + input[b2 + r]);
      s3 = Math.fround(s3 + input[b3 + r]);
      const k = scale[o];
      output[b0 + o] = s0 * k;
      output[b1 + o] = s1 * k;
      output[b2 + o] = s2 * k;
      output[b3 + o] = s3 * k;
    }
    for (let i = 0; i < middle; i++, r++, l++, o++) {
      s0 = Math.fround(Math.fround(s0 + input[b0 + r]) - input[b0 + l]);
      s1 = Math.fround(Math.fround(s1 + input[b1 + r]) - input[b1 + l]);
      s2 = Math.fround(Math.fround(s2 + input[b2 + r]) - input[b2 + l]);
      s3 = Math.fround(Math.fround(s3 + input[b3 + r]) - input[b3 + l]);
      const k = scale[o];
      output[b0 + o] = s0 * k;
      output[b1 + o] = s1 * k;
      output[b2 + o] = s2 * k;
      output[b3 + o] = s3 * k;
    }
    for (let i = 0; i < lead; i++, l++, o++) {
      s0 = Math.fround(s0 - input[b0 + l]);
      s1 = Math.fround(s1 - input[b1 + l]);
      s2 = Math.fround(s2 - input[b2 + l]);
      s3 = Math.fround(s3 - input[b3 + l]);
      const k = scale[o];
      output[b0 + o] = s0 * k;
      output[b1 + o] = s1 * k;
      output[b2 + o] = s2 * k;
      output[b3 + o] = s3 * k;
    }
  }
  for (; y < height; y++) {
    const base = y * width;
    let sum = 0;
    let r = base;
    let l = base;
    let o = 0;
    for (let i = 0; i < lead; i++) sum = Math.fround(sum + input[r++]);
    for (let i = 0; i < rise; i++, o++) {
      sum = Math.fround(sum + input[r++]);
      output[base + o] = sum * scale[o];
    }
    for (let i = 0; i < middle; i++, o++) {
      sum = Math.fround(Math.fround(sum + input[r++]) - input[l++]);
      output[base + o] = sum * scale[o];
    }
    for (let i = 0; i < lead; i++, o++) {
      sum = Math.fround(sum - input[l++]);
      output[base + o] = sum * scale[o];
    }
  }
}

/**
 * Box-filters every column of `input` (width x height) into `output`, a whole
 * row at a time with one running sum per column, so memory is read sequentially.
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
): void {
  const scale = reciprocalCounts(height, window);
  const half = halfWindow(window);
  sums.fill(0, 0, width);
  let r = 0;
  let l = 0;
  let o = 0;
  let row = 0;
  for (let i = 0; i < half - 1; i++, r += width) {
    for (let c = 0; c < width; c++) sums[c] += input[r + c];
  }
  for (let i = 0; i < window - half + 1; i++, r += width, o += width) {
    const k = scale[row++];
    for (let c = 0; c < width; c++) {
      const sum = Math.fround(sums[c] + input[r + c]);
      sums[c] = sum;
      output[o + c] = sum * k;
    }
  }
  for (let i = 0; i < height - window; i++, r += width, l += width, o += width) {
    const k = scale[row++];
    for (let c = 0; c < width; c++) {
      // Two roundings: add the entering sample, then drop the leaving one.
      const sum = Math.fround(Math.fround(sums[c] + input[r + c]) - input[l + c]);
      sums[c] = sum;
      output[o + c] = sum * k;
    }
  }
  for (let i = 0; i < half - 1; i++, l += width, o += width) {
    const k = scale[row++];
    for (let c = 0; c < width; c++) {
      const sum = Math.fround(sums[c] - input[l + c]);
      sums[c] = sum;
      output[o + c] = sum * k;
    }
  }
}

/**
 * {@link boxFilterColumns} restricted to the listed `columns` (distinct
 * indices); the rest of `output` is left untouched. Same arithmetic per column.
 *
 * @param sums - work buffer of at least `columns.length` entries
 */
export function boxFilterSomeColumns(
  input: Float32Array,
  output: Float32Array,
  width: number,
  height: number,
  window: number,
  sums: Float32Array,
  columns: Int32Array,
): void {
  const scale = reciprocalCounts(height, window);
  const half = halfWindow(window);
  const n = columns.length;
  sums.fill(0, 0, n);
  let r = 0;
  let l = 0;
  let o = 0;
  let row = 0;
  for (let i = 0; i < half - 1; i++, r += width) {
    for (let c = 0; c < n; c++) sums[c] += input[r + columns[c]];
  }
  for (let i = 0; i < window - half + 1; i++, r += width, o += width) {
    const k = scale[row++];
    for (let c = 0; c < n; c++) {
      const x = columns[c];
      const sum = Math.fround(sums[c] + input[r + x]);
      sums[c] = sum;
      output[o + x] = sum * k;
    }
  }
  for (let i = 0; i < height - window; i++, r += width, l += width, o += width) {
    const k = scale[row++];
    for (let c = 0; c < n; c++) {
      const x = columns[c];
      const sum = Math.fround(Math.fround(sums[c] + input[r + x]) - input[l + x]);
      sums[c] = sum;
      output[o + x] = sum * k;
    }
  }
  for (let i = 0; i < half - 1; i++, l += width, o += width) {
    const k = scale[row++];
    for (let c = 0; c < n; c++) {
      const x = columns[c];
      const sum = Math.fround(sums[c] - input[l + x]);
      sums[c] = sum;
      output[o + x] = sum * k;
    }
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
 * Only 64 columns survive decimation, so the second pass divides the row sums
 * only in those columns and filters only those columns; the values they hold
 * are bit-identical to a full pass.
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
  const rowScale = reciprocalCounts(width, rowWindow);
  const sampleRows = decimationIndices(height);
  const sampleCols = decimationIndices(width);
  // Sides under 64 repeat indices; each column must be filtered (and divided) once.
  const distinctCols = Int32Array.from(new Set(sampleCols));

  boxFilterRows(luma, work, width, height, rowWindow, rowScale);
  boxFilterColumns(work, luma, width, height, colWindow, sums);

  boxFilterRows(luma, work, width, height, rowWindow, new Float64Array(width).fill(1));
  for (let y = 0, base = 0; y < height; y++, base += width) {
    for (let c = 0; c < distinctCols.length; c++) {
      const x = distinctCols[c];
      work[base + x] = work[base + x] * rowScale[x];
    }
  }
  boxFilterSomeColumns(work, luma, width, height, colWindow, sums, distinctCols);

  for (let i = 0; i < 64; i++) {
    const row = sampleRows[i] * width;
    for (let j = 0; j < 64; j++) block[i * 64 + j] = luma[row + sampleCols[j]];
  }
}
