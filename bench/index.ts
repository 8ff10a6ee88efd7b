/**
 * PDQ match index benchmark: build, memory, snapshot load (cold: the file evicted from the
 * page cache first; and warm) and lookups at threshold 31 for 1M and 10M hashes (random and
 * clustered), against a linear scan in TypeScript and FAISS (Debian python3-faiss, run with
 * /usr/bin/python3, one thread) on the same hashes and the same queries in the same run:
 * IndexBinaryMultiHash in several exact configurations (nhash x bits : nflip, exact at 31
 * when nhash * (nflip + 1) > 31; recall is checked against the index on every query) and
 * IndexBinaryFlat on a sample. Every query is timed on its own, for Lapwing and for each
 * FAISS config, over the whole query set (half planted near-duplicates, half random), and
 * the percentiles come from the same code. Each FAISS config runs in a process of its own
 * so its build time and RSS are its own. Ratios are against the fastest exact config.
 *
 *   node --import tsx bench/index.ts [--sizes 1000000,10000000] [--distributions random,clustered]
 *        [--queries 2000] [--linear-queries 20] [--flat-queries 100] [--faiss-configs 16x16:1,11x23:2]
 *        [--no-faiss] [--json out.json]
 *
 * --faiss-configs defaults to the sweep 16x16:1,11x23:2,8x32:3,32x8:0 up to 2M hashes and to
 * the two fastest of it at 1M (11x23:2, 16x16:1) above. Full figures, commands, dates and load
 * averages: bench/README.md, "PDQ index". On a quiet machine (2026-12-05 00:35-00:44 UTC, load
 * 0.7-3.4), lookups/s (per CPU-second), 2,000 queries each timed on its own, recall 1.0000 everywhere:
 *
 * | run           | Lapwing        | FAISS 11x23:2 (best) | 16x16:1 (untuned) | Lapwing / best | FAISS best build, RSS | Lapwing build |
 * | 1M random     | 4,997 (4,932)  | 2,566 (2,571)        | 462 (463)         | 1.9x           | 11.0 s, +944 MiB      | 0.33 s        |
 * | 1M clustered  | 4,088 (4,054)  | 2,232 (2,233)        | 499 (500)         | 1.8x           | 6.1 s, +529 MiB       | 0.30 s        |
 * | 10M random    | 1,204 (1,224)  | 311 (328)            | -                 | 3.9x (3.7x)    | 115 s, +5,897 MiB     | 2.46 s        |
 * | 10M clustered | 1,079 (1,168)  | 479 (489)            | -                 | 2.3x (2.4x)    | 71.5 s, +4,428 MiB    | 2.45 s        |
 *
 * In the sweep at 1M under load 11-20, 8x32:3 (151-188 per CPU-second) and 32x8:0 (24-25) were far
 * behind. 10M snapshot (930 MiB): cold load (evicted from the page cache) 0.62-0.68 s, warm 0.59-0.68 s.
 * The 38x/51x/69x of earlier headers were against the untuned 16x16:1 only.
 */
import { spawnSync } from "node:child_process";
import { closeSync, fsyncSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import v8 from "node:v8";
import vm from "node:vm";
import { PdqIndex, type PdqMatch } from "../src/matching/index.js";
import { FAISS_LARGE, FAISS_SWEEP, FAISS_SWEEP_MAX_SIZE, type MultiHashConfig, formatConfig, parseMultiHashConfigs } from "./faiss-configs.js";
import { type Distribution, generateHashes, generateQueries } from "./index-data.js";

export interface BenchIndexOptions {
  sizes?: number[];
  distributions?: Distribution[];
  /** Queries timed one by one against the index and every FAISS MultiHash config (half planted, half random). */
  queries?: number;
  /** Queries for the TypeScript linear scan (slow at 10M). */
  linearQueries?: number;
  /** Queries for FAISS IndexBinaryFlat. */
  flatQueries?: number;
  maxDistance?: number;
  faiss?: boolean;
  /** FAISS MultiHash configs to run at every size; by default the whole sweep up to 2M hashes and two configs above. */
  faissConfigs?: MultiHashConfig[];
  seed?: number;
  log?: (line: string) => void;
}

/** 1-minute load average at the start and end of a measurement. */
export interface Load {
  start: number;
  end: number;
}

export interface LatencySummary {
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  /** p50 over the planted near-duplicate half and over the random half. */
  plantedP50Ms: number;
  randomP50Ms: number;
}

export interface FaissMultiHashRun extends LatencySummary {
  config: string;
  buildS: number;
  rssMiB: number;
  peakMiB: number;
  perSecond: number;
  perCpuSecond: number;
  batchPerSecond: number;
  recall: number;
  precision: number;
  load: Load;
}

export interface BenchIndexRun {
  size: number;
  distribution: Distribution;
  clusters: number;
  largestCluster: number;
  buildMs: number;
  memory: { rssMiB: number; heapMiB: number; arrayBuffersMiB: number; indexBytesMiB: number };
  snapshot: {
    bytesMiB: number;
    writeMs: number;
    /** Resident bytes of the snapshot file in the page cache before each load (fincore; undefined without it). */
    residentBeforeColdMiB?: number;
    residentBeforeWarmMiB?: number;
    coldLoadMs: number;
    warmLoadMs: number;
    loadRssMiB: number;
    loadArrayBuffersMiB: number;
    compactBytesMiB: number;
    compactColdLoadMs: number;
  };
  lookups: LatencySummary & { queries: number; perSecond: number; perCpuSecond: number; meanMatches: number; loadedPerSecond: number; load: Load };
  linear: { queries: number; perSecond: number; p50Ms: number; agrees: boolean };
  faiss?: {
    multihash: FaissMultiHashRun[];
    /** The config with the most lookups/s among those with recall and precision 1. */
    best?: string;
    flat?: { queries: number; perSecond: number; p50Ms: number; p99Ms: number; agreesWithIndex: boolean; load: Load };
    /** Lapwing / best MultiHash config (times: best / Lapwing, so above 1 means Lapwing is ahead). */
    ratios?: { lookups: number; cpuLookups: number; p50: number; p99: number; build: number; lookupsVsFlat?: number };
    /** Lapwing lookups/s / each config's. */
    lookupsRatioByConfig: Record<string, number>;
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

/** Percentiles of per-query latencies, overall and per half (the first half of the queries is planted). */
function summarize(latencies: Float64Array): LatencySummary {
  const half = latencies.length >>> 1;
  const sorted = Float64Array.from(latencies).sort();
  return {
    p50Ms: percentile(sorted, 50),
    p90Ms: percentile(sorted, 90),
    p99Ms: percentile(sorted, 99),
    plantedP50Ms: percentile(latencies.slice(0, half).sort(), 50),
    randomP50Ms: percentile(latencies.slice(half).sort(), 50),
  };
}

function load1(): number {
  return loadavg()[0];
}

function timeLookups(index: PdqIndex, queries: Uint32Array, maxDistance: number): LatencySummary & { results: Uint32Array[]; perSecond: number; perCpuSecond: number; load: Load } {
  const count = queries.length / 8;
  for (let i = 0; i < Math.min(200, count); i++) index.search(queries.subarray(i * 8, i * 8 + 8), maxDistance);
  const latencies = new Float64Array(count);
  const results: Uint32Array[] = [];
  const loadStart = load1();
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
  return { results, perSecond: (count * 1000) / totalMs, perCpuSecond: (count * 1e6) / (used.user + used.system), ...summarize(latencies), load: { start: loadStart, end: load1() } };
}

/** Evicts a file's pages from the page cache (it must be clean: written and fsynced), so the next read comes from disk. */
function dropFromPageCache(path: string): void {
  const code = "import os,sys; fd=os.open(sys.argv[1], os.O_RDONLY); os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED); os.close(fd)";
  const proc = spawnSync("/usr/bin/python3", ["-c", code, path], { encoding: "utf8" });
  if (proc.status !== 0) throw new Error(`could not drop ${path} from the page cache: ${proc.stderr}`);
}

/** Bytes of the file in the page cache (util-linux fincore), or undefined where fincore is missing. */
function residentMiB(path: string): number | undefined {
  const proc = spawnSync("fincore", ["--bytes", "--noheadings", "--output", "RES", path], { encoding: "utf8" });
  if (proc.status !== 0) return undefined;
  return Number(proc.stdout.trim()) / MIB;
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
    // Flushed so the cold-load measurement can evict the pages (dirty pages stay cached).
    fsyncSync(fd);
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

type ResolvedOptions = Required<Omit<BenchIndexOptions, "sizes" | "distributions" | "faissConfigs">> & { faissConfigs?: MultiHashConfig[] };

function fmtLoad(l: Load): string {
  return `load ${l.start.toFixed(1)}-${l.end.toFixed(1)}`;
}

interface FaissOutput {
  config: string;
  build_s: number;
  rss_delta_mib: number;
  peak_delta_mib: number;
  lookups_per_s: number;
  lookups_per_cpu_s: number;
  batch_lookups_per_s: number;
  queries: number;
}

/** Runs bench/faiss_bench.py for one index in a process of its own; returns its JSON, results and latencies. */
function runFaiss(args: string[], dataPath: string, queryPath: string, outPath: string, maxDistance: number): { out: FaissOutput; results: Uint32Array[]; latencies: Float64Array; load: Load } {
  const script = fileURLToPath(new URL("./faiss_bench.py", import.meta.url));
  const loadStart = load1();
  const proc = spawnSync("/usr/bin/python3", [script, "--data", dataPath, "--queries", queryPath, "--max-distance", String(maxDistance), "--out", outPath, ...args], {
    encoding: "utf8",
    env: { ...process.env, OMP_NUM_THREADS: "1" },
    maxBuffer: 1 << 24,
  });
  const load = { start: loadStart, end: load1() };
  if (proc.status !== 0) throw new Error(`faiss_bench.py ${args.join(" ")} failed: ${proc.stderr}`);
  const out = JSON.parse(proc.stdout.trim().split("\n").pop()!) as FaissOutput;
  const results = readRangeResults(outPath, out.queries);
  const lat = readFileSync(`${outPath}.lat`);
  const latencies = new Float64Array(lat.buffer.slice(lat.byteOffset, lat.byteOffset + lat.byteLength));
  rmSync(outPath, { force: true });
  rmSync(`${outPath}.lat`, { force: true });
  return { out, results, latencies, load };
}

async function benchOne(size: number, distribution: Distribution, o: ResolvedOptions, dir: string): Promise<BenchIndexRun> {
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
  log(`  built ${size} ${distribution} in ${buildMs.toFixed(0)} ms (load ${load1().toFixed(1)}); segments ${stats.segments.join(",")}; ${(stats.bytes / MIB).toFixed(0)} MiB of arrays`);

  const timed = timeLookups(index, queries, r);
  const meanMatches = timed.results.reduce((s, x) => s + x.length, 0) / timed.results.length;
  log(`  index: ${timed.perSecond.toFixed(0)} lookups/s (${timed.perCpuSecond.toFixed(0)} per CPU-second), p50 ${timed.p50Ms.toFixed(3)} ms (planted ${timed.plantedP50Ms.toFixed(3)}, random ${timed.randomP50Ms.toFixed(3)}), p90 ${timed.p90Ms.toFixed(3)} ms, p99 ${timed.p99Ms.toFixed(3)} ms, ${meanMatches.toFixed(1)} matches/query, ${fmtLoad(timed.load)}`);

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

  // Cold load: the snapshot's pages are evicted from the page cache first, as after a reboot.
  dropFromPageCache(snapPath);
  const residentBeforeColdMiB = residentMiB(snapPath);
  t = performance.now();
  let loaded: PdqIndex | undefined = PdqIndex.deserialize(readFileSync(snapPath));
  const coldLoadMs = performance.now() - t;
  const m4 = memory();
  const again = timeLookups(loaded, queries, r);
  for (let q = 0; q < timed.results.length; q++) if (!sameSet(again.results[q], timed.results[q])) throw new Error(`loaded index differs at query ${q}`);
  loaded = undefined;
  memory();
  // Warm load: the same file again, now in the page cache (as on a restart of the process alone).
  const residentBeforeWarmMiB = residentMiB(snapPath);
  t = performance.now();
  loaded = PdqIndex.deserialize(readFileSync(snapPath));
  const warmLoadMs = performance.now() - t;
  loaded = undefined;
  memory();
  dropFromPageCache(compactPath);
  t = performance.now();
  loaded = PdqIndex.deserialize(readFileSync(compactPath));
  const compactColdLoadMs = performance.now() - t;
  loaded = undefined;
  const resident = (m: number | undefined): string => (m === undefined ? "fincore missing" : `${m.toFixed(0)} MiB in page cache`);
  log(`  snapshot ${(snapBytes / MIB).toFixed(0)} MiB written in ${writeMs.toFixed(0)} ms; cold load ${coldLoadMs.toFixed(0)} ms (${resident(residentBeforeColdMiB)} before), warm load ${warmLoadMs.toFixed(0)} ms (${resident(residentBeforeWarmMiB)} before); ${again.perSecond.toFixed(0)} lookups/s after load; without tables ${(compactBytes / MIB).toFixed(0)} MiB, cold load ${compactColdLoadMs.toFixed(0)} ms`);

  const { results: _results, ...lookupTimes } = timed;
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
      residentBeforeColdMiB,
      residentBeforeWarmMiB,
      coldLoadMs,
      warmLoadMs,
      loadRssMiB: (m4.rss - m3.rss) / MIB,
      loadArrayBuffersMiB: (m4.arrayBuffers - m3.arrayBuffers) / MIB,
      compactBytesMiB: compactBytes / MIB,
      compactColdLoadMs,
    },
    lookups: { ...lookupTimes, queries: o.queries, meanMatches, loadedPerSecond: again.perSecond },
    linear: { queries: linearIds.length, perSecond: (linearIds.length * 1000) / linearMs, p50Ms: percentile(linLat, 50), agrees },
  };
  rmSync(snapPath, { force: true });
  rmSync(compactPath, { force: true });

  if (o.faiss) {
    const outPath = join(dir, `faiss-${size}-${distribution}.bin`);
    const configs = o.faissConfigs ?? parseMultiHashConfigs(size <= FAISS_SWEEP_MAX_SIZE ? FAISS_SWEEP : FAISS_LARGE, r);
    const multihash: FaissMultiHashRun[] = [];
    for (const c of configs) {
      const f = runFaiss(["--index", "multihash", "--nhash", String(c.nhash), "--bits", String(c.bits), "--nflip", String(c.nflip)], dataPath, queryPath, outPath, r);
      let hit = 0, exactTotal = 0, returned = 0;
      for (let q = 0; q < o.queries; q++) {
        hit += intersectCount(f.results[q], timed.results[q]);
        exactTotal += timed.results[q].length;
        returned += f.results[q].length;
      }
      const m: FaissMultiHashRun = {
        config: formatConfig(c),
        buildS: f.out.build_s,
        rssMiB: f.out.rss_delta_mib,
        peakMiB: f.out.peak_delta_mib,
        perSecond: f.out.lookups_per_s,
        perCpuSecond: f.out.lookups_per_cpu_s,
        batchPerSecond: f.out.batch_lookups_per_s,
        ...summarize(f.latencies),
        recall: exactTotal === 0 ? 1 : hit / exactTotal,
        precision: returned === 0 ? 1 : hit / returned,
        load: f.load,
      };
      multihash.push(m);
      log(`  FAISS MultiHash ${m.config} (1 thread): build ${m.buildS.toFixed(1)} s, +${m.rssMiB.toFixed(0)} MiB RSS (peak +${m.peakMiB.toFixed(0)}), ${m.perSecond.toFixed(0)} lookups/s one by one (${m.perCpuSecond.toFixed(0)} per CPU-second; batched ${m.batchPerSecond.toFixed(0)}), p50 ${m.p50Ms.toFixed(3)} ms (planted ${m.plantedP50Ms.toFixed(3)}, random ${m.randomP50Ms.toFixed(3)}), p90 ${m.p90Ms.toFixed(3)} ms, p99 ${m.p99Ms.toFixed(3)} ms, recall ${m.recall.toFixed(4)}, precision ${m.precision.toFixed(4)}, ${fmtLoad(m.load)}`);
    }

    let flat: NonNullable<BenchIndexRun["faiss"]>["flat"];
    if (o.flatQueries > 0) {
      const f = runFaiss(["--index", "flat", "--flat-queries", String(o.flatQueries)], dataPath, queryPath, outPath, r);
      const k = f.out.queries >>> 1;
      let same = true;
      for (let i = 0; i < f.out.queries; i++) {
        const q = i < k ? i : half + (i - k);
        if (!sameSet(f.results[i], timed.results[q])) same = false;
      }
      const sorted = f.latencies.slice().sort();
      flat = { queries: f.out.queries, perSecond: f.out.lookups_per_s, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), agreesWithIndex: same, load: f.load };
      log(`  FAISS Flat: ${flat.perSecond.toFixed(1)} lookups/s (${flat.queries} queries), p50 ${flat.p50Ms.toFixed(2)} ms; agrees with index: ${flat.agreesWithIndex}, ${fmtLoad(flat.load)}`);
    }

    const best = bestConfig(multihash);
    const lookupsRatioByConfig = Object.fromEntries(multihash.map((m) => [m.config, timed.perSecond / m.perSecond]));
    run.faiss = { multihash, best: best?.config, flat, lookupsRatioByConfig };
    if (best !== undefined) {
      run.faiss.ratios = {
        lookups: timed.perSecond / best.perSecond,
        cpuLookups: timed.perCpuSecond / best.perCpuSecond,
        p50: best.p50Ms / timed.p50Ms,
        p99: best.p99Ms / timed.p99Ms,
        build: best.buildS / (buildMs / 1000),
        lookupsVsFlat: flat ? timed.perSecond / flat.perSecond : undefined,
      };
      const x = run.faiss.ratios;
      log(`  Lapwing against the best exact MultiHash (${best.config}): lookups/s x${x.lookups.toFixed(2)} (per CPU-second x${x.cpuLookups.toFixed(2)}), p50 x${x.p50.toFixed(2)}, p99 x${x.p99.toFixed(2)}, build x${x.build.toFixed(2)}; against each: ${multihash.map((m) => `${m.config} x${lookupsRatioByConfig[m.config].toFixed(2)}`).join(", ")}`);
    } else {
      log("  no FAISS MultiHash config had recall and precision 1: no ratio");
    }
  }
  for (const p of [dataPath, queryPath]) rmSync(p, { force: true });
  return run;
}

/** The fastest MultiHash run that found exactly what the index found on every query. */
export function bestConfig(runs: FaissMultiHashRun[]): FaissMultiHashRun | undefined {
  let best: FaissMultiHashRun | undefined;
  for (const m of runs) if (m.recall === 1 && m.precision === 1 && (best === undefined || m.perSecond > best.perSecond)) best = m;
  return best;
}

/** Markdown rows for bench/README.md: one per Lapwing run and one per FAISS config under it. */
export function markdownRows(runs: BenchIndexRun[]): string {
  const n = (x: number, d = 0): string => x.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });
  const ms = (x: number): string => (x < 10 ? x.toFixed(2) : x.toFixed(0));
  const name = (r: BenchIndexRun): string => `${r.size >= 1e6 ? `${r.size / 1e6}M` : n(r.size)} ${r.distribution}`;
  const lines = [
    "| hashes | engine | build | memory | lookups/s (per CPU-s) | p50 / p90 / p99 ms | p50 planted / random ms | recall | Lapwing ahead (wall / CPU) | load |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const r of runs) {
    const l = r.lookups;
    lines.push(`| ${name(r)} | Lapwing | ${(r.buildMs / 1000).toFixed(2)} s | ${n(r.memory.rssMiB)} MiB RSS | ${n(l.perSecond)} (${n(l.perCpuSecond)}) | ${ms(l.p50Ms)} / ${ms(l.p90Ms)} / ${ms(l.p99Ms)} | ${ms(l.plantedP50Ms)} / ${ms(l.randomP50Ms)} | exact | | ${l.load.start.toFixed(1)}–${l.load.end.toFixed(1)} |`);
    for (const m of r.faiss?.multihash ?? []) {
      const best = r.faiss?.best === m.config ? " (best)" : "";
      lines.push(`| ${name(r)} | FAISS ${m.config}${best} | ${m.buildS.toFixed(1)} s | +${n(m.rssMiB)} MiB RSS | ${n(m.perSecond)} (${n(m.perCpuSecond)}) | ${ms(m.p50Ms)} / ${ms(m.p90Ms)} / ${ms(m.p99Ms)} | ${ms(m.plantedP50Ms)} / ${ms(m.randomP50Ms)} | ${m.recall.toFixed(4)} | ${r.faiss!.lookupsRatioByConfig[m.config].toFixed(1)}× / ${(l.perCpuSecond / m.perCpuSecond).toFixed(1)}× | ${m.load.start.toFixed(1)}–${m.load.end.toFixed(1)} |`);
    }
  }
  return lines.join("\n");
}

/** Runs the benchmark for every size x distribution and returns the figures. */
export async function benchIndex(options: BenchIndexOptions = {}): Promise<BenchIndexRun[]> {
  const o: ResolvedOptions = {
    queries: options.queries ?? 2000,
    linearQueries: options.linearQueries ?? 20,
    flatQueries: options.flatQueries ?? 100,
    maxDistance: options.maxDistance ?? 31,
    faiss: options.faiss ?? true,
    faissConfigs: options.faissConfigs,
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
  const configs = argValue("--faiss-configs");
  const runs = await benchIndex({
    sizes,
    distributions,
    queries: num("--queries"),
    linearQueries: num("--linear-queries"),
    flatQueries: num("--flat-queries"),
    faiss: !process.argv.includes("--no-faiss"),
    faissConfigs: configs === undefined ? undefined : parseMultiHashConfigs(configs, 31),
  });
  const json = argValue("--json");
  if (json !== undefined) writeFileSync(json, JSON.stringify(runs, null, 2));
  console.log(JSON.stringify(runs, null, 2));
  console.log(markdownRows(runs));
}
