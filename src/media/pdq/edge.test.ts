import assert from "node:assert/strict";
import { test } from "node:test";
import { thresholdToHex } from "./bits.js";
import { dct64To16 } from "./dct.js";
import { type PixelImage, pdqFromPixels } from "./index.js";
import { jaroszDownsample } from "./jarosz.js";
import { lumaFromPixels } from "./luma.js";

const ZERO = "0".repeat(64);

/** Deterministic noise (a 32-bit LCG) so a failure replays exactly. */
function noiseImage(width: number, height: number, channels: 1 | 3, seed = 7): PixelImage {
  const data = new Uint8Array(width * height * channels);
  let state = seed >>> 0;
  for (let i = 0; i < data.length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    data[i] = state >>> 24;
  }
  return { width, height, channels, data };
}

function bitCount(hex: string): number {
  let n = 0;
  for (const digit of hex) for (let v = parseInt(digit, 16); v; v >>= 1) n += v & 1;
  return n;
}

test("a side under 5 pixels gives the zero hash and quality 0, dihedrals too", () => {
  for (const [w, h] of [[4, 100], [100, 4], [0, 0], [1, 1]]) {
    const result = pdqFromPixels(noiseImage(w, h, 3), { dihedral: true });
    assert.equal(result.hash, ZERO);
    assert.equal(result.quality, 0);
    assert.ok(result.dihedral);
    for (const value of Object.values(result.dihedral)) assert.equal(value, ZERO);
  }
  // 5x5 is hashable.
  assert.notEqual(pdqFromPixels(noiseImage(5, 5, 3)).hash, ZERO);
});

test("reference mode hashes a 4x600 image (pre-resized to 512x512), full mode does not", () => {
  const image = noiseImage(4, 600, 1);
  assert.equal(pdqFromPixels(image, { mode: "full" }).hash, ZERO);
  assert.notEqual(pdqFromPixels(image, { mode: "reference" }).hash, ZERO);
});

test("exactly 64x64: the plain hash skips the filter, the dihedral path does not", () => {
  // Stripes of bright and dark RGB pixels: the window-1 filter's running sum
  // (add the new sample, subtract the old) drifts in the last bits here, and the
  // degenerate spectrum makes those bits decide hash bits.
  const data = new Uint8Array(64 * 64 * 3);
  for (let p = 0; p < 64 * 64; p++) data.set(p % 2 ? [255, 255, 255] : [1, 2, 3], p * 3);
  const image: PixelImage = { width: 64, height: 64, channels: 3, data };

  const luma = new Float32Array(64 * 64);
  lumaFromPixels(image, 64, 64, luma);
  const hexOf = (block: Float32Array): string => {
    const coeffs = new Float32Array(256);
    dct64To16(block, new Float32Array(1024), coeffs);
    return thresholdToHex(coeffs, new Float32Array(256));
  };
  const unfiltered = hexOf(luma.slice());
  const filteredBlock = new Float32Array(4096);
  jaroszDownsample((firstRow, rowCount, out) => out.set(luma.subarray(firstRow * 64, (firstRow + rowCount) * 64)), 64, 64, filteredBlock);
  const filtered = hexOf(filteredBlock);
  assert.notEqual(unfiltered, filtered, "the image must tell the two paths apart");

  const result = pdqFromPixels(image, { dihedral: true });
  assert.equal(result.hash, unfiltered);
  assert.equal(result.dihedral?.orig, filtered);

  // A 65x65 image filters in both paths, so orig equals the plain hash.
  const bigger = pdqFromPixels(noiseImage(65, 65, 3, 11), { dihedral: true });
  assert.equal(bigger.dihedral?.orig, bigger.hash);
});

test("hashes of ordinary images have exactly 128 bits set, dihedrals too", () => {
  for (const image of [noiseImage(300, 200, 3), noiseImage(640, 480, 1, 3), noiseImage(1024, 700, 3, 5)]) {
    for (const mode of ["full", "reference"] as const) {
      const result = pdqFromPixels(image, { mode, dihedral: true });
      assert.equal(bitCount(result.hash), 128);
      assert.ok(result.dihedral);
      for (const value of Object.values(result.dihedral)) assert.equal(bitCount(value), 128);
      assert.match(result.hash, /^[0-9a-f]{64}$/);
      assert.ok(result.quality >= 0 && result.quality <= 100);
    }
  }
});

test("a flat image has quality 0", () => {
  const image: PixelImage = { width: 100, height: 80, channels: 3, data: new Uint8Array(100 * 80 * 3).fill(90) };
  assert.equal(pdqFromPixels(image).quality, 0);
});

test("a pixel buffer that does not match its shape is refused", () => {
  assert.throws(() => pdqFromPixels({ width: 10, height: 10, channels: 3, data: new Uint8Array(299) }), RangeError);
  assert.throws(() => pdqFromPixels({ width: 10, height: 10, channels: 4 as 3, data: new Uint8Array(400) }), RangeError);
  assert.throws(() => pdqFromPixels({ width: 2.5, height: 10, channels: 1, data: new Uint8Array(400) }), RangeError);
});
