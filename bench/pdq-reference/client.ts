/**
 * Talks to the C++ reference driver (driver.cpp, built by build.sh) over its
 * stdin/stdout line protocol. One process serves the whole run, so start-up
 * is paid once and the bench can alternate rounds with Lapwing.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface, type Interface } from "node:readline";
import type { PdqMode, PixelImage } from "../../src/media/index.js";

/** One reply of the driver: the last repetition's hashes, and per-image medians. */
export interface ReferenceTiming {
  hash: string;
  quality: number;
  /** orig, rot90, rot180, rot270, flipx, flipy, flipp, flipm; null without dihedral. */
  dihedral: string[] | null;
  reps: number;
  /** Median CPU ms per image (process CPU clock; plus `convert` children for files). */
  cpuMs: number;
  /** Median wall ms per image (monotonic clock). */
  wallMs: number;
  cpuMsMin: number;
  wallMsMin: number;
}

export class ReferenceHasher {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: Interface;
  private readonly waiting: Array<(line: string) => void> = [];
  private readonly scratchDir = mkdtempSync(join(tmpdir(), "lapwing-pdq-ref-"));
  private readonly rawFiles = new WeakMap<PixelImage, string>();
  private rawCount = 0;

  constructor(binary: string) {
    this.child = spawn(binary, [], { stdio: ["pipe", "pipe", "pipe"] });
    this.child.stderr.setEncoding("utf8");
    // CImg reports load failures on stderr; the JSON reply carries the error.
    this.child.stderr.on("data", () => {});
    this.lines = createInterface({ input: this.child.stdout });
    this.lines.on("line", (line) => this.waiting.shift()?.(line));
    this.child.on("exit", () => {
      for (const resolve of this.waiting.splice(0)) resolve(JSON.stringify({ error: "driver exited" }));
    });
  }

  private async ask(command: string): Promise<ReferenceTiming> {
    const reply = new Promise<string>((resolve) => this.waiting.push(resolve));
    this.child.stdin.write(`${command}\n`);
    const parsed = JSON.parse(await reply) as ReferenceTiming | { error: string };
    if ("error" in parsed) throw new Error(`C++ reference driver: ${parsed.error} (command: ${command})`);
    return parsed;
  }

  /** Hashes `image` `reps` times from its pixels (written once to a scratch file). */
  pixels(image: PixelImage, mode: PdqMode, dihedral: boolean, reps: number): Promise<ReferenceTiming> {
    let raw = this.rawFiles.get(image);
    if (raw === undefined) {
      raw = join(this.scratchDir, `image-${this.rawCount++}.raw`);
      writeFileSync(raw, image.data.subarray(0, image.width * image.height * image.channels));
      this.rawFiles.set(image, raw);
    }
    return this.ask(`pixels ${raw} ${image.width} ${image.height} ${image.channels} ${mode} ${dihedral ? 1 : 0} ${reps}`);
  }

  /** Hashes the file at `path` end to end (CImg decode, ImageMagick for most formats) `reps` times. */
  file(path: string, mode: PdqMode, dihedral: boolean, reps: number): Promise<ReferenceTiming> {
    if (/\s/.test(path)) throw new Error(`the driver protocol cannot carry a path with spaces: ${path}`);
    return this.ask(`file ${path} ${mode} ${dihedral ? 1 : 0} ${reps}`);
  }

  close(): void {
    this.child.stdin.end("quit\n");
    rmSync(this.scratchDir, { recursive: true, force: true });
  }
}
