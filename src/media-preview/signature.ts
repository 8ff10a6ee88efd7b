/**
 * Whether bytes begin the way a file of the declared type must begin. A
 * platform's preview source is trusted for the type it declares only as far
 * as the bytes agree: a page, a script or an error text sent as `image/png`
 * is refused rather than proxied (the console would only show a broken image,
 * but nothing that is not media leaves through the preview route).
 *
 * Signatures from the formats' specifications: JPEG (SOI FF D8 FF), PNG
 * (RFC 2083 §12.12), GIF87a/89a, RIFF…WEBP, ISO BMFF `ftyp` boxes (AVIF, MP4),
 * BMP `BM`, Matroska/WebM EBML header, Ogg `OggS`.
 */
export function hasMediaSignature(contentType: string, bytes: Uint8Array): boolean {
  const startsWith = (prefix: readonly number[], at = 0) => bytes.length >= at + prefix.length && prefix.every((b, i) => bytes[at + i] === b);
  const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));
  switch (contentType) {
    case "image/jpeg":
      return startsWith([0xff, 0xd8, 0xff]);
    case "image/png":
      return startsWith([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    case "image/gif":
      return startsWith(ascii("GIF87a")) || startsWith(ascii("GIF89a"));
    case "image/webp":
      return startsWith(ascii("RIFF")) && startsWith(ascii("WEBP"), 8);
    case "image/bmp":
      return startsWith(ascii("BM"));
    case "image/avif":
    case "video/mp4":
      return startsWith(ascii("ftyp"), 4);
    case "video/webm":
      return startsWith([0x1a, 0x45, 0xdf, 0xa3]);
    case "video/ogg":
      return startsWith(ascii("OggS"));
    default:
      return false;
  }
}
