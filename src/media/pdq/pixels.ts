/**
 * Decoded 8-bit pixels, as the PDQ hasher takes them: row-major, interleaved,
 * `channels` bytes per pixel. One channel is the grey path (luma = sample);
 * three is RGB (luma from the float32 BT.601 weights). No alpha: drop it first.
 *
 * @example
 * ```ts
 * const image: PixelImage = { width: 2, height: 1, channels: 3, data: Uint8Array.of(255, 0, 0, 0, 0, 255) };
 * ```
 */
export interface PixelImage {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Uint8Array;
}
