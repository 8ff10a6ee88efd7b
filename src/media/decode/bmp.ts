import { LapwingError } from "../../errors/index.js";
import type { DecodeLimits } from "./limits.js";
import type { RgbPixels } from "./sharp-decode.js";

/**
 * A small BMP decoder: libvips (and so sharp) cannot read BMP. Follows the
 * Windows DIB format (BITMAPCOREHEADER, BITMAPINFOHEADER and its V2-V5
 * extensions): 1, 4, 8 bit palettes, 16/24/32-bit direct colour, BI_RGB,
 * BI_RLE8, BI_RLE4, BI_BITFIELDS and BI_ALPHABITFIELDS, bottom-up or
 * top-down. The alpha channel is ignored, as in the reference (CImg), which
 * always yields 3 channels for a BMP.
 */

const BI_RGB = 0;
const BI_RLE8 = 1;
const BI_RLE4 = 2;
const BI_BITFIELDS = 3;
const BI_ALPHABITFIELDS = 6;
/** BITMAPCOREHEADER, BITMAPINFOHEADER, V2, V3, OS/2 v2, V4, V5. */
const KNOWN_HEADER_SIZES = [12, 40, 52, 56, 64, 108, 124];

function corrupt(message: string): LapwingError {
  return new LapwingError("MEDIA_DECODE_FAILED", `The bmp image could not be decoded: ${message}.`);
}

/** A colour channel given by a bit mask: shift and width, scaled to 8 bits. */
interface Channel {
  mask: number;
  shift: number;
  max: number;
}

function channelFor(mask: number): Channel {
  const m = mask >>> 0;
  if (m === 0) return { mask: 0, shift: 0, max: 0 };
  let shift = 0;
  while (((m >>> shift) & 1) === 0) shift++;
  return { mask: m, shift, max: m >>> shift };
}

function scaled(pixel: number, c: Channel): number {
  if (c.max === 0) return 0;
  const v = ((pixel & c.mask) >>> 0) >>> c.shift;
  return c.max === 255 ? v : Math.round((v * 255) / c.max);
}

/** Decodes BMP bytes to interleaved RGB, refusing images over `limits.maxPixels` before allocating. */
export function decodeBmp(bytes: Uint8Array, limits: DecodeLimits): RgbPixels {
  if (bytes.length < 26) throw corrupt("the header is truncated");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerSize = view.getUint32(14, true);
  if (!KNOWN_HEADER_SIZES.includes(headerSize)) throw corrupt(`unknown header size ${headerSize}`);
  if (bytes.length < 14 + headerSize) throw corrupt("the header is truncated");
  const isCore = headerSize === 12;
  const width = isCore ? view.getUint16(18, true) : view.getInt32(18, true);
  const rawHeight = isCore ? view.getUint16(20, true) : view.getInt32(22, true);
  const height = Math.abs(rawHeight);
  const dataOffset = view.getUint32(10, true);
  const topDown = rawHeight < 0;
  const bitCount = view.getUint16(isCore ? 24 : 28, true);
  const compression = isCore ? BI_RGB : view.getUint32(30, true);

  if (width <= 0 || height <= 0) throw corrupt(`invalid size ${width}x${height}`);
  if (![1, 4, 8, 16, 24, 32].includes(bitCount)) throw corrupt(`unsupported bit depth ${bitCount}`);
  if (![BI_RGB, BI_RLE8, BI_RLE4, BI_BITFIELDS, BI_ALPHABITFIELDS].includes(compression)) {
    throw new LapwingError("MEDIA_UNSUPPORTED_FORMAT", `BMP compression ${compression} (embedded JPEG/PNG or other) is not supported.`);
  }
  if ((compression === BI_RLE8 && bitCount !== 8) || (compression === BI_RLE4 && bitCount !== 4)) {
    throw corrupt(`RLE compression ${compression} with ${bitCount} bits per pixel`);
  }
  if (width * height > limits.maxPixels) {
    throw new LapwingError(
      "MEDIA_TOO_MANY_PIXELS",
      `The bmp image declares ${width}x${height} = ${width * height} pixels, over the limit of ${limits.maxPixels}; it was not decoded.`,
      { details: { width, height, maxPixels: limits.maxPixels } },
    );
  }

  if (dataOffset >= bytes.length) throw corrupt("the pixel data is missing");

  // Bit masks: inside V2+ headers, or right after a 40-byte header.
  let red = channelFor(bitCount === 16 ? 0x7c00 : 0xff0000);
  let green = channelFor(bitCount === 16 ? 0x03e0 : 0xff00);
  let blue = channelFor(bitCount === 16 ? 0x001f : 0xff);
  const hasMasks = compression === BI_BITFIELDS || compression === BI_ALPHABITFIELDS;
  if (hasMasks) {
    const at = 14 + 40;
    if (at + 12 > bytes.length) throw corrupt("the colour masks are truncated");
    red = channelFor(view.getUint32(at, true));
    green = channelFor(view.getUint32(at + 4, true));
    blue = channelFor(view.getUint32(at + 8, true));
  }

  // Palette for 1/4/8 bits: BGR(X) entries after the header (and masks for a 40-byte header).
  let palette = new Uint8Array(0);
  if (bitCount <= 8) {
    const entrySize = isCore ? 3 : 4;
    let at = 14 + headerSize;
    if (headerSize === 40 && hasMasks) at += compression === BI_ALPHABITFIELDS ? 16 : 12;
    const used = isCore ? 0 : view.getUint32(46, true);
    const count = Math.min(used > 0 ? used : 1 << bitCount, 1 << bitCount, Math.max(0, Math.floor((dataOffset - at) / entrySize)));
    palette = new Uint8Array(256 * 3);
    for (let i = 0; i < count; i++) {
      const p = at + i * entrySize;
      palette[i * 3] = bytes[p + 2];
      palette[i * 3 + 1] = bytes[p + 1];
      palette[i * 3 + 2] = bytes[p];
    }
  }

  const rgb = new Uint8Array(width * height * 3);
  if (compression === BI_RLE8 || compression === BI_RLE4) {
    decodeRle(bytes, dataOffset, width, height, bitCount === 4, palette, rgb);
    return { width, height, rgb };
  }

  const stride = Math.floor((width * bitCount + 31) / 32) * 4;
  if (dataOffset + stride * (height - 1) + Math.ceil((width * bitCount) / 8) > bytes.length) {
    throw corrupt("the pixel data is truncated");
  }
  for (let row = 0; row < height; row++) {
    const y = topDown ? row : height - 1 - row;
    const src = dataOffset + row * stride;
    let o = y * width * 3;
    if (bitCount <= 8) {
      const perByte = 8 / bitCount;
      const valueMask = (1 << bitCount) - 1;
      for (let x = 0; x < width; x++) {
        const byte = bytes[src + Math.floor(x / perByte)];
        const shift = 8 - bitCount * ((x % perByte) + 1);
        const index = (byte >> shift) & valueMask;
        rgb[o++] = palette[index * 3];
        rgb[o++] = palette[index * 3 + 1];
        rgb[o++] = palette[index * 3 + 2];
      }
    } else if (bitCount === 24) {
      for (let x = 0, p = src; x < width; x++, p += 3) {
        rgb[o++] = bytes[p + 2];
        rgb[o++] = bytes[p + 1];
        rgb[o++] = bytes[p];
      }
    } else {
      const size = bitCount / 8;
      for (let x = 0, p = src; x < width; x++, p += size) {
        const pixel = size === 2 ? view.getUint16(p, true) : view.getUint32(p, true);
        rgb[o++] = scaled(pixel, red);
        rgb[o++] = scaled(pixel, green);
        rgb[o++] = scaled(pixel, blue);
      }
    }
  }
  return { width, height, rgb };
}

/**
 * BI_RLE8 / BI_RLE4: runs of (count, index) pairs and escapes (0 = end of
 * line, 1 = end of bitmap, 2 = delta, n >= 3 = n literal pixels, padded to an
 * even byte count). Rows are bottom-up; pixels never written keep palette entry 0.
 */
function decodeRle(
  bytes: Uint8Array,
  start: number,
  width: number,
  height: number,
  isRle4: boolean,
  palette: Uint8Array,
  rgb: Uint8Array,
): void {
  for (let i = 0; i < width * height; i++) {
    rgb[i * 3] = palette[0];
    rgb[i * 3 + 1] = palette[1];
    rgb[i * 3 + 2] = palette[2];
  }
  let x = 0;
  let row = 0;
  let p = start;
  const put = (index: number): void => {
    if (x < width && row < height) {
      const o = ((height - 1 - row) * width + x) * 3;
      rgb[o] = palette[index * 3];
      rgb[o + 1] = palette[index * 3 + 1];
      rgb[o + 2] = palette[index * 3 + 2];
    }
    x++;
  };
  while (row < height) {
    if (p + 1 >= bytes.length) throw corrupt("the RLE data is truncated");
    const count = bytes[p];
    const value = bytes[p + 1];
    p += 2;
    if (count > 0) {
      for (let i = 0; i < count; i++) put(isRle4 ? (i & 1 ? value & 15 : value >> 4) : value);
    } else if (value === 0) {
      x = 0;
      row++;
    } else if (value === 1) {
      return;
    } else if (value === 2) {
      if (p + 1 >= bytes.length) throw corrupt("the RLE data is truncated");
      x += bytes[p];
      row += bytes[p + 1];
      p += 2;
    } else {
      const literalBytes = isRle4 ? Math.ceil(value / 2) : value;
      if (p + literalBytes > bytes.length) throw corrupt("the RLE data is truncated");
      for (let i = 0; i < value; i++) {
        put(isRle4 ? (i & 1 ? bytes[p + (i >> 1)] & 15 : bytes[p + (i >> 1)] >> 4) : bytes[p + i]);
      }
      p += literalBytes + (literalBytes & 1);
    }
  }
}
