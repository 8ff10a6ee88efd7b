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

import type { LumaSource } from "./luma.js";

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

/** Cell-centre sample indices: `floor((i + 0.5) * length / 64)`, in double. */
export function decimationIndices(length: number): Int32Array {
  const indices = new Int32Array(64);
  for (let i = 0; i < 64; i++) indices[i] = Math.floor(((i + 0.5) * length) / 64);
  return indices;
}


/**
 * Filters the luma image (width x height, read from `source` four rows at a
 * time) with two tent passes and decimates it to the 64x64 `block`.
 *
 * ## Streaming
 *
 * The passes are fused so that only one full-size float buffer exists and it
 * is written once: luma rows go straight into the first row pass; each output
 * row of the first column pass goes (four at a time) into the second row
 * pass, of which only the 64 columns decimation reads are kept, divided and
 * stored in an H x 64 buffer; the last column pass runs on that. Each value
 * sees exactly the operations, in the order, of the unfused passes.
 */
export function jaroszDownsample(source: LumaSource, width: number, height: number, block: Float32Array): void {
  const rowWindow = windowFor(width);
  const colWindow = windowFor(height);
  const rowScale = reciprocalCounts(width, rowWindow);
  const colScale = reciprocalCounts(height, colWindow);
  const sampleRows = decimationIndices(height);
  const sampleCols = decimationIndices(width);
  const ones = new Float64Array(width).fill(1);
  const quad = new Float32Array(4 * width);
  const quadOut = new Float32Array(4 * width);
  const filtered = new Float32Array(width * height);

  // Pass 1, rows: luma four rows at a time into the row filter.
  for (let y = 0; y < height; y += 4) {
    const n = Math.min(4, height - y);
    source(y, n, quad);
    boxFilterRows(quad, filtered.subarray(y * width, (y + n) * width), width, n, rowWindow, rowScale);
  }

  // Pass 1, columns, streamed into pass 2, rows (raw sums; only sampled columns divided and kept).
  const kept = new Float32Array(height * 64);
  const sums = new Float32Array(width);
  const half = (colWindow + 2) >> 1;
  let pending = 0;
  const flush = (lastRow: number): void => {
    boxFilterRows(quad, quadOut, width, pending, rowWindow, ones);
    const firstRow = lastRow - pending + 1;
    for (let i = 0; i < pending; i++) {
      const src = i * width;
      const dst = (firstRow + i) * 64;
      for (let j = 0; j < 64; j++) {
        const x = sampleCols[j];
        kept[dst + j] = quadOut[src + x] * rowScale[x];
      }
    }
    pending = 0;
  };
  let r = 0;
  let l = 0;
  let o = 0;
  for (let i = 0; i < half - 1; i++, r += width) {
    for (let c = 0; c < width; c++) sums[c] += filtered[r + c];
  }
  for (; o < height; o++) {
    const q = pending * width;
    const k = colScale[o];
    if (o < colWindow - half + 1) {
      for (let c = 0; c < width; c++) {
        const sum = Math.fround(sums[c] + filtered[r + c]);
        sums[c] = sum;
        quad[q + c] = sum * k;
      }
      r += width;
    } else if (o < height - half + 1) {
      // Two roundings: add the entering sample, then drop the leaving one.
      for (let c = 0; c < width; c++) {
        const sum = Math.fround(Math.fround(sums[c] + filtered[r + c]) - filtered[l + c]);
        sums[c] = sum;
        quad[q + c] = sum * k;
      }
      r += width;
      l += width;
    } else {
      for (let c = 0; c < width; c++) {
        const sum = Math.fround(sums[c] - filtered[l + c]);
        sums[c] = sum;
        quad[q + c] = sum * k;
      }
      l += width;
    }
    pending++;
    if (pending === 4 || o === height - 1) flush(o);
  }

  // Pass 2, columns, on the kept 64 columns; then decimate rows.
  const keptOut = new Float32Array(height * 64);
  boxFilterColumns(kept, keptOut, 64, height, colWindow, new Float32Array(64));
  for (let i = 0; i < 64; i++) block.set(keptOut.subarray(sampleRows[i] * 64, sampleRows[i] * 64 + 64), i * 64);
}
