/**
 * Test-only access to the shared PDQ test pack (`shared/pdq/`, laid beside
 * the clone in CI). Set LAPWING_SHARED_DIR to point elsewhere. Not exported
 * from the media face.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const sharedDir = process.env.LAPWING_SHARED_DIR ?? fileURLToPath(new URL("../../../shared/", import.meta.url));

/** Absolute path of `relative` inside the PDQ pack. */
export function packPath(relative: string): string {
  return join(sharedDir, "pdq", relative);
}

export type PackRow = Record<string, string>;

function readTsv(name: string): PackRow[] {
  const [header, ...lines] = readFileSync(packPath(name), "utf8").trimEnd().split("\n");
  const columns = header.split("\t");
  return lines.map((line) => {
    const cells = line.split("\t");
    return Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? ""]));
  });
}

/** Rows of `vectors.tsv` (reference-CLI mode, with the decode facts). */
export const referenceRows: PackRow[] = readTsv("vectors.tsv");
/** Rows of `vectors-fullsize.tsv` (full-size mode), keyed by `file`. */
export const fullSizeRows: Map<string, PackRow> = new Map(readTsv("vectors-fullsize.tsv").map((r) => [r.file, r]));

export const dihedralNames = ["orig", "rot90", "rot180", "rot270", "flipx", "flipy", "flipp", "flipm"] as const;

/** Hamming distance between two 64-digit hex hashes. */
export function hammingHex(a: string, b: string): number {
  let distance = 0;
  for (let i = 0; i < 64; i += 8) {
    let x = (parseInt(a.slice(i, i + 8), 16) ^ parseInt(b.slice(i, i + 8), 16)) >>> 0;
    while (x) {
      distance += x & 1;
      x >>>= 1;
    }
  }
  return distance;
}
