/**
 * PDQ throughput on one core, against Meta's C++ reference.
 *
 * Run alone: `node --import tsx bench/pdq.ts`. Images come from the shared
 * PDQ pack (LAPWING_SHARED_DIR, default `<repo>/../shared`).
 *
 * ## The C++ side
 *
 * With LAPWING_BENCH_PDQ_CPP naming a driver built by
 * `bench/pdq-reference/build.sh` (over a ThreatExchange checkout; nothing of
 * Meta's is in this repo), the reference hashes the same pixels and the same
 * files in this run: each case alternates rounds of Lapwing and of C++
 * (swapping which goes first), and a case only counts once both sides gave
 * the same hash. Without it, the figures recorded on another machine
 * (shared/pdq/README.md, "Speed of the C++ reference") are printed, marked
 * "recorded, not measured in this run".
 *
 * Timings are medians of per-image CPU time (user + system of the process
 * doing the work, so other processes on a shared machine do not inflate
 * them), first within a round, then across rounds; the wall time is printed
 * beside. The ratio is the median of the per-round CPU ratios. No test
 * asserts on any of it.
 */
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import sharp from "sharp";
import { decodeImage, hashImage, type PdqMode, pdqFromPixels, type PdqResult, type PixelImage } from "../src/media/index.js";
import { hammingHex } from "../src/media/test-pack.js";
import { ReferenceHasher, type ReferenceTiming } from "./pdq-reference/client.js";

/** Recorded C++ figures (another machine): PDQ of a 512x512 image from pixels (hash only). */
export const CPP_MS_PIXELS_512 = 4.6;
/** Recorded: all 8 dihedral hashes of a 512x512 image from pixels. */
export const CPP_MS_DIHEDRAL_512 = 4.8;
/** Recorded: a 1024x1024 JPEG end to end (decode, pre-resize, hash). */
export const CPP_MS_FILE_1024_JPEG = 42;
/** Recorded: decoding that JPEG alone. */
export const CPP_MS_DECODE_1024_JPEG = 38;

/** Where a row's C++ figure comes from. */
export type CppSource = "in-run" | "recorded";

export interface PdqBenchRow {
  name: string;
  /** Median CPU time per image. */
  msPerImage: number;
  /** Median wall time per image (inflated when the machine is busy). */
  wallMs: number;
  imagesPerSecond: number;
  /** The C++ reference's CPU time for the same work, when known. */
  cppMs?: number;
  cppWallMs?: number;
  cppSource?: CppSource;
  /** Lapwing / C++ CPU time: 1.0 is parity, lower is faster. */
  ratio?: number;
  /** Why the row has no C++ figure, when it could have had one. */
  cppNote?: string;
}

const sharedDir = process.env.LAPWING_SHARED_DIR ?? fileURLToPath(new URL("../../shared/", import.meta.url));
const pack = (relative: string): string => join(sharedDir, "pdq", relative);

interface Timing {
  cpuMs: number;
  wallMs: number;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1];

/** Per-image CPU and wall medians over `count` calls of `run`. */
async function lapwingRound(run: () => unknown, count: number): Promise<Timing> {
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    const c = process.cpuUsage();
    await run();
    const used = process.cpuUsage(c);
    wall.push(performance.now() - t);
    cpu.push((used.user + used.system) / 1000);
  }
  return { cpuMs: median(cpu), wallMs: median(wall) };
}

async function warmUp(run: () => unknown): Promise<void> {
  // A while, not a few calls: V8 optimises the hot loops only after many
  // iterations, and the first case would otherwise pay for it.
  const start = performance.now();
  for (let i = 0; i < 5 || performance.now() - start < 750; i++) await run();
}

interface Case {
  name: string;
  lapwing: () => unknown;
  /** Lapwing's result, to check the C++ side does the same work. */
  lapwingHash?: () => Promise<string>;
  cpp?: (reps: number) => Promise<ReferenceTiming>;
  recordedCppMs?: number;
  /** Images per round on each side. */
  perRound: number;
}

/** Rounds per case; each round runs `perRound` images on each side. */
const ROUNDS = Number(process.env.LAPWING_BENCH_PDQ_ROUNDS ?? 7);

async function runCase(c: Case): Promise<PdqBenchRow> {
  await warmUp(c.lapwing);
  const lapwingOnly = async (): Promise<PdqBenchRow> => {
    const rounds: Timing[] = [];
    for (let r = 0; r < ROUNDS; r++) rounds.push(await lapwingRound(c.lapwing, c.perRound));
    return lapwingRow(c.name, rounds);
  };
  if (!c.cpp) {
    const row = await lapwingOnly();
    if (c.recordedCppMs !== undefined) Object.assign(row, { cppMs: c.recordedCppMs, cppSource: "recorded", ratio: row.msPerImage / c.recordedCppMs });
    return row;
  }
  let check: ReferenceTiming;
  try {
    check = await c.cpp(3); // also the C++ warm-up
  } catch (error) {
    // E.g. CImg without a working ImageMagick `convert` for this format.
    const reason = (error as Error).message.replace(/^C\+\+ reference driver: /, "").replace(/ \(command: .*\)$/, "");
    return { ...(await lapwingOnly()), cppNote: reason };
  }
  const ours = await c.lapwingHash?.();
  let cppNote: string | undefined;
  if (ours !== undefined && ours !== check.hash) {
    // Same pixels must give the same hash; from a file, the two decoders may differ.
    if (!c.name.startsWith("file")) throw new Error(`${c.name}: C++ hash ${check.hash} differs from Lapwing's ${ours}: not the same work`);
    cppNote = `hashes differ (${hammingHex(ours, check.hash)} bits): the decoders gave different pixels`;
  }
  const lapwing: Timing[] = [];
  const cpp: Timing[] = [];
  const ratios: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate who goes first, so neither always runs on a cache the other warmed.
    let ours: Timing;
    let theirs: ReferenceTiming;
    if (r % 2 === 0) {
      ours = await lapwingRound(c.lapwing, c.perRound);
      theirs = await c.cpp(c.perRound);
    } else {
      theirs = await c.cpp(c.perRound);
      ours = await lapwingRound(c.lapwing, c.perRound);
    }
    lapwing.push(ours);
    cpp.push(theirs);
    ratios.push(ours.cpuMs / theirs.cpuMs);
  }
  return {
    ...lapwingRow(c.name, lapwing),
    cppMs: median(cpp.map((t) => t.cpuMs)),
    cppWallMs: median(cpp.map((t) => t.wallMs)),
    cppSource: "in-run",
    ratio: median(ratios),
    ...(cppNote ? { cppNote } : {}),
  };
}

function lapwingRow(name: string, rounds: Timing[]): PdqBenchRow {
  const msPerImage = median(rounds.map((t) => t.cpuMs));
  return { name, msPerImage, wallMs: median(rounds.map((t) => t.wallMs)), imagesPerSecond: 1000 / msPerImage };
}

/** The file's RGB pixels, resized to side x side unless `side` is 0. */
async function rgbPixels(file: string, side: number): Promise<PixelImage> {
  const decoded = sharp(readFileSync(pack(file)));
  const sized = side > 0 ? decoded.resize(side, side, { kernel: "lanczos3" }) : decoded;
  const { data, info } = await sized.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) };
}

/** Runs the benchmark, prints a table, and returns its rows. */
export async function benchPdq(): Promise<PdqBenchRow[]> {
  // One core: libvips would otherwise decode with a thread pool.
  sharp.concurrency(1);
  const driverPath = process.env.LAPWING_BENCH_PDQ_CPP;
  const driver = driverPath ? new ReferenceHasher(driverPath) : undefined;
  const loadBefore = loadavg();
  const startedAt = new Date();
  const cases: Case[] = [];

  const from512 = await rgbPixels("images/synth/plasma_1024.jpg", 512);
  const from1024 = await rgbPixels("images/synth/plasma_1024.jpg", 1024);
  // Not a power of two: the reference's column pass strides a whole row per
  // step, and at 512 or 1024 floats that stride maps every step to the same
  // few cache sets, which slows the C++ side more than a 640-wide image.
  const from640 = await rgbPixels("images/synth/mix_640x480.png", 0);
  for (const [label, image] of [["512x512", from512], ["1024x1024", from1024], ["640x480", from640]] as const) {
    for (const mode of ["full", "reference"] as const satisfies readonly PdqMode[]) {
      if (label === "640x480" && mode === "reference") continue; // the same as 512x512 after the pre-resize
      for (const dihedral of [false, true]) {
        // At 512x512 both modes hash the same pixels, so the recorded figure applies to both.
        const recorded = label === "512x512" || mode === "reference" ? (dihedral ? CPP_MS_DIHEDRAL_512 : CPP_MS_PIXELS_512) : undefined;
        const hashOf = (r: PdqResult): string => (dihedral ? `${r.dihedral?.orig}` : r.hash);
        cases.push({
          name: `pixels ${label} ${mode}${dihedral ? " +dihedral" : ""}`,
          lapwing: () => pdqFromPixels(image, { mode, dihedral }),
          lapwingHash: async () => hashOf(pdqFromPixels(image, { mode, dihedral })),
          cpp: driver && ((reps) => driver.pixels(image, mode, dihedral, reps)),
          recordedCppMs: recorded,
          perRound: label === "1024x1024" && mode === "full" ? 12 : 40,
        });
      }
    }
  }

  const jpeg1024 = readFileSync(pack("images/synth/plasma_1024.jpg"));
  cases.push({
    name: "decode only plasma_1024.jpg",
    lapwing: () => decodeImage(jpeg1024),
    recordedCppMs: driver ? undefined : CPP_MS_DECODE_1024_JPEG,
    perRound: 10,
  });
  const files: Array<[string, number | undefined]> = [
    ["images/synth/plasma_1024.jpg", CPP_MS_FILE_1024_JPEG],
    ["images/variants/plasma_1024__gray.jpg", undefined],
    ["images/repo/bridge-mods/aaa-orig.jpg", undefined],
    ["images/synth/plasma_2048.jpg", undefined],
    ["images/synth/mix_640x480.png", undefined],
    ["images/synth/mix_640x480_lossy_q80.webp", undefined],
    ["images/synth/mix_640x480_24bit.bmp", undefined],
  ];
  for (const [file, recorded] of files) {
    const bytes = readFileSync(pack(file));
    const name = file.split("/").pop();
    for (const mode of ["reference", "full"] as const satisfies readonly PdqMode[]) {
      cases.push({
        name: `file ${name} ${mode}`,
        lapwing: () => hashImage(bytes, { mode }),
        lapwingHash: async () => (await hashImage(bytes, { mode })).pdq,
        cpp: driver && ((reps) => driver.file(pack(file), mode, false, reps)),
        // The recorded figure is the CLI tool, i.e. reference mode.
        recordedCppMs: mode === "reference" ? recorded : undefined,
        perRound: 4,
      });
    }
  }

  const rows: PdqBenchRow[] = [];
  // E.g. LAPWING_BENCH_PDQ_CASES=512 runs only the cases whose name contains "512".
  const only = process.env.LAPWING_BENCH_PDQ_CASES;
  try {
    for (const c of cases) if (!only || c.name.includes(only)) rows.push(await runCase(c));
  } finally {
    driver?.close();
  }
  printTable(rows, {
    startedAt,
    loadBefore,
    loadAfter: loadavg(),
    cpp: driverPath ? `measured in this run by ${driverPath}` : "recorded on another machine (shared/pdq/README.md), not measured in this run: set LAPWING_BENCH_PDQ_CPP to measure",
  });
  return rows;
}

interface RunFacts {
  startedAt: Date;
  loadBefore: number[];
  loadAfter: number[];
  cpp: string;
}

function printTable(rows: PdqBenchRow[], facts: RunFacts): void {
  const load = (l: number[]): string => l.map((x) => x.toFixed(2)).join(" ");
  console.log(`PDQ benchmark, ${facts.startedAt.toISOString()}; one core; median CPU ms per image (wall ms beside); ${ROUNDS} rounds per case`);
  console.log(`load average ${load(facts.loadBefore)} at the start, ${load(facts.loadAfter)} at the end`);
  console.log(`C++ reference: ${facts.cpp}`);
  if (rows.some((r) => r.name.startsWith("file") && r.cppSource === "in-run") || rows.some((r) => r.cppNote)) {
    console.log("C++ from files: CImg decodes (ImageMagick's `convert FILE pnm:-` for JPEG/PNG/WebP/GIF, its own reader for BMP); its CPU time includes the convert processes");
  }
  console.log(
    ["case".padEnd(40), "cpu ms".padStart(8), "wall ms".padStart(8), "img/s".padStart(8), "C++ cpu".padStart(8), "C++ wall".padStart(8), "ratio".padStart(7), " C++ figure"].join(" "),
  );
  for (const r of rows) {
    const source =
      r.cppSource === "in-run"
        ? `in-run${r.cppNote ? `; ${r.cppNote}` : ""}`
        : r.cppNote
          ? `not measured: ${r.cppNote.split("\n")[0]}`
          : r.cppSource === "recorded"
            ? "recorded, not measured in this run"
            : "";
    console.log(
      [
        r.name.padEnd(40),
        r.msPerImage.toFixed(2).padStart(8),
        r.wallMs.toFixed(2).padStart(8),
        r.imagesPerSecond.toFixed(1).padStart(8),
        (r.cppMs?.toFixed(2) ?? "").padStart(8),
        (r.cppWallMs?.toFixed(2) ?? "").padStart(8),
        (r.ratio === undefined ? "" : `${r.ratio.toFixed(2)}x`).padStart(7),
        ` ${source}`,
      ].join(" "),
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchPdq();
}
