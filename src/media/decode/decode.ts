import { LapwingError } from "../../errors/index.js";
import { decodeBmp } from "./bmp.js";
import type { DecodedImage } from "./decoded-image.js";
import { collapseGrey } from "./grey.js";
import { type DecodeLimits, resolveLimits } from "./limits.js";
import { decodeWithSharp } from "./sharp-decode.js";
import { sniffFormat } from "./sniff.js";

/**
 * Decodes image bytes to the 8-bit pixels the PDQ reference hashes. See
 * `decodeWithSharp` and `decodeBmp` for the per-format rules; the result has
 * 1 channel iff every pixel is grey, except BMP, which always has 3.
 *
 * @throws LapwingError `MEDIA_EMPTY`, `PAYLOAD_TOO_LARGE`,
 *   `MEDIA_UNSUPPORTED_FORMAT`, `MEDIA_TOO_MANY_PIXELS` or `MEDIA_DECODE_FAILED`.
 *
 * ## Safety
 *
 * Byte size is checked first, then the declared dimensions are read from the
 * header and refused over `maxPixels` before any pixel buffer is allocated.
 *
 * @example
 * ```ts
 * import { decodeImage } from "lapwing/media";
 * import { isLapwingError } from "lapwing/errors";
 * try {
 *   const image = await decodeImage(bytes, { maxPixels: 40_000_000 });
 * } catch (error) {
 *   if (isLapwingError(error) && error.code === "MEDIA_TOO_MANY_PIXELS") rejectUpload();
 * }
 * ```
 */
export async function decodeImage(bytes: Uint8Array, limits: Partial<DecodeLimits> = {}): Promise<DecodedImage> {
  const resolved = resolveLimits(limits);
  if (bytes.length === 0) throw new LapwingError("MEDIA_EMPTY", "The media has zero bytes; send the image file's contents.");
  if (bytes.length > resolved.maxBytes) {
    throw new LapwingError(
      "PAYLOAD_TOO_LARGE",
      `The media is ${bytes.length} bytes, over the limit of ${resolved.maxBytes}; send a smaller file or raise maxBytes.`,
      { details: { bytes: bytes.length, maxBytes: resolved.maxBytes } },
    );
  }
  const format = sniffFormat(bytes);
  if (format === undefined) {
    throw new LapwingError(
      "MEDIA_UNSUPPORTED_FORMAT",
      "The bytes are not a JPEG, PNG, WebP, GIF, TIFF, AVIF or BMP image (detected from the first bytes, not the file name).",
    );
  }
  if (format === "bmp") {
    const { width, height, rgb } = decodeBmp(bytes, resolved);
    return { format, width, height, channels: 3, data: rgb };
  }
  const { width, height, rgb } = await decodeWithSharp(bytes, format, resolved);
  const grey = collapseGrey(rgb, width * height);
  return grey ? { format, width, height, channels: 1, data: grey } : { format, width, height, channels: 3, data: rgb };
}
