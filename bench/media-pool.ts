/**
 * Media hashing through the thread pool (src/known-media/hash-pool.ts) with 1
 * and 2 threads, against hashing on the event loop as Lapwing did before the
 * pool: images per second (wall time for a batch submitted at once) and the
 * event loop's worst stall meanwhile (what `/healthz` would have waited).
 *
 * Run alone: `node --import tsx bench/media-pool.ts [--count 40]`. Images are
 * generated: 1024×1024 noise JPEGs (an ordinary upload) and 3000×3000 flat
 * JPEGs of a few kilobytes (hostile: 9 Mpx to decode). No test asserts on it.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import sharp from "sharp";
import { createMediaHashPool } from "../src/known-media/index.js";
import { defaultDecodeLimits, digestMedia, hashImage } from "../src/media/index.js";

const countArg = process.argv.indexOf("--count");
const count = countArg > 0 ? Number(process.argv[countArg + 1]) : 40;

interface Row {
  images: string;
  how: string;
  perSecond: number;
  worstStallMs: number;
}

async function noiseJpeg(side: number, seed: number): Promise<Buffer> {
  return sharp({ create: { width: side, height: side, channels: 3, background: { r: seed % 255, g: 90, b: 160 }, noise: { type: "gaussian", mean: 128, sigma: 40 } } })
    .jpeg({ quality: 85 })
    .toBuffer();
}

async function flatJpeg(side: number): Promise<Buffer> {
  return sharp({ create: { width: side, height: side, channels: 3, background: { r: 90, g: 140, b: 60 } } })
    .jpeg({ quality: 40 })
    .toBuffer();
}

/** Runs `work`, returning its wall time and the event loop's worst delay meanwhile. */
async function timed(work: () => Promise<unknown>): Promise<{ ms: number; worstStallMs: number }> {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const started = performance.now();
  await work();
  const ms = performance.now() - started;
  delay.disable();
  return { ms, worstStallMs: delay.max / 1e6 };
}

async function measure(name: string, images: Buffer[]): Promise<Row[]> {
  const rows: Row[] = [];
  const job = (bytes: Buffer) => ({ bytes, mode: "full" as const, dihedral: false, limits: defaultDecodeLimits });

  // Before the pool: decode and hash on the event loop, one after another.
  await hashImage(images[0]!);
  const inline = await timed(async () => {
    for (const bytes of images) {
      digestMedia(bytes);
      await hashImage(bytes);
    }
  });
  rows.push({ images: name, how: "on the event loop", perSecond: (images.length * 1000) / inline.ms, worstStallMs: inline.worstStallMs });

  for (const threads of [1, 2]) {
    const pool = createMediaHashPool({ threads, maxQueued: images.length });
    try {
      // Start and warm every thread first: start-up is paid once per process, not per image.
      await Promise.all(Array.from({ length: threads * 2 }, () => pool.run(job(images[0]!), "wait")));
      const pooled = await timed(() => Promise.all(images.map((bytes) => pool.run(job(bytes), "wait"))));
      rows.push({ images: name, how: `pool, ${threads} thread${threads > 1 ? "s" : ""}`, perSecond: (images.length * 1000) / pooled.ms, worstStallMs: pooled.worstStallMs });
    } finally {
      await pool.close();
    }
  }
  return rows;
}

const ordinary = await Promise.all(Array.from({ length: count }, (_, i) => noiseJpeg(1024, i)));
const hostileImage = await flatJpeg(3000);
const hostile = Array.from({ length: Math.max(4, Math.round(count / 5)) }, () => hostileImage);
const rows = [...(await measure(`${ordinary.length} × 1024×1024 JPEG`, ordinary)), ...(await measure(`${hostile.length} × 3000×3000 flat JPEG (${Math.round(hostileImage.length / 1024)} KB)`, hostile))];

console.log("| images | hashed | images/s | worst event-loop stall |");
console.log("| --- | --- | ---: | ---: |");
for (const r of rows) console.log(`| ${r.images} | ${r.how} | ${r.perSecond.toFixed(1)} | ${r.worstStallMs.toFixed(0)} ms |`);
