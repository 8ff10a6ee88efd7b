/**
 * Checks that a built C++ reference driver hashes the test pack's pixels
 * exactly as the pack records, in both modes, with all 8 dihedral hashes:
 * proof that the bench times the same work on both sides.
 *
 *   node --import tsx bench/pdq-reference/verify.ts /path/to/pdq-driver
 *
 * Pixels are the reference's own (the pack's decoded PNGs, or our decoder
 * checked against `decoded_sha256`), as in src/media/pdq/hasher.test.ts.
 */
import { dihedralNames, fullSizeRows, type PackRow, referencePixels, referenceRows } from "../../src/media/test-pack.js";
import { ReferenceHasher } from "./client.js";

const binary = process.argv[2] ?? process.env.LAPWING_BENCH_PDQ_CPP;
if (!binary) {
  console.error("usage: verify.ts PATH_TO_DRIVER (or set LAPWING_BENCH_PDQ_CPP)");
  process.exit(2);
}

const driver = new ReferenceHasher(binary);
let checked = 0;
const failures: string[] = [];
try {
  for (const row of referenceRows) {
    const image = await referencePixels(row);
    for (const [mode, expected] of [["reference", row], ["full", fullSizeRows.get(row.file)]] as const) {
      if (!expected) throw new Error(`${row.file} is missing from vectors-fullsize.tsv`);
      const got = await driver.pixels(image, mode, true, 1);
      const plain = await driver.pixels(image, mode, false, 1);
      const wrong = mismatches(expected, got.hash, got.quality, got.dihedral ?? []);
      if (plain.hash !== expected.pdq_hash_hex) wrong.push("plain hash");
      if (wrong.length > 0) failures.push(`${row.file} (${mode}): ${wrong.join(", ")}`);
      checked++;
    }
  }
} finally {
  driver.close();
}

function mismatches(expected: PackRow, hash: string, quality: number, dihedral: string[]): string[] {
  const wrong: string[] = [];
  if (hash !== expected.pdq_hash_hex) wrong.push("hash");
  if (quality !== Number(expected.quality)) wrong.push(`quality ${quality} != ${expected.quality}`);
  dihedralNames.forEach((name, i) => {
    if (dihedral[i] !== expected[`dih_${name}`]) wrong.push(`dihedral ${name}`);
  });
  return wrong;
}

console.log(`${checked - failures.length} of ${checked} (file, mode) pairs match vectors.tsv / vectors-fullsize.tsv exactly`);
for (const failure of failures) console.log(`MISMATCH ${failure}`);
process.exit(failures.length > 0 ? 1 : 0);
