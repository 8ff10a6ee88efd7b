/**
 * PDQ match index benchmark: build, memory, snapshot cold load and lookups at
 * threshold 31 for 1M and 10M hashes (random and clustered), against a
 * linear scan in TypeScript and FAISS IndexBinaryMultiHash / IndexBinaryFlat
 * (Debian python3-faiss, run with /usr/bin/python3) on the same hashes and
 * queries in the same run, with FAISS's recall against the exact results.
 *
 *   node --import tsx bench/index.ts [--sizes 1000000,10000000] [--distributions random,clustered]
 *        [--queries 2000] [--linear-queries 20] [--flat-queries 100] [--no-faiss] [--json out.json]
 *
 * Measured on the 2-core dev VM while other sessions loaded it (load average 4-10),
 * threshold 31, FAISS 1.7.3 single-threaded, MultiHash nhash=16 b=16 nflip=1 (exact):
 *
 * | run            | build  | index+hashes | snapshot load | lookups/s (p50 / p99)       | FAISS MultiHash lookups/s (p50) | ratio | FAISS Flat | TS linear |
 * | 1M random      | 3.7 s  | 106 MiB      | 0.36 s        | 688 (0.50 / 12.6 ms)        | 118 (5.8 ms), build 24.7 s      | x5.8  | 34/s       | 20/s      |
 * | 1M clustered   | 3.7 s  | 106 MiB      | 0.38 s        | 1414 (0.36 / 6.3 ms)        | 102 (5.2 ms), build 26.6 s      | x13.8 | 54/s       | 44/s      |
 * | 10M random     | 49.7 s*| 930 MiB      | 1.48 s        | 592 (1.60 / 3.1 ms)         | 9 (233 ms), build 115 s, +2.6 GiB | x69 | 4.1/s      | 4.7/s     |
 * | 10M clustered  | 35.2 s*| 930 MiB      | 1.44 s        | 363 (2.12 / 11.5 ms)        | 10 (85 ms), build 109 s, +2.4 GiB | x38 | 7.1/s      | 4.7/s     |
 *
 * FAISS MultiHash recall and precision 1.0000 against the index in every run; the index
 * agreed with the linear scan and with FAISS Flat on every sampled query.
 * (*) before the MSD bucket sort; with it a 10M build took 16 s wall / 7.7 s CPU on the loaded VM.
 */
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import v8 from "node:v8";
import vm from "node:vm";
import { PdqIndex, type PdqMatch } from "../src/matching/index.js";
import { type Distribution, generateHashes, generateQueries } from "./index-data.js";

export interface BenchIndexOptions {
  sizes?: number[];
  distributions?: Distribution[];
  /** Queries timed against the index and FAISS MultiHash (half planted, half random). */
  queries?: number;
  /** Queries for the TypeScript linear scan (slow at 10M). */
  linearQueries?: number;
  /** Queries for FAISS IndexBinaryFlat. */
  flatQueries?: number;
  maxDistance?: number;
  faiss?: boolean;
  seed?: number;
  log?: (line: string) => void;
}

export interface BenchIndexRun {
  size: number;
  distribution: Distribution;
  clusters: number;
  largestCluster: number;
  buildMs: number;
  memory: { rssMiB: number; heapMiB: number; arrayBuffersMiB: number; indexBytesMiB: number };
  snapshot: { bytesMiB: number; writeMs: number; loadMs: number; loadRssMiB: number; loadArrayBuffersMiB: number; compactBytesMiB: number; compactLoadMs: number };
  lookups: { queries: number; perSecond: number; perCpuSecond: number; p50Ms: number; p99Ms: number; meanMatches: number; loadedPerSecond: number };
  linear: { queries: number; perSecond: number; p50Ms: number; agrees: boolean };
  faiss?: {
    multihash: { config: string; buildS: number; rssMiB: number; perSecond: number; perCpuSecond: number; p50Ms: number; p99Ms: number; recall: number; precision: number };
    flat?: { queries: number; perSecond: number; p50Ms: number; p99Ms: number; agreesWithIndex: boolean };
    ratios: { lookupsVsMultihash: number; cpuLookupsVsMultihash: number; p50VsMultihash: number; p99VsMultihash: number; buildVsMultihash: number; lookupsVsFlat?: number };
  };
}

const MIB = 1024 * 1024;

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

function memory(): NodeJS.MemoryUsage {
  gc();
  gc();
  return process.memoryUsage();
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** The reference: every entry within maxDistance, by brute force. */
function linearScan(hashes: Uint32Array, keys: Uint32Array, q: Uint32Array, qo: number, maxDistance: number): number[] {
  const out: number[] = [];
  const n = keys.length;
  const q0 = q[qo], q1 = q[qo + 1], q2 = q[qo + 2], q3 = q[qo + 3], q4 = q[qo + 4], q5 = q[qo + 5], q6 = q[qo + 6], q7 = q[qo + 7];
  for (let e = 0; e < n; e++) {
    const b = e << 3;
    const d =
      pc(hashes[b] ^ q0) + pc(hashes[b + 1] ^ q1) + pc(hashes[b + 2] ^ q2) + pc(hashes[b + 3] ^ q3) +
      pc(hashes[b + 4] ^ q4) + pc(hashes[b + 5] ^ q5) + pc(hashes[b + 6] ^ q6) + pc(hashes[b + 7] ^ q7);
    if (d <= maxDistance) out.push(keys[e]);
  }
  return out.sort((a, b) => a - b);
}

function pc(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

function keysOf(matches: PdqMatch[]): Uint32Array {
  return Uint32Array.from(matches, (m) => m.key).sort();
}

function timeLookups(index: PdqIndex, queries: Uint32Array, maxDistance: number): { results: Uint32Array[]; perSecond: number; perCpuSecond: number; p50Ms: number; p99Ms: number } {
  const count = queries.length / 8;
  for (let i = 0; i < Math.min(200, count); i++) index.search(queries.subarray(i * 8, i * 8 + 8), maxDistance);
  const latencies = new Float64Array(count);
  const results: Uint32Array[] = [];
  const start = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    const found = index.search(queries.subarray(i * 8, i * 8 + 8), maxDistance);
    latencies[i] = performance.now() - t;
    results.push(keysOf(found));
  }
  const totalMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  latencies.sort();
  return { results, perSecond: (count * 1000) / totalMs, perCpuSecond: (count * 1e6) / (used.user + used.system), p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
}

function writeParts(path: string, parts: Uint8Array[]): number {
  const fd = openSync(path, "w");
  let total = 0;
  try {
    for (const part of parts) {
      let at = 0;
      while (at < part.byteLength) at += writeSync(fd, part, at, Math.min(part.byteLength - at, 1 << 30));
      total += part.byteLength;
    }
  } finally {
    closeSync(fd);
  }
  return total;
}

function readRangeResults(path: string, queries: number): Uint32Array[] {
  const buf = readFileSync(path);
  const words = new BigInt64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8);
  const lims = words.subarray(0, queries + 1);
  const ids = words.subarray(queries + 1);
  const out: Uint32Array[] = [];
  for (let q = 0; q < queries; q++) {
    const lo = Number(lims[q]);
    const hi = Number(lims[q + 1]);
    const r = new Uint32Array(hi - lo);
    for (let i = lo; i < hi; i++) r[i - lo] = Number(ids[i]);
    out.push(r.sort());
  }
  return out;
}

function sameSet(a: Uint32Array, b: Uint32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function intersectCount(a: Uint32Array, b: Uint32Array): number {
  let i = 0, j = 0, n = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) { n++; i++; j++; } else if (a[i] < b[j]) i++; else j++;
  }
  return n;
}

async function benchOne(size: number, distribution: Distribution, o: Required<Omit<BenchIndexOptions, "sizes" | "distributions">>, dir: string): Promise<BenchIndexRun> {
  const log = o.log;
  const r = o.maxDistance;
  const m0 = memory();
  const data = generateHashes(size, distribution, o.seed);
  const queries = generateQueries(data, o.queries, r, o.seed + 1);
  const m1 = memory();

  let t = performance.now();
  let index: PdqIndex | undefined = PdqIndex.fromPacked(data.keys, data.hashes);
  const buildMs = performance.now() - t;
  const m2 = memory();
  const stats = index.stats();
  log(`  built ${size} ${distribution} in ${buildMs.toFixed(0)} ms; segments ${stats.segments.join(",")}; ${(stats.bytes / MIB).toFixed(0)} MiB of arrays`);

  const timed = timeLookups(index, queries, r);
  const meanMatches = timed.results.reduce((s, x) => s + x.length, 0) / timed.results.length;
  log(`  index: ${timed.perSecond.toFixed(0)} lookups/s (${timed.perCpuSecond.toFixed(0)} per CPU-second), p50 ${timed.p50Ms.toFixed(3)} ms, p99 ${timed.p99Ms.toFixed(3)} ms, ${meanMatches.toFixed(1)} matches/query`);

  // Linear scan: a sample from both halves (planted and random).
  const half = o.queries >>> 1;
  const linearIds = [...Array(o.linearQueries).keys()].map((i) => (i % 2 === 0 ? i >>> 1 : half + (i >>> 1)));
  const linLat = new Float64Array(linearIds.length);
  let agrees = true;
  t = performance.now();
  linearIds.forEach((q, i) => {
    const s = performance.now();
    const exact = Uint32Array.from(linearScan(data.hashes, data.keys, queries, q * 8, r));
    linLat[i] = performance.now() - s;
    if (!sameSet(exact, timed.results[q])) agrees = false;
  });
  const linearMs = performance.now() - t;
  linLat.sort();
  log(`  linear scan: ${((linearIds.length * 1000) / linearMs).toFixed(1)} lookups/s (p50 ${percentile(linLat, 50).toFixed(1)} ms); index agrees: ${agrees}`);

  const dataPath = join(dir, `data-${size}-${distribution}.bin`);
  const queryPath = join(dir, `queries-${size}-${distribution}.bin`);
  writeFileSync(dataPath, new Uint8Array(data.hashes.buffer, data.hashes.byteOffset, data.hashes.byteLength));
  writeFileSync(queryPath, new Uint8Array(queries.buffer, queries.byteOffset, queries.byteLength));

  const snapPath = join(dir, `snapshot-${size}-${distribution}.bin`);
  const compactPath = join(dir, `snapshot-compact-${size}-${distribution}.bin`);
  t = performance.now();
  const snapBytes = writeParts(snapPath, index.serializeParts());
  const writeMs = performance.now() - t;
  const compactBytes = writeParts(compactPath, index.serializeParts({ includeTables: false }));
  index = undefined;
  const clusters = data.clusters;
  const largestCluster = data.largestCluster;
  (data as { hashes?: Uint32Array }).hashes = undefined;
  const m3 = memory();

  // Cold load: read the file and view the index over it (page cache warm: the file was just written).
  t = performance.now();
  let loaded: PdqIndex | undefined = PdqIndex.deserialize(readFileSync(snapPath));
  const loadMs = performance.now() - t;
  const m4 = memory();
  const again = timeLookups(loaded, queries, r);
  for (let q = 0; q < timed.results.length; q++) if (!sameSet(again.results[q], timed.results[q])) throw new Error(`loaded index differs at query ${q}`);
  loaded = undefined;
  memory();
  t = performance.now();
  loaded = PdqIndex.deserialize(readFileSync(compactPath));
  const compactLoadMs = performance.now() - t;
  loaded = undefined;
  log(`  snapshot ${(snapBytes / MIB).toFixed(0)} MiB written in ${writeMs.toFixed(0)} ms, loaded in ${loadMs.toFixed(0)} ms (${again.perSecond.toFixed(0)} lookups/s after load); without tables ${(compactBytes / MIB).toFixed(0)} MiB loaded in ${compactLoadMs.toFixed(0)} ms`);

  const run: BenchIndexRun = {
    size,
    distribution,
    clusters,
    largestCluster,
    buildMs,
    memory: {
      rssMiB: (m2.rss - m0.rss) / MIB,
      heapMiB: (m2.heapUsed - m0.heapUsed) / MIB,
      arrayBuffersMiB: (m2.arrayBuffers - m0.arrayBuffers - (m1.arrayBuffers - m0.arrayBuffers - data.keys.byteLength - size * 32)) / MIB,
      indexBytesMiB: stats.bytes / MIB,
    },
    snapshot: {
      bytesMiB: snapBytes / MIB,
      writeMs,
      loadMs,
      loadRssMiB: (m4.rss - m3.rss) / MIB,
      loadArrayBuffersMiB: (m4.arrayBuffers - m3.arrayBuffers) / MIB,
      compactBytesMiB: compactBytes / MIB,
      compactLoadMs,
    },
    lookups: { queries: o.queries, perSecond: timed.perSecond, perCpuSecond: timed.perCpuSecond, p50Ms: timed.p50Ms, p99Ms: timed.p99Ms, meanMatches, loadedPerSecond: again.perSecond },
    linear: { queries: linearIds.length, perSecond: (linearIds.length * 1000) / linearMs, p50Ms: percentile(linLat, 50), agrees },
  };

  if (o.faiss) {
    const outPath = join(dir, `faiss-${size}-${distribution}.bin`);
    const script = fileURLToPath(new URL("./faiss_bench.py", import.meta.url));
    const proc = spawnSync(
      "/usr/bin/python3",
      [script, "--data", dataPath, "--queries", queryPath, "--max-distance", String(r), "--out", outPath, "--flat-queries", String(o.flatQueries), "--latency-queries", String(Math.min(500, Math.ceil(o.queries / 4)))],
      { encoding: "utf8", env: { ...process.env, OMP_NUM_THREADS: "1" }, maxBuffer: 1 << 24 },
    );
    if (proc.status !== 0) throw new Error(`faiss_bench.py failed: ${proc.stderr}`);
    const f = JSON.parse(proc.stdout.trim().split("\n").pop()!);
    const mh = readRangeResults(outPath, o.queries);
    let hit = 0, exactTotal = 0, returned = 0;
    for (let q = 0; q < o.queries; q++) {
      hit += intersectCount(mh[q], timed.results[q]);
      exactTotal += timed.results[q].length;
      returned += mh[q].length;
    }
    const recall = exactTotal === 0 ? 1 : hit / exactTotal;
    const precision = returned === 0 ? 1 : hit / returned;
    let flat: NonNullable<BenchIndexRun["faiss"]>["flat"];
    if (f.flat) {
      const fr = readRangeResults(`${outPath}.flat`, f.flat.queries);
      const k = f.flat.queries >>> 1;
      let same = true;
      for (let i = 0; i < f.flat.queries; i++) {
        const q = i < k ? i : half + (i - k);
        if (!sameSet(fr[i], timed.results[q])) same = false;
      }
      flat = { queries: f.flat.queries, perSecond: f.flat.lookups_per_s, p50Ms: f.flat.p50_ms, p99Ms: f.flat.p99_ms, agreesWithIndex: same };
      rmSync(`${outPath}.flat`, { force: true });
    }
    run.faiss = {
      multihash: {
        config: f.multihash.config,
        buildS: f.multihash.build_s,
        rssMiB: f.multihash.rss_delta_mib,
        perSecond: f.multihash.lookups_per_s,
        perCpuSecond: f.multihash.lookups_per_cpu_s,
        p50Ms: f.multihash.p50_ms,
        p99Ms: f.multihash.p99_ms,
        recall,
        precision,
      },
      flat,
      ratios: {
        lookupsVsMultihash: timed.perSecond / f.multihash.lookups_per_s,
        cpuLookupsVsMultihash: timed.perCpuSecond / f.multihash.lookups_per_cpu_s,
        p50VsMultihash: timed.p50Ms / f.multihash.p50_ms,
        p99VsMultihash: timed.p99Ms / f.multihash.p99_ms,
        buildVsMultihash: buildMs / 1000 / f.multihash.build_s,
        lookupsVsFlat: flat ? timed.perSecond / flat.perSecond : undefined,
      },
    };
    log(`  FAISS MultiHash (${f.multihash.config}, 1 thread): build ${f.multihash.build_s.toFixed(1)} s, +${f.multihash.rss_delta_mib.toFixed(0)} MiB RSS, ${f.multihash.lookups_per_s.toFixed(0)} lookups/s (${f.multihash.lookups_per_cpu_s.toFixed(0)} per CPU-second), p50 ${f.multihash.p50_ms.toFixed(3)} ms, p99 ${f.multihash.p99_ms.toFixed(3)} ms, recall ${recall.toFixed(4)}, precision ${precision.toFixed(4)}`);
    if (flat) log(`  FAISS Flat: ${flat.perSecond.toFixed(1)} lookups/s (${flat.queries} queries), p50 ${flat.p50Ms.toFixed(2)} ms; agrees with index: ${flat.agreesWithIndex}`);
    log(`  ratios (index / FAISS MultiHash): lookups/s x${run.faiss.ratios.lookupsVsMultihash.toFixed(2)} (per CPU-second x${run.faiss.ratios.cpuLookupsVsMultihash.toFixed(2)}), p50 x${run.faiss.ratios.p50VsMultihash.toFixed(2)}, p99 x${run.faiss.ratios.p99VsMultihash.toFixed(2)}, build time x${run.faiss.ratios.buildVsMultihash.toFixed(2)}`);
    rmSync(outPath, { force: true });
  }
  for (const p of [dataPath, queryPath, snapPath, compactPath]) rmSync(p, { force: true });
  return run;
}

/** Runs the benchmark for every size x distribution and returns the figures. */
export async function benchIndex(options: BenchIndexOptions = {}): Promise<BenchIndexRun[]> {
  const o = {
    queries: options.queries ?? 2000,
    linearQueries: options.linearQueries ?? 20,
    flatQueries: options.flatQueries ?? 100,
    maxDistance: options.maxDistance ?? 31,
    faiss: options.faiss ?? true,
    seed: options.seed ?? 12345,
    log: options.log ?? ((line: string) => console.log(line)),
  };
  const dir = mkdtempSync(join(tmpdir(), "lapwing-bench-index-"));
  const runs: BenchIndexRun[] = [];
  try {
    for (const size of options.sizes ?? [1_000_000, 10_000_000]) {
      for (const distribution of options.distributions ?? (["random", "clustered"] as const)) {
        o.log(`${size} hashes, ${distribution}:`);
        runs.push(await benchOne(size, distribution, o, dir));
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return runs;
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const sizes = argValue("--sizes")?.split(",").map(Number);
  const distributions = argValue("--distributions")?.split(",") as Distribution[] | undefined;
  const num = (name: string): number | undefined => (argValue(name) === undefined ? undefined : Number(argValue(name)));
  const runs = await benchIndex({
    sizes,
    distributions,
    queries: num("--queries"),
    linearQueries: num("--linear-queries"),
    flatQueries: num("--flat-queries"),
    faiss: !process.argv.includes("--no-faiss"),
  });
  const json = argValue("--json");
  if (json !== undefined) writeFileSync(json, JSON.stringify(runs, null, 2));
  console.log(JSON.stringify(runs, null, 2));
}
