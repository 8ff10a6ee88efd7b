import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { decodeImage } from "./index.js";

/**
 * Hand-built BMPs of a 7x5 image (odd width, so rows need padding) in every
 * supported layout, each checked against the pixels it was built from.
 */
const W = 7;
const H = 5;
const palette: Array<[number, number, number]> = [
  [0, 0, 0], [255, 255, 255], [200, 30, 40], [10, 220, 60], [20, 40, 230], [128, 128, 0], [0, 128, 128], [90, 90, 90],
];
const indexAt = (x: number, y: number): number => (x * 3 + y * 5 + ((x * y) % 3)) % palette.length;
const twoColourIndex = (x: number, y: number): number => (x + y) % 2;

/** Expected top-down RGB for a palette image. */
function expectedRgb(index: (x: number, y: number) => number): Uint8Array {
  const rgb = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) rgb.set(palette[index(x, y)], (y * W + x) * 3);
  return rgb;
}

interface BmpSpec {
  headerSize?: number;
  bitCount: number;
  compression?: number;
  topDown?: boolean;
  masks?: number[];
  palette?: Array<[number, number, number]>;
  /** Pixel data exactly as stored (already ordered and padded). */
  pixels: Uint8Array;
}

function buildBmp(spec: BmpSpec): Uint8Array {
  const headerSize = spec.headerSize ?? 40;
  const masksAfter = headerSize === 40 && spec.masks ? spec.masks.length * 4 : 0;
  const paletteBytes = (spec.palette?.length ?? 0) * (headerSize === 12 ? 3 : 4);
  const offset = 14 + headerSize + masksAfter + paletteBytes;
  const out = new Uint8Array(offset + spec.pixels.length);
  const view = new DataView(out.buffer);
  out[0] = 0x42;
  out[1] = 0x4d;
  view.setUint32(2, out.length, true);
  view.setUint32(10, offset, true);
  view.setUint32(14, headerSize, true);
  if (headerSize === 12) {
    view.setUint16(18, W, true);
    view.setUint16(20, H, true);
    view.setUint16(22, 1, true);
    view.setUint16(24, spec.bitCount, true);
  } else {
    view.setInt32(18, W, true);
    view.setInt32(22, spec.topDown ? -H : H, true);
    view.setUint16(26, 1, true);
    view.setUint16(28, spec.bitCount, true);
    view.setUint32(30, spec.compression ?? 0, true);
    view.setUint32(34, spec.pixels.length, true);
    view.setUint32(46, spec.palette?.length ?? 0, true);
    spec.masks?.forEach((mask, i) => view.setUint32(54 + i * 4, mask, true));
  }
  let at = 14 + headerSize + masksAfter;
  for (const [r, g, b] of spec.palette ?? []) {
    out[at] = b;
    out[at + 1] = g;
    out[at + 2] = r;
    at += headerSize === 12 ? 3 : 4;
  }
  out.set(spec.pixels, offset);
  return out;
}

/** Rows of `bytesPerRow` from `fill(x, y, row)`, bottom-up unless `topDown`, padded to 4 bytes. */
function rows(bytesPerRow: number, fill: (y: number, row: Uint8Array) => void, topDown = false): Uint8Array {
  const stride = Math.ceil(bytesPerRow / 4) * 4;
  const out = new Uint8Array(stride * H);
  for (let y = 0; y < H; y++) {
    const row = new Uint8Array(bytesPerRow);
    fill(y, row);
    out.set(row, (topDown ? y : H - 1 - y) * stride);
  }
  return out;
}

function packIndices(bitCount: number, index: (x: number, y: number) => number): Uint8Array {
  return rows(Math.ceil((W * bitCount) / 8), (y, row) => {
    for (let x = 0; x < W; x++) {
      const bit = x * bitCount;
      row[bit >> 3] |= index(x, y) << (8 - bitCount - (bit & 7));
    }
  });
}

/** Direct colour from a per-pixel encoder writing `size` bytes little-endian. */
function direct(size: number, encode: (rgb: [number, number, number]) => number, topDown = false): Uint8Array {
  return rows(W * size, (y, row) => {
    const view = new DataView(row.buffer);
    for (let x = 0; x < W; x++) {
      const value = encode(palette[indexAt(x, y)]);
      if (size === 2) view.setUint16(x * 2, value, true);
      else if (size === 4) view.setUint32(x * 4, value >>> 0, true);
      else for (let b = 0; b < size; b++) row[x * size + b] = (value >>> (8 * b)) & 0xff;
    }
  }, topDown);
}

/** RLE8 / RLE4 stream: per row (bottom-up), one absolute run then an encoded run, end of line; end of bitmap. */
function rle(isRle4: boolean): Uint8Array {
  const bytes: number[] = [];
  for (let y = H - 1; y >= 0; y--) {
    const idx = Array.from({ length: W }, (_, x) => indexAt(x, y));
    // Absolute run of the first 4 pixels (>= 3 required), padded to 16 bits.
    const literal = idx.slice(0, 4);
    bytes.push(0, literal.length);
    const data = isRle4 ? [(literal[0] << 4) | literal[1], (literal[2] << 4) | literal[3]] : literal;
    bytes.push(...data);
    if (data.length % 2) bytes.push(0);
    // The last 3 pixels as single-pixel encoded runs.
    for (const i of idx.slice(4)) bytes.push(1, isRle4 ? i << 4 : i);
    bytes.push(0, 0);
  }
  bytes.push(0, 1);
  return Uint8Array.from(bytes);
}

const rgb24 = ([r, g, b]: [number, number, number]): number => (r << 16) | (g << 8) | b;

describe("BMP decoder", () => {
  const cases: Array<[string, BmpSpec, Uint8Array]> = [
    ["1-bit palette", { bitCount: 1, palette: palette.slice(0, 2), pixels: packIndices(1, twoColourIndex) }, expectedRgb(twoColourIndex)],
    ["4-bit palette", { bitCount: 4, palette, pixels: packIndices(4, indexAt) }, expectedRgb(indexAt)],
    ["8-bit palette", { bitCount: 8, palette, pixels: packIndices(8, indexAt) }, expectedRgb(indexAt)],
    ["8-bit RLE8", { bitCount: 8, compression: 1, palette, pixels: rle(false) }, expectedRgb(indexAt)],
    ["4-bit RLE4", { bitCount: 4, compression: 2, palette, pixels: rle(true) }, expectedRgb(indexAt)],
    ["24-bit bottom-up", { bitCount: 24, pixels: direct(3, rgb24) }, expectedRgb(indexAt)],
    ["24-bit top-down", { bitCount: 24, topDown: true, pixels: direct(3, rgb24, true) }, expectedRgb(indexAt)],
    ["24-bit OS/2 core header", { headerSize: 12, bitCount: 24, pixels: direct(3, rgb24) }, expectedRgb(indexAt)],
    ["32-bit BI_RGB, alpha byte ignored", { bitCount: 32, pixels: direct(4, (c) => 0x7f000000 | rgb24(c)) }, expectedRgb(indexAt)],
    [
      "32-bit BI_BITFIELDS (V4 header, RGBA byte order)",
      { headerSize: 108, bitCount: 32, compression: 3, masks: [0xff, 0xff00, 0xff0000, 0xff000000], pixels: direct(4, ([r, g, b]) => r | (g << 8) | (b << 16) | 0x10000000) },
      expectedRgb(indexAt),
    ],
  ];
  for (const [name, spec, expected] of cases) {
    test(name, async () => {
      const image = await decodeImage(buildBmp(spec));
      assert.equal(image.format, "bmp");
      assert.equal(image.width, W);
      assert.equal(image.height, H);
      assert.equal(image.channels, 3, "a BMP always has 3 channels");
      assert.deepEqual(image.data, expected);
    });
  }

  test("16-bit: default 5-5-5 and BI_BITFIELDS 5-6-5, scaled to 8 bits", async () => {
    const scale = (v: number, max: number): number => Math.round((v * 255) / max);
    const quantised = (bits: [number, number, number]) => (x: number, y: number): [number, number, number] => {
      const c = palette[indexAt(x, y)];
      return [0, 1, 2].map((i) => scale(c[i] >> (8 - bits[i]), (1 << bits[i]) - 1)) as [number, number, number];
    };
    for (const [bits, masks] of [[[5, 5, 5], undefined], [[5, 6, 5], [0xf800, 0x07e0, 0x001f]]] as const) {
      const [rb, gb, bb] = bits;
      const pixels = direct(2, ([r, g, b]) => ((r >> (8 - rb)) << (gb + bb)) | ((g >> (8 - gb)) << bb) | (b >> (8 - bb)));
      const image = await decodeImage(buildBmp({ bitCount: 16, compression: masks ? 3 : 0, masks: masks ? [...masks] : undefined, pixels }));
      const expected = new Uint8Array(W * H * 3);
      for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) expected.set(quantised([rb, gb, bb])(x, y), (y * W + x) * 3);
      assert.deepEqual(image.data, expected);
    }
  });

  test("a grey 8-bit BMP still has 3 channels", async () => {
    const grey = Array.from({ length: 256 }, (_, i) => [i, i, i] as [number, number, number]);
    const image = await decodeImage(buildBmp({ bitCount: 8, palette: grey, pixels: packIndices(8, (x, y) => x * 30 + y) }));
    assert.equal(image.channels, 3);
    const at = (3 * W + 2) * 3; // x = 2, y = 3: index 63
    assert.deepEqual([...image.data.subarray(at, at + 3)], [63, 63, 63]);
  });

  test("embedded JPEG/PNG compression is unsupported", async () => {
    await assert.rejects(decodeImage(buildBmp({ bitCount: 24, compression: 4, pixels: new Uint8Array(16) })), { code: "MEDIA_UNSUPPORTED_FORMAT" });
  });
});
