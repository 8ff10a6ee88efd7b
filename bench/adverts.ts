/**
 * Seller-advert scorer benchmark (issue 3): precision and recall per family on
 * the synthetic labelled set, and throughput (texts/s, with the lexicon match
 * and without).
 *
 *   node --import tsx bench/adverts.ts [--seed N] [--threshold 0.5] [--seconds 2] [--json out.json] [--misses]
 *
 * The default seed is the held-out one (`HELD_OUT_SEED`); weights were tuned on
 * `TUNING_SEED`. The set is synthetic: read the limits at the top of
 * src/text/adverts/synthetic-adverts.ts before quoting the figures.
 */
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { compileLexicon } from "../src/text/index.js";
import {
  ADVERT_DEFAULTS,
  HELD_OUT_SEED,
  SYNTHETIC_ADVERT_LEXICON,
  generateSyntheticAdverts,
  scoreAdvert,
  type SyntheticAdvert,
} from "../src/text/adverts/index.js";

export interface AdvertFamilyRow {
  family: string;
  isAdvert: boolean;
  count: number;
  /** Texts at or above the threshold. */
  flagged: number;
  /** For an advert family, flagged / count (recall); for a benign one, the false-positive rate. */
  rate: number;
}

export interface AdvertBenchResult {
  seed: number;
  threshold: number;
  precision: number;
  recall: number;
  adverts: number;
  benign: number;
  families: AdvertFamilyRow[];
  /** Scoring with the lexicon match included, texts per second. */
  textsPerSecond: number;
  /** Scoring alone (hits computed beforehand), texts per second. */
  scoreOnlyTextsPerSecond: number;
  misses: Array<{ family: string; isAdvert: boolean; score: number; text: string }>;
}

export interface BenchAdvertsOptions {
  seed?: number;
  threshold?: number;
  seconds?: number;
}

/** Runs the benchmark and returns its figures; prints nothing. */
export function benchAdverts(options: BenchAdvertsOptions = {}): AdvertBenchResult {
  const seed = options.seed ?? HELD_OUT_SEED;
  const threshold = options.threshold ?? ADVERT_DEFAULTS.threshold;
  const seconds = options.seconds ?? 2;
  const set = generateSyntheticAdverts({ seed });
  const lexicon = compileLexicon(SYNTHETIC_ADVERT_LEXICON);
  const hits = set.map((s) => lexicon.match(s.text));

  const rows = new Map<string, AdvertFamilyRow>();
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const misses: AdvertBenchResult["misses"] = [];
  set.forEach((sample: SyntheticAdvert, i) => {
    const { score } = scoreAdvert(sample.text, { hits: hits[i], threshold });
    const isFlagged = score >= threshold;
    let row = rows.get(sample.family);
    if (row === undefined) rows.set(sample.family, (row = { family: sample.family, isAdvert: sample.isAdvert, count: 0, flagged: 0, rate: 0 }));
    row.count++;
    if (isFlagged) row.flagged++;
    if (isFlagged && sample.isAdvert) tp++;
    else if (isFlagged) fp++;
    else if (sample.isAdvert) fn++;
    if (isFlagged !== sample.isAdvert) misses.push({ family: sample.family, isAdvert: sample.isAdvert, score, text: sample.text });
  });
  for (const row of rows.values()) row.rate = row.flagged / row.count;

  const timed = (work: (i: number) => void): number => {
    const start = performance.now();
    let n = 0;
    do {
      for (let i = 0; i < set.length; i++) work(i);
      n += set.length;
    } while (performance.now() - start < seconds * 500);
    return n / ((performance.now() - start) / 1000);
  };
  const textsPerSecond = timed((i) => scoreAdvert(set[i].text, { hits: lexicon.match(set[i].text) }));
  const scoreOnlyTextsPerSecond = timed((i) => scoreAdvert(set[i].text, { hits: hits[i] }));

  return {
    seed,
    threshold,
    precision: tp / Math.max(1, tp + fp),
    recall: tp / Math.max(1, tp + fn),
    adverts: tp + fn,
    benign: set.length - tp - fn,
    families: [...rows.values()],
    textsPerSecond,
    scoreOnlyTextsPerSecond,
    misses,
  };
}

/** The per-family table as text. */
export function formatAdvertBench(result: AdvertBenchResult): string {
  const out = [
    `seed ${result.seed}, threshold ${result.threshold}: ${result.adverts} adverts, ${result.benign} benign`,
    `precision ${result.precision.toFixed(3)}  recall ${result.recall.toFixed(3)}`,
    "",
    "family              kind     n     flagged  rate",
  ];
  for (const r of result.families) {
    out.push(`${r.family.padEnd(20)}${(r.isAdvert ? "advert" : "benign").padEnd(9)}${String(r.count).padEnd(6)}${String(r.flagged).padEnd(9)}${r.rate.toFixed(3)}${r.isAdvert ? " recall" : " false-positive rate"}`);
  }
  out.push("", `throughput: ${Math.round(result.textsPerSecond)} texts/s with the lexicon match, ${Math.round(result.scoreOnlyTextsPerSecond)} texts/s scoring alone`);
  return out.join("\n");
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const result = benchAdverts({
    seed: arg("seed") === undefined ? undefined : Number(arg("seed")),
    threshold: arg("threshold") === undefined ? undefined : Number(arg("threshold")),
    seconds: arg("seconds") === undefined ? undefined : Number(arg("seconds")),
  });
  console.log(formatAdvertBench(result));
  if (process.argv.includes("--misses")) {
    for (const m of result.misses) console.log(`\n[${m.isAdvert ? "missed advert" : "false positive"} ${m.family} ${m.score.toFixed(3)}] ${JSON.stringify(m.text)}`);
  }
  const json = arg("json");
  if (json !== undefined) writeFileSync(json, JSON.stringify(result, null, 2));
}
