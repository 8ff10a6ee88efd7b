import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { dihedralNames, fullSizeRows, type PackRow, referencePixels, referenceRows } from "../test-pack.js";
import { type PdqMode, pdqFromPixels, type PixelImage } from "./index.js";

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
