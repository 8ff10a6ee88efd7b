import type { PixelImage } from "./pixels.js";

/**
 * Float32 luma weights table: `f32(cX * v)` for every byte value, with the
 * weights rounded to float32 first (ALGORITHM.md §3), red at 0-255, green at
 * 256-511, blue at 512-767: one table base in the hot loops instead of three.
 * Pure constants, built once.
 */
function weightTable(weights: readonly number[]): Float32Array {
  const table = new Float32Array(256 * weights.length);
  weights.forEach((weight, channel) => {
    const w = Math.fround(weight);
    for (let v = 0; v < 256; v++) table[channel * 256 + v] = w * v;
  });
  return table;
}
// The loops below index green at +256 and blue at +512 as literals: named
// module constants were not folded in a bundled build and cost ~20% of the loop.
const WEIGHTS = weightTable([0.299, 0.587, 0.114]);

/** Writes luma rows `firstRow .. firstRow + rowCount - 1` into `out` from index 0. */
export type LumaSource = (firstRow: number, rowCount: number, out: Float32Array) => void;

/**
 * The luma of `image`, optionally nearest-neighbour resampled to `outWidth` x
 * `outHeight` (the reference CLI's pre-resize, ALGORITHM.md §2:
 * `out[y][x] = in[floor(y*H/outH)][floor(x*W/outW)]`), as a source of rows.
 * The resampling table is built once here, not once per call of the source,
 * which the filter calls every four rows.
 *
 * Grey (1 channel) luma is the sample itself; RGB luma is
 * `f32(f32(f32(R*cR) + f32(G*cG)) + f32(B*cB))`, not equal to the sample for
 * 35 grey levels, which is why the decoder's channel choice matters.
 */
export function lumaSource(image: PixelImage, outWidth: number, outHeight: number): LumaSource {
  const { width, height, channels, data } = image;
  if (outWidth === width && outHeight === height) {
    return channels === 1
      ? (firstRow, rowCount, out) => greyLuma(data, firstRow * width, rowCount * width, out)
      : (firstRow, rowCount, out) => rgbLuma(data, firstRow * width, rowCount * width, out);
  }
  // Source offset of each output column, rather than a division per pixel.
  const columnOffset = new Int32Array(outWidth);
  for (let x = 0; x < outWidth; x++) columnOffset[x] = Math.floor((x * width) / outWidth) * channels;
  return (firstRow, rowCount, out) => {
    for (let row = 0; row < rowCount; row++) {
      const srcRow = Math.floor(((firstRow + row) * height) / outHeight) * width * channels;
      if (channels === 1) resampledGreyRow(data, srcRow, columnOffset, out, row * outWidth);
      else resampledRgbRow(data, srcRow, columnOffset, out, row * outWidth);
    }
  };
}

/** The whole luma image of {@link lumaSource}, into `out`. */
export function lumaFromPixels(image: PixelImage, outWidth: number, outHeight: number, out: Float32Array): void {
  lumaSource(image, outWidth, outHeight)(0, outHeight, out);
}

function resampledGreyRow(data: Uint8Array, srcRow: number, columnOffset: Int32Array, out: Float32Array, dstRow: number): void {
  for (let x = 0; x < columnOffset.length; x++) out[dstRow + x] = data[srcRow + columnOffset[x]];
}

function resampledRgbRow(data: Uint8Array, srcRow: number, columnOffset: Int32Array, out: Float32Array, dstRow: number): void {
  const weights = WEIGHTS;
  for (let x = 0; x < columnOffset.length; x++) {
    const p = srcRow + columnOffset[x];
    out[dstRow + x] = Math.fround(Math.fround(weights[data[p]] + weights[256 + data[p + 1]]) + weights[512 + data[p + 2]]);
  }
}

function greyLuma(data: Uint8Array, startPixel: number, pixels: number, out: Float32Array): void {
  for (let i = 0; i < pixels; i++) out[i] = data[startPixel + i];
}

function rgbLuma(data: Uint8Array, startPixel: number, pixels: number, out: Float32Array): void {
  const weights = WEIGHTS;
  for (let i = 0, p = startPixel * 3; i < pixels; i++, p += 3) {
    out[i] = Math.fround(Math.fround(weights[data[p]] + weights[256 + data[p + 1]]) + weights[512 + data[p + 2]]);
  }
}
