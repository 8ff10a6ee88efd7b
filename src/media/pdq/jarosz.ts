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

/**
 * The row pass of {@link boxFilterRows} on four rows of `input` (width wide),
 * keeping only the outputs at columns `sampleCols` (ascending, possibly
 * repeated): output `sampleCols[j]` of row `i` goes to `kept[keptStart + i * 64 + j]`,
 * scaled by `scale`. The running sums still visit every sample, with the same
 * operations in the same order; only the 64 kept outputs are divided and stored.
 */
export function boxFilterRowsSampled(
  input: Float32Array,
  width: number,
  window: number,
  sampleCols: Int32Array,
  scale: Float64Array,
  kept: Float32Array,
  keptStart: number,
): void {
  const half = halfWindow(window);
  const lead = half - 1;
  const rise = window - half + 1;
  const middle = width - window;
  const b1 = width;
  const b2 = 2 * width;
  const b3 = 3 * width;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  let next = sampleCols[0];
  let r = 0;
  let l = 0;
  let o = 0;
  for (let i = 0; i < lead; i++, r++) {
    s0 = Math.fround(s0 + input[r]);
    s1 = Math.fround(s1 + input[b1 + r]);
    s2 = Math.fround(s2 + input[b2 + r]);
    s3 = Math.fround(s3 + input[b3 + r]);
  }
  for (let i = 0; i < rise; i++, r++, o++) {
    s0 = Math.fround(s0 + input[r]);
    s1 = Math.fround(s1 + input[b1 + r]);
    s2 = Math.fround(s2 + input[b2 + r]);
    s3 = Math.fround(s3 + input[b3 + r]);
    if (o === next) {
      // Store column o for every sample index that asks for it (inline: a
      // closure over the sums would move them out of registers).
      const k = scale[o];
      do {
        const d = keptStart + j;
        kept[d] = s0 * k;
        kept[d + 64] = s1 * k;
        kept[d + 128] = s2 * k;
        kept[d + 192] = s3 * k;
        next = ++j < 64 ? sampleCols[j] : -1;
      } while (next === o);
    }
  }
  for (let i = 0; i < middle; i++, r++, l++, o++) {
    s0 = Math.fround(Math.fround(s0 + input[r]) - input[l]);
    s1 = Math.fround(Math.fround(s1 + input[b1 + r]) - input[b1 + l]);
    s2 = Math.fround(Math.fround(s2 + input[b2 + r]) - input[b2 + l]);
    s3 = Math.fround(Math.fround(s3 + input[b3 + r]) - input[b3 + l]);
    if (o === next) {
      const k = scale[o];
      do {
        const d = keptStart + j;
        kept[d] = s0 * k;
        kept[d + 64] = s1 * k;
        kept[d + 128] = s2 * k;
        kept[d + 192] = s3 * k;
        next = ++j < 64 ? sampleCols[j] : -1;
      } while (next === o);
    }
  }
  for (let i = 0; i < lead; i++, l++, o++) {
    s0 = Math.fround(s0 - input[l]);
    s1 = Math.fround(s1 - input[b1 + l]);
    s2 = Math.fround(s2 - input[b2 + l]);
    s3 = Math.fround(s3 - input[b3 + l]);
    if (o === next) {
      const k = scale[o];
      do {
        const d = keptStart + j;
        kept[d] = s0 * k;
        kept[d + 64] = s1 * k;
        kept[d + 128] = s2 * k;
        kept[d + 192] = s3 * k;
        next = ++j < 64 ? sampleCols[j] : -1;
      } while (next === o);
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
  const quad = new Float32Array(4 * width);
  const filtered = new Float32Array(width * height);

  // Pass 1, rows: luma four rows at a time into the row filter.
  for (let y = 0; y < height; y += 4) {
    const n = Math.min(4, height - y);
    source(y, n, quad);
    boxFilterRows(quad, filtered.subarray(y * width, (y + n) * width), width, n, rowWindow, rowScale);
  }

  // Pass 1, columns, streamed into pass 2, rows (only the sampled columns computed and kept).
  const kept = new Float32Array((height + 3) * 64);
  const sums = new Float32Array(width);
  const half = (colWindow + 2) >> 1;
  let pending = 0;
  const flush = (lastRow: number): void => {
    // Always four rows: rows of `quad` past `pending` hold stale finite values
    // whose outputs land in the slack rows at the end of `kept`.
    boxFilterRowsSampled(quad, width, rowWindow, sampleCols, rowScale, kept, (lastRow - pending + 1) * 64);
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
