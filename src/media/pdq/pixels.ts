/**
 * Decoded 8-bit pixels, as the PDQ hasher takes them: row-major, interleaved,
 * `channels` bytes per pixel. One channel is the grey path (luma = sample);
 * three is RGB (luma from the float32 BT.601 weights). No alpha: drop it first.
 */
export interface PixelImage {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Uint8Array;
}
