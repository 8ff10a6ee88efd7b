/**
 * PDQ throughput on one core, against the C++ reference's published figures
 * (shared/pdq/README.md, "Speed of the C++ reference", 2-vCPU Xeon VM).
 *
 * Run alone: `node --import tsx bench/pdq.ts`. Images come from the shared
 * PDQ pack (LAPWING_SHARED_DIR, default `<repo>/../shared`). Timings are
 * medians of per-image CPU time (user + system of this process, so other
 * processes on a shared machine do not inflate them) after a warm-up; the wall
 * time is printed beside. No test asserts on them.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import sharp from "sharp";
import { decodeImage, hashMedia, type PdqMode, pdqFromPixels, type PixelImage } from "../src/media/index.js";

/** C++ reference: PDQ of a 512x512 image from pixels (hash only). */
export const CPP_MS_PIXELS_512 = 4.6;
/** C++ reference: all 8 dihedral hashes of a 512x512 image from pixels. */
export const CPP_MS_DIHEDRAL_512 = 4.8;
/** C++ reference: a 1024x1024 JPEG end to end (decode, pre-resize, hash). */
export const CPP_MS_FILE_1024_JPEG = 42;
/** C++ reference: decoding that JPEG alone. */
export const CPP_MS_DECODE_1024_JPEG = 38;

export interface PdqBenchRow {
  name: string;
  /** Median CPU time per image. */
  msPerImage: number;
  /** Median wall time per image (inflated when the machine is busy). */
  wallMs: number;
  imagesPerSecond: number;
  /** The C++ reference's time for the same work, when published. */
  cppMs?: number;
  /** msPerImage / cppMs: 1.0 is parity, lower is faster. */
  ratio?: number;
}

const sharedDir = process.env.LAPWING_SHARED_DIR ?? fileURLToPath(new URL("../../shared/", import.meta.url));
const pack = (relative: string): string => join(sharedDir, "pdq", relative);

interface Timing {
  cpuMs: number;
  wallMs: number;
}

async function measure(run: () => unknown, minMs = 1500, minRuns = 20): Promise<Timing> {
  // Warm up for a while, not a few calls: V8 optimises the hot loops only
  // after many iterations, and the first case would otherwise pay for it.
  const warmStart = performance.now();
  for (let i = 0; i < 5 || performance.now() - warmStart < 750; i++) await run();
  const cpu: number[] = [];
  const wall: number[] = [];
  const start = performance.now();
  while (cpu.length < minRuns || performance.now() - start < minMs) {
    const t = performance.now();
    const c = process.cpuUsage();
    await run();
    const used = process.cpuUsage(c);
    wall.push(performance.now() - t);
    cpu.push((used.user + used.system) / 1000);
  }
  const median = (values: number[]): number => values.sort((a, b) => a - b)[values.length >> 1];
  return { cpuMs: median(cpu), wallMs: median(wall) };
}

function row(name: string, timing: Timing, cppMs?: number): PdqBenchRow {
  const msPerImage = timing.cpuMs;
  const result: PdqBenchRow = { name, msPerImage, wallMs: timing.wallMs, imagesPerSecond: 1000 / msPerImage };
  if (cppMs !== undefined) {
    result.cppMs = cppMs;
    result.ratio = msPerImage / cppMs;
  }
  return result;
}

async function rgbPixels(file: string, side: number): Promise<PixelImage> {
  const { data, info } = await sharp(readFileSync(pack(file))).resize(side, side, { kernel: "lanczos3" }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) };
}

/** Runs the benchmark, prints a table, and returns its rows. */
export async function benchPdq(): Promise<PdqBenchRow[]> {
  // One core: libvips would otherwise decode with a thread pool.
  sharp.concurrency(1);
  const rows: PdqBenchRow[] = [];
  const from512 = await rgbPixels("images/synth/plasma_1024.jpg", 512);
  const from1024 = await rgbPixels("images/synth/plasma_1024.jpg", 1024);
  for (const [label, image] of [["512x512", from512], ["1024x1024", from1024]] as const) {
    for (const mode of ["full", "reference"] as const satisfies readonly PdqMode[]) {
      const is512 = image.width === 512;
      // At 512x512 both modes hash the same pixels, so the C++ figure applies to both.
      const plainCpp = is512 || mode === "reference" ? CPP_MS_PIXELS_512 : undefined;
      const dihedralCpp = is512 || mode === "reference" ? CPP_MS_DIHEDRAL_512 : undefined;
      rows.push(row(`pixels ${label} ${mode}`, await measure(() => pdqFromPixels(image, { mode })), plainCpp));
      rows.push(row(`pixels ${label} ${mode} +dihedral`, await measure(() => pdqFromPixels(image, { mode, dihedral: true })), dihedralCpp));
    }
  }

  const jpeg1024 = readFileSync(pack("images/synth/plasma_1024.jpg"));
  rows.push(row("decode only plasma_1024.jpg", await measure(() => decodeImage(jpeg1024)), CPP_MS_DECODE_1024_JPEG));
  const files: Array<[string, number | undefined]> = [
    ["images/synth/plasma_1024.jpg", CPP_MS_FILE_1024_JPEG],
    ["images/variants/plasma_1024__gray.jpg", undefined],
    ["images/repo/bridge-mods/aaa-orig.jpg", undefined],
    ["images/synth/plasma_2048.jpg", undefined],
    ["images/synth/mix_640x480.png", undefined],
    ["images/synth/mix_640x480_lossy_q80.webp", undefined],
    ["images/synth/mix_640x480_24bit.bmp", undefined],
  ];
  for (const [file, cpp] of files) {
    const bytes = readFileSync(pack(file));
    const name = file.split("/").pop();
    for (const mode of ["reference", "full"] as const satisfies readonly PdqMode[]) {
      // The C++ figure is the CLI tool, i.e. reference mode.
      rows.push(row(`file ${name} ${mode}`, await measure(() => hashMedia(bytes, { mode }), 2000, 10), mode === "reference" ? cpp : undefined));
    }
  }

  console.log("PDQ benchmark (one core; median CPU ms per image, wall ms beside)");
  console.log(["case".padEnd(44), "cpu ms".padStart(8), "wall ms".padStart(8), "img/s".padStart(8), "C++ ms".padStart(8), "ratio".padStart(7)].join(" "));
  for (const r of rows) {
    console.log(
      [
        r.name.padEnd(44),
        r.msPerImage.toFixed(2).padStart(8),
        r.wallMs.toFixed(2).padStart(8),
        r.imagesPerSecond.toFixed(1).padStart(8),
        (r.cppMs?.toFixed(1) ?? "").padStart(8),
        (r.ratio === undefined ? "" : `${r.ratio.toFixed(2)}x`).padStart(7),
      ].join(" "),
    );
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchPdq();
}
