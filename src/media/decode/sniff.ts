/**
 * The image formats Lapwing decodes, as detected from magic bytes.
 *
 * @example
 * ```ts
 * const format: ImageFormat | undefined = sniffFormat(bytes);
 * ```
 */
export type ImageFormat = "jpeg" | "png" | "gif" | "webp" | "tiff" | "avif" | "bmp";

function startsWith(bytes: Uint8Array, offset: number, magic: readonly number[]): boolean {
  if (bytes.length < offset + magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (bytes[offset + i] !== magic[i]) return false;
  return true;
}

const ascii = (text: string): number[] => Array.from(text, (c) => c.charCodeAt(0));

/**
 * Detects the format from the first bytes, never from a file name. Returns
 * `undefined` for anything else (including HEIC, whose decoder sharp's
 * prebuilt libvips lacks).
 *
 * @example
 * ```ts
 * sniffFormat(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0)); // "jpeg"
 * sniffFormat(new TextEncoder().encode("hello")); // undefined
 * ```
 */
export function sniffFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (startsWith(bytes, 0, [0xff, 0xd8, 0xff])) return "jpeg";
  if (startsWith(bytes, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (startsWith(bytes, 0, ascii("GIF87a")) || startsWith(bytes, 0, ascii("GIF89a"))) return "gif";
  if (startsWith(bytes, 0, ascii("RIFF")) && startsWith(bytes, 8, ascii("WEBP"))) return "webp";
  if (startsWith(bytes, 0, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, 0, [0x4d, 0x4d, 0x00, 0x2a])) return "tiff";
  if (startsWith(bytes, 0, ascii("BM")) && bytes.length >= 26) return "bmp";
  if (startsWith(bytes, 4, ascii("ftyp"))) {
    // ISO-BMFF: the major brand, then compatible brands, name the codec.
    const boxSize = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
    const end = Math.min(bytes.length, Math.max(16, boxSize), 256);
    for (let at = 8; at + 4 <= end; at += 4) {
      if (at === 12) continue; // minor version
      if (startsWith(bytes, at, ascii("avif")) || startsWith(bytes, at, ascii("avis"))) return "avif";
    }
  }
  return undefined;
}
