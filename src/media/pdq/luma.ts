import type { PixelImage } from "./pixels.js";

/**
 * Float32 luma tables: `f32(cX * v)` for every byte value, with the weights
 * rounded to float32 first (ALGORITHM.md §3). Pure constants, built once.
 */
function weightTable(weight: number): Float32Array {
  const w = Math.fround(weight);
  const table = new Float32Array(256);
  for (let v = 0; v < 256; v++) table[v] = w * v;
  return table;
}
const RED = weightTable(0.299);
const GREEN = weightTable(0.587);
const BLUE = weightTable(0.114);

/**
 * Writes the luma of rows `firstRow .. firstRow + rowCount - 1` of `image`,
 * optionally nearest-neighbour resampled to `outWidth` x `outHeight` (the
 * reference CLI's pre-resize, ALGORITHM.md §2:
 * `out[y][x] = in[floor(y*H/outH)][floor(x*W/outW)]`), into `out` from index 0.
 *
 * Grey (1 channel) luma is the sample itself; RGB luma is
 * `f32(f32(f32(R*cR) + f32(G*cG)) + f32(B*cB))`, not equal to the sample for
 * 35 grey levels, which is why the decoder's channel choice matters.
 */
export function lumaRows(
  image: PixelImage,
  outWidth: number,
  outHeight: number,
  firstRow: number,
  rowCount: number,
  out: Float32Array,
): void {
  const { width, height, channels, data } = image;
  if (outWidth === width && outHeight === height) {
    const start = firstRow * width;
    if (channels === 1) greyLuma(data, start, rowCount * width, out);
    else rgbLuma(data, start, rowCount * width, out);
    return;
  }
  // Source offset of each output column, computed once per call rather than
  // with a division per pixel.
  const columnOffset = new Int32Array(outWidth);
  for (let x = 0; x < outWidth; x++) columnOffset[x] = Math.floor((x * width) / outWidth) * channels;
  for (let row = 0; row < rowCount; row++) {
    const y = firstRow + row;
    const srcRow = Math.floor((y * height) / outHeight) * width * channels;
    const dstRow = row * outWidth;
    if (channels === 1) {
      for (let x = 0; x < outWidth; x++) out[dstRow + x] = data[srcRow + columnOffset[x]];
    } else {
      for (let x = 0; x < outWidth; x++) {
        const p = srcRow + columnOffset[x];
        out[dstRow + x] = Math.fround(Math.fround(RED[data[p]] + GREEN[data[p + 1]]) + BLUE[data[p + 2]]);
      }
    }
  }
}

/** {@link lumaRows} for the whole image. */
export function lumaFromPixels(image: PixelImage, outWidth: number, outHeight: number, out: Float32Array): void {
  lumaRows(image, outWidth, outHeight, 0, outHeight, out);
}

function greyLuma(data: Uint8Array, startPixel: number, pixels: number, out: Float32Array): void {
  for (let i = 0; i < pixels; i++) out[i] = data[startPixel + i];
}

function rgbLuma(data: Uint8Array, startPixel: number, pixels: number, out: Float32Array): void {
  const red = RED;
  const green = GREEN;
  const blue = BLUE;
  for (let i = 0, p = startPixel * 3; i < pixels; i++, p += 3) {
    out[i] = Math.fround(Math.fround(red[data[p]] + green[data[p + 1]]) + blue[data[p + 2]]);
  }
}
