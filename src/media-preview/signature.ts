import { sniffFormat, type ImageFormat } from "../media/index.js";

/** The image types a preview may declare, and the format the decoder's sniffer must find in the bytes. */
const imageTypes: Record<string, ImageFormat> = {
  "image/jpeg": "jpeg",
  "image/png": "png",
  "image/gif": "gif",
  "image/webp": "webp",
  "image/bmp": "bmp",
  "image/avif": "avif",
};

/**
 * Whether bytes begin the way a file of the declared type must begin. A
 * platform's preview source is trusted for the type it declares only as far
 * as the bytes agree: a page, a script or an error text sent as `image/png`
 * is refused rather than proxied (the console would only show a broken image,
 * but nothing that is not media leaves through the preview route).
 *
 * Images are recognised by the decoder's own sniffer (`sniffFormat`); the
 * video signatures come from their formats: ISO BMFF `ftyp` box (MP4),
 * Matroska/WebM EBML header, Ogg `OggS`.
 */
export function hasMediaSignature(contentType: string, bytes: Uint8Array): boolean {
  const image = imageTypes[contentType];
  if (image) return sniffFormat(bytes) === image;
  const startsWith = (prefix: readonly number[], at = 0) => bytes.length >= at + prefix.length && prefix.every((b, i) => bytes[at + i] === b);
  switch (contentType) {
    case "video/mp4":
      return startsWith([0x66, 0x74, 0x79, 0x70], 4); // "ftyp"
    case "video/webm":
      return startsWith([0x1a, 0x45, 0xdf, 0xa3]);
    case "video/ogg":
      return startsWith([0x4f, 0x67, 0x67, 0x53]); // "OggS"
    default:
      return false;
  }
}
