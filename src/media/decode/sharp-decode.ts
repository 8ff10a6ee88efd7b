import type { Metadata, SharpOptions } from "sharp";
import { LapwingError } from "../../errors/index.js";
import { withoutGifTransparency } from "./gif.js";
import type { DecodeLimits } from "./limits.js";
import type { ImageFormat } from "./sniff.js";

/** Interleaved 8-bit RGB, before the grey check. */
export interface RgbPixels {
  width: number;
  height: number;
  rgb: Uint8Array;
}

function failed(format: ImageFormat, cause: unknown): LapwingError {
  const reason = cause instanceof Error ? cause.message.split("\n")[0] : String(cause);
  if (/pixel limit/i.test(reason)) {
    return new LapwingError("MEDIA_TOO_MANY_PIXELS", `The ${format} image is larger than the pixel limit: ${reason}`, { cause });
  }
  return new LapwingError("MEDIA_DECODE_FAILED", `The ${format} image could not be decoded (truncated or corrupt): ${reason}`, { cause });
}

type SharpFactory = (typeof import("sharp"))["default"];
let sharpLoaded: Promise<SharpFactory> | undefined;
// sharp (libvips) is loaded on the first decode, not with this module: a process that never decodes
// here (the serving thread hands images to the hash threads; most CLI commands) does not load it.
const loadSharp = () => (sharpLoaded ??= import("sharp").then((module) => module.default));

/**
 * Decodes JPEG, PNG, WebP, GIF, TIFF or AVIF bytes with sharp (libvips) the
 * way the PDQ reference decoder does (pdq/README.md, "Decoder caveats"):
 * first page or frame only, no EXIF rotation, no ICC transform, alpha dropped
 * without compositing, GIF transparency ignored, 16-bit samples reduced to
 * their low byte, CMYK turned into RGB by ImageMagick's plain formula.
 *
 * The header is read first and the image refused before any pixel is decoded
 * when it declares more than `limits.maxPixels`; sharp's own
 * `limitInputPixels` guards the decode as well.
 */
export async function decodeWithSharp(bytes: Uint8Array, format: ImageFormat, limits: DecodeLimits): Promise<RgbPixels> {
  const sharp = await loadSharp();
  const input = format === "gif" ? withoutGifTransparency(bytes) : bytes;
  const options: SharpOptions = {
    limitInputPixels: limits.maxPixels,
    failOn: "error",
    ignoreIcc: true,
    autoOrient: false,
    pages: 1,
    page: 0,
    sequentialRead: true,
  };
  let meta: Metadata;
  try {
    meta = await sharp(input, options).metadata();
  } catch (cause) {
    throw failed(format, cause);
  }
  const width = meta.width ?? 0;
  const height = meta.pageHeight ?? meta.height ?? 0;
  if (width <= 0 || height <= 0) {
    throw new LapwingError("MEDIA_DECODE_FAILED", `The ${format} image declares no usable size (${width}x${height}).`);
  }
  if (width * height > limits.maxPixels) {
    throw new LapwingError(
      "MEDIA_TOO_MANY_PIXELS",
      `The ${format} image declares ${width}x${height} = ${width * height} pixels, over the limit of ${limits.maxPixels}; it was not decoded.`,
      { details: { width, height, maxPixels: limits.maxPixels } },
    );
  }

  try {
    if (meta.space === "cmyk") return await decodeCmyk(sharp, input, options);
    if (meta.depth === "ushort") return await decode16(sharp, input, options);
    const { data, info } = await sharp(input, options).toColourspace("srgb").raw().toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, rgb: firstThreeBands(data, info.width * info.height, info.channels) };
  } catch (cause) {
    throw failed(format, cause);
  }
}

/** Copies bands 0-2 of each pixel, dropping alpha (not compositing it). */
function firstThreeBands(data: Uint8Array, pixels: number, bands: number): Uint8Array {
  if (bands === 3) return new Uint8Array(data.buffer, data.byteOffset, pixels * 3);
  const rgb = new Uint8Array(pixels * 3);
  if (bands < 3) {
    for (let i = 0, p = 0; i < pixels; i++, p += bands) rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = data[p];
    return rgb;
  }
  for (let i = 0, p = 0, o = 0; i < pixels; i++, p += bands, o += 3) {
    rgb[o] = data[p];
    rgb[o + 1] = data[p + 1];
    rgb[o + 2] = data[p + 2];
  }
  return rgb;
}

/**
 * 16-bit images: the reference casts each 16-bit sample to `uint8_t`, keeping
 * the low byte (a quirk, pdq/README.md caveat 4); most decoders keep the high byte.
 */
async function decode16(sharp: SharpFactory, input: Uint8Array, options: SharpOptions): Promise<RgbPixels> {
  const { data, info } = await sharp(input, options).toColourspace("rgb16").raw({ depth: "ushort" }).toBuffer({ resolveWithObject: true });
  const samples = new Uint16Array(data.buffer, data.byteOffset, data.byteLength >> 1);
  const pixels = info.width * info.height;
  const bands = info.channels;
  const rgb = new Uint8Array(pixels * 3);
  for (let i = 0, p = 0, o = 0; i < pixels; i++, p += bands, o += 3) {
    rgb[o] = samples[p] & 0xff;
    rgb[o + 1] = samples[p + 1] & 0xff;
    rgb[o + 2] = samples[p + 2] & 0xff;
  }
  return { width: info.width, height: info.height, rgb };
}

/**
 * CMYK: libvips hands over the ink values (Adobe inversion undone); the
 * reference's ImageMagick turns them into RGB with no colour profile:
 * `R = round((255 - C) * (255 - K) / 255)`, likewise G from M and B from Y.
 */
async function decodeCmyk(sharp: SharpFactory, input: Uint8Array, options: SharpOptions): Promise<RgbPixels> {
  const { data, info } = await sharp(input, options)
    .pipelineColourspace("cmyk")
    .toColourspace("cmyk")
    .raw()
    .toBuffer({ resolveWithObject: true });
  const pixels = info.width * info.height;
  const bands = info.channels;
  const rgb = new Uint8Array(pixels * 3);
  for (let i = 0, p = 0, o = 0; i < pixels; i++, p += bands, o += 3) {
    const white = 255 - data[p + 3];
    // (x + 127) / 255 floored is round-half-up; x / 255 is never exactly .5 here.
    rgb[o] = Math.floor(((255 - data[p]) * white + 127) / 255);
    rgb[o + 1] = Math.floor(((255 - data[p + 1]) * white + 127) / 255);
    rgb[o + 2] = Math.floor(((255 - data[p + 2]) * white + 127) / 255);
  }
  return { width: info.width, height: info.height, rgb };
}
