import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { digestMedia, hashMedia, type PdqMode } from "./index.js";
import { dihedralNames, fullSizeRows, hammingHex, packPath, referenceRows } from "./test-pack.js";

for (const mode of ["reference", "full"] as const satisfies readonly PdqMode[]) {
  test(`hashMedia on the original files, ${mode} mode: >= 95% bit-exact, none over 8 bits`, async (t) => {
    let exact = 0;
    let worst = 0;
    const misses: string[] = [];
    for (const row of referenceRows) {
      const expected = mode === "reference" ? row : fullSizeRows.get(row.file);
      assert.ok(expected);
      const result = await hashMedia(readFileSync(packPath(row.file)), { mode, dihedral: true });
      const distance = hammingHex(result.pdq, expected.pdq_hash_hex);
      worst = Math.max(worst, distance);
      const allExact =
        distance === 0 &&
        result.quality === Number(expected.quality) &&
        dihedralNames.every((name) => result.dihedral?.[name] === expected[`dih_${name}`]);
      if (allExact) exact++;
      else misses.push(`${row.file}: ${distance} bits, quality ${result.quality} vs ${expected.quality}`);
    }
    t.diagnostic(`${mode}: ${exact} of ${referenceRows.length} bit-exact (hash, quality, 8 dihedrals); worst ${worst} bits`);
    for (const miss of misses) t.diagnostic(miss);
    assert.ok(exact >= Math.ceil(0.95 * referenceRows.length), `${exact} bit-exact`);
    assert.ok(worst <= 8, `worst distance ${worst}`);
  });
}

test("hashMedia reports digests of the file bytes, format and size", async () => {
  const bytes = readFileSync(packPath("images/synth/plasma_1024.jpg"));
  const result = await hashMedia(bytes);
  assert.equal(result.md5, createHash("md5").update(bytes).digest("hex"));
  assert.equal(result.sha256, createHash("sha256").update(bytes).digest("hex"));
  assert.equal(result.format, "jpeg");
  assert.equal(result.width, 1024);
  assert.equal(result.height, 1024);
  assert.equal(result.dihedral, undefined);
  // Default mode is full.
  assert.equal(result.pdq, fullSizeRows.get("images/synth/plasma_1024.jpg")?.pdq_hash_hex);
});

test("digestMedia", () => {
  const abc = new TextEncoder().encode("abc");
  assert.deepEqual(digestMedia(abc), {
    md5: "900150983cd24fb0d6963f7d28e17f72",
    sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  });
});
