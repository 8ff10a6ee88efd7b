import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import sharp from "sharp";
import { decodeImage } from "../decode/index.js";
import { dihedralNames, fullSizeRows, packPath, type PackRow, referenceRows } from "../test-pack.js";
import { type PdqMode, pdqFromPixels, type PixelImage } from "./index.js";

/**
 * The exact pixels the reference hashed: the pack's decoded PNG where it has
 * one, else the original file through our decoder. Either way the SHA-256 of
 * the samples is checked against `decoded_sha256`, so the hasher is tested on
 * the reference's own pixels.
 */
async function referencePixels(row: PackRow): Promise<PixelImage> {
  const channels = Number(row.channels) as 1 | 3;
  let image: PixelImage;
  if (row.decoded_png) {
    const { data, info } = await sharp(readFileSync(packPath(row.decoded_png))).raw().toBuffer({ resolveWithObject: true });
    const pixels = info.width * info.height;
    const samples = new Uint8Array(pixels * channels);
    for (let i = 0; i < pixels; i++) {
      for (let c = 0; c < channels; c++) samples[i * channels + c] = data[i * info.channels + c];
    }
    image = { width: info.width, height: info.height, channels, data: samples };
  } else {
    image = await decodeImage(readFileSync(packPath(row.file)));
  }
  assert.equal(image.channels, channels, "channels");
  assert.equal(createHash("sha256").update(image.data).digest("hex"), row.decoded_sha256, "decoded_sha256");
  return image;
}

function assertRow(image: PixelImage, mode: PdqMode, expected: PackRow): void {
  const result = pdqFromPixels(image, { mode, dihedral: true });
  assert.equal(result.hash, expected.pdq_hash_hex, "hash");
  assert.equal(result.quality, Number(expected.quality), "quality");
  assert.ok(result.dihedral);
  for (const name of dihedralNames) assert.equal(result.dihedral[name], expected[`dih_${name}`], `dihedral ${name}`);
  // Without dihedrals the plain hash and quality are the same.
  const plain = pdqFromPixels(image, { mode });
  assert.equal(plain.hash, expected.pdq_hash_hex);
  assert.equal(plain.quality, Number(expected.quality));
  assert.equal(plain.dihedral, undefined);
}

describe("pdqFromPixels on the reference pixels of every pack row", () => {
  assert.equal(referenceRows.length, 163);
  for (const row of referenceRows) {
    const tag = row.fp_sensitive === "1" ? " [fp_sensitive]" : "";
    test(`${row.file}${tag}`, async () => {
      const image = await referencePixels(row);
      assertRow(image, "reference", row);
      const full = fullSizeRows.get(row.file);
      assert.ok(full, "row in vectors-fullsize.tsv");
      assertRow(image, "full", full);
    });
  }
});

test("the default mode is full", async () => {
  const row = referenceRows.find((r) => r.file === "images/synth/plasma_2048.jpg");
  assert.ok(row);
  const image = await referencePixels(row);
  const full = fullSizeRows.get(row.file);
  assert.ok(full);
  assert.notEqual(full.pdq_hash_hex, row.pdq_hash_hex, "the pack row must tell the modes apart");
  assert.equal(pdqFromPixels(image).hash, full.pdq_hash_hex);
});
