import type { ImageFormat } from "./sniff.js";

/**
 * Decoded 8-bit pixels as the PDQ reference sees them: row-major, interleaved,
 * 1 byte per pixel when every pixel is grey (R = G = B), else 3 (RGB). Never
 * alpha. `format` is the one detected from the magic bytes.
 *
 * @example
 * ```ts
 * const { format, width, height, channels, data } = await decodeImage(bytes);
 * ```
 */
export interface DecodedImage {
  format: ImageFormat;
  width: number;
  height: number;
  channels: 1 | 3;
  data: Uint8Array;
}
