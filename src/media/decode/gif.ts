/**
 * Returns a copy of a GIF with the "transparent colour" flag cleared in every
 * Graphic Control Extension before the first image, so a decoder yields the
 * palette colour of the transparent index, as the reference does (pdq/README.md,
 * decoder caveat 1). Walks the block structure (GIF89a spec §§17-24) rather
 * than matching byte patterns; returns the input unchanged if it is malformed
 * (the decoder then reports the error).
 */
export function withoutGifTransparency(bytes: Uint8Array): Uint8Array {
  if (bytes.length < 13) return bytes;
  const copy = Uint8Array.from(bytes);
  let at = 13;
  const screenFlags = bytes[10];
  if (screenFlags & 0x80) at += 3 * (1 << ((screenFlags & 7) + 1));
  const skipSubBlocks = (from: number): number => {
    let p = from;
    while (p < bytes.length) {
      const size = bytes[p];
      p += 1 + size;
      if (size === 0) return p;
    }
    return -1;
  };
  while (at < bytes.length) {
    const introducer = bytes[at];
    if (introducer === 0x21) {
      const label = bytes[at + 1];
      // Graphic Control Extension: block size 4, then packed fields; bit 0 = transparency.
      if (label === 0xf9 && bytes[at + 2] === 4 && at + 3 < bytes.length) copy[at + 3] &= 0xfe;
      at = skipSubBlocks(at + 2);
      if (at < 0) return bytes;
    } else {
      // 0x2c (the first image) or the trailer or garbage: nothing more to patch.
      return introducer === 0x2c ? copy : bytes;
    }
  }
  return bytes;
}
