/**
 * Returns the single-channel copy of interleaved RGB `rgb` when every pixel
 * has R = G = B, else `undefined`. The reference decoder (ImageMagick's PNM
 * writer) emits a grey image in that case even for a truecolour file, and
 * grey luma is the sample itself rather than the RGB weighting, which differs
 * by an ulp for some levels (pdq/README.md, decoder caveat 5).
 */
export function collapseGrey(rgb: Uint8Array, pixels: number): Uint8Array | undefined {
  for (let i = 0, p = 0; i < pixels; i++, p += 3) {
    const r = rgb[p];
    if (rgb[p + 1] !== r || rgb[p + 2] !== r) return undefined;
  }
  const grey = new Uint8Array(pixels);
  for (let i = 0, p = 0; i < pixels; i++, p += 3) grey[i] = rgb[p];
  return grey;
}
