import assert from "node:assert/strict";
import { test } from "node:test";
import { boxFilterRows, boxFilterRowsSampled, decimationIndices, reciprocalCounts, windowFor } from "./jarosz.js";

/** A seeded generator, so a failure replays. */
function noise(length: number, seed: number): Float32Array {
  const out = new Float32Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = (x >>> 8) / 65793; // 0..255 with fractional parts
  }
  return out;
}

test("the sampled row pass keeps exactly the full row pass's values at the sampled columns", () => {
  // Widths under 64 repeat sample columns; 640 and 1030 have windows of 5 and 9.
  for (const width of [5, 17, 63, 64, 100, 512, 640, 1030]) {
    const window = windowFor(width);
    const scale = reciprocalCounts(width, window);
    const sampleCols = decimationIndices(width);
    const input = noise(4 * width, width);
    const full = new Float32Array(4 * width);
    boxFilterRows(input, full, width, 4, window, scale);
    const kept = new Float32Array(2 * 64 + 4 * 64).fill(Number.NaN);
    boxFilterRowsSampled(input, width, window, sampleCols, scale, kept, 2 * 64);
    assert.ok(kept.subarray(0, 128).every(Number.isNaN), `width ${width}: nothing written before keptStart`);
    for (let row = 0; row < 4; row++) {
      for (let j = 0; j < 64; j++) {
        assert.equal(kept[128 + row * 64 + j], full[row * width + sampleCols[j]], `width ${width}, row ${row}, sample ${j}`);
      }
    }
  }
});
