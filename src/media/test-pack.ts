/**
 * Test-only access to the shared PDQ test pack (`shared/pdq/`, laid beside
 * the clone in CI). Set LAPWING_SHARED_DIR to point elsewhere. Not exported
 * from the media face.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { decodeImage } from "./decode/index.js";
import type { PixelImage } from "./pdq/pixels.js";

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

/**
 * The exact pixels the reference hashed for `row` of `vectors.tsv`: the pack's
 * decoded PNG where it has one, else the original file through our decoder.
 * Either way the channel count and the SHA-256 of the samples are checked
 * against the row (`channels`, `decoded_sha256`), so a hasher fed these is
 * tested on the reference's own pixels.
 *
 * @throws Error when the pixels are not the reference's.
 */
export async function referencePixels(row: PackRow): Promise<PixelImage> {
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
  if (image.channels !== channels) throw new Error(`${row.file}: ${image.channels} channels decoded, the reference had ${channels}`);
  const sha = createHash("sha256").update(image.data).digest("hex");
  if (sha !== row.decoded_sha256) throw new Error(`${row.file}: decoded samples differ from the reference's (decoded_sha256)`);
  return image;
}
