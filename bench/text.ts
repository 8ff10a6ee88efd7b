/**
 * Text matcher benchmark (issue 3): Lapwing's lexicon matcher against
 * obscenity 0.4.6 (RegExpMatcher, one pattern per term, with its
 * englishRecommendedTransformers) on the same lexicons and the same messages in
 * one run, at 100, 1,000, 10,000 and 50,000 synthetic terms: messages/s of
 * each and the ratio, compile time and heap used by the compiled lexicon. Then
 * recall and false-positive rate of both on the shared text-eval cases.
 *
 *   node --import tsx bench/text.ts [--sizes 100,1000,10000,50000] [--messages 2000] [--seconds 2] [--json out.json]
 *
 * Terms are pronounceable nonsense from a seeded PRNG (mulberry32, seed 3):
 * 75% single words of 5-10 letters, 15% short words of 3-4 letters (whole-word
 * patterns `|xyz|` in obscenity), 10% two-word phrases. Messages are ordinary
 * filler posts of 8-30 words, 5% carrying a lexicon term. Each matcher runs
 * over the message list, cycling, for `--seconds` (at least one full pass for
 * Lapwing); throughput is messages per second of wall time.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import v8 from "node:v8";
import vm from "node:vm";
import { DataSet, englishRecommendedTransformers, parseRawPattern, RegExpMatcher } from "obscenity";
import { compileLexicon, type LexiconEntry } from "../src/text/index.js";
import { seededRandom } from "../src/random/index.js";

export interface TextBenchRow {
  terms: number;
  lapwingMessagesPerSecond: number;
  obscenityMessagesPerSecond: number;
  /** Lapwing's throughput divided by obscenity's. */
  ratio: number;
  lapwingCompileMs: number;
  obscenityCompileMs: number;
  lapwingHeapMiB: number;
  obscenityHeapMiB: number;
}

export interface TextBenchRecall {
  matcher: "lapwing" | "obscenity";
  recall: number;
  fpRate: number;
}

export interface TextBenchResult {
  rows: TextBenchRow[];
  recall: TextBenchRecall[];
}

export interface BenchTextOptions {
  sizes?: number[];
  messages?: number;
  seconds?: number;
}

const CONSONANTS = "bcdfghjklmnprstvwxz";
const VOWELS = "aeiouy";

function pronounceable(rng: () => number, letters: number): string {
  let out = "";
  while (out.length < letters) {
    out += CONSONANTS[Math.floor(rng() * CONSONANTS.length)];
    if (out.length < letters) out += VOWELS[Math.floor(rng() * VOWELS.length)];
  }
  return out;
}

/** Distinct synthetic terms, deterministic for a given count. */
export function syntheticTerms(count: number, seed = 3): string[] {
  const rng = seededRandom(seed);
  const seen = new Set<string>();
  const out: string[] = [];
  while (out.length < count) {
    const r = rng();
    let term: string;
    if (r < 0.15) term = pronounceable(rng, 3 + Math.floor(rng() * 2));
    else if (r < 0.25) term = `${pronounceable(rng, 4 + Math.floor(rng() * 3))} ${pronounceable(rng, 4 + Math.floor(rng() * 3))}`;
    else term = pronounceable(rng, 5 + Math.floor(rng() * 6));
    if (seen.has(term)) continue;
    seen.add(term);
    out.push(term);
  }
  return out;
}

const FILLER = (
  "the a and to of in is it you that was for on are with as i his they be at one have this from or had by hot word but what some we can " +
  "out other were all there when up use your how said an each she which do their time if will way about many then them write would like so " +
  "these her long make thing see him two has look more day could go come did number sound no most people my over know water than call first " +
  "coffee weekend photos dog garden hiking sunset music friends market pottery bread train city morning night tea books vinyl thrift"
).split(" ");

/** Ordinary posts; every twentieth carries a term (plain, upper-cased or as a hashtag). */
export function syntheticMessages(count: number, terms: readonly string[], seed = 11): string[] {
  const rng = seededRandom(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const words: string[] = [];
    const n = 8 + Math.floor(rng() * 23);
    for (let w = 0; w < n; w++) words.push(FILLER[Math.floor(rng() * FILLER.length)]);
    if (i % 20 === 0) {
      const term = terms[Math.floor(rng() * terms.length)];
      const style = Math.floor(rng() * 3);
      const written = style === 0 ? term : style === 1 ? term.toUpperCase() : `#${term.replace(/ /g, "")}`;
      words.splice(Math.floor(rng() * words.length), 0, written);
    }
    if (rng() < 0.3) words.push(["😂", "✨", "🔥", "#weekend", "lol", "!!"][Math.floor(rng() * 6)]);
    out.push(words.join(" "));
  }
  return out;
}

function gc(): void {
  v8.setFlagsFromString("--expose_gc");
  (vm.runInNewContext("gc") as () => void)();
}

function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

function escapeObscenity(term: string): string {
  return term.replace(/[\\[\]?|]/g, (c) => `\\${c}`);
}

interface ObscenityMatcher {
  matcher: RegExpMatcher;
  termOf: (termId: number) => string;
}

/** obscenity's recommended setup: one phrase per term; short terms whole-word (`|xpl|`); phrases without spaces (its transformers drop them). */
function buildObscenity(terms: readonly string[], shortMaxLetters = 4): ObscenityMatcher {
  const dataset = new DataSet<{ term: string }>();
  for (const term of terms) {
    const letters = term.replace(/[^\p{L}\p{N}]/gu, "");
    const body = escapeObscenity(term.replace(/^#/, "").replace(/\s+/g, "").toLowerCase());
    if (body === "") continue;
    const raw = letters.length <= shortMaxLetters ? `|${body}|` : body;
    dataset.addPhrase((phrase) => phrase.setMetadata({ term }).addPattern(parseRawPattern(raw)));
  }
  const matcher = new RegExpMatcher({ ...dataset.build(), ...englishRecommendedTransformers });
  return {
    matcher,
    termOf: (termId) => dataset.getPayloadWithPhraseMetadata({ termId, startIndex: 0, endIndex: 0, matchLength: 0 }).phraseMetadata?.term ?? "",
  };
}

function throughput(run: (text: string) => unknown, messages: readonly string[], seconds: number, minPasses: number): number {
  const started = performance.now();
  let done = 0;
  const budgetMs = seconds * 1000;
  for (;;) {
    run(messages[done % messages.length]);
    done++;
    if ((done & 7) === 0 || done >= messages.length * minPasses) {
      const elapsed = performance.now() - started;
      if (elapsed >= budgetMs && done >= messages.length * minPasses) return (done / elapsed) * 1000;
      if (elapsed >= budgetMs * 20) return (done / elapsed) * 1000; // a very slow matcher: stop anyway
      if (minPasses === 0 && elapsed >= budgetMs) return (done / elapsed) * 1000;
    }
  }
}

function evalRecall(
  pack: string,
  match: (text: string) => string[],
): { recall: number; fpRate: number } {
  const cases = readFileSync(join(pack, "cases.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { text: string; expect: string[] });
  let positives = 0;
  let caught = 0;
  let benign = 0;
  let flagged = 0;
  for (const c of cases) {
    const hits = new Set(match(c.text));
    if (c.expect.length > 0) {
      positives++;
      if (c.expect.every((t) => hits.has(t))) caught++;
    } else {
      benign++;
      if (hits.size > 0) flagged++;
    }
  }
  return { recall: caught / positives, fpRate: flagged / benign };
}

export async function benchText(options: BenchTextOptions = {}): Promise<TextBenchResult> {
  const sizes = options.sizes ?? [100, 1_000, 10_000, 50_000];
  const messageCount = options.messages ?? 2_000;
  const seconds = options.seconds ?? 2;
  const allTerms = syntheticTerms(Math.max(...sizes));
  const rows: TextBenchRow[] = [];

  for (const size of sizes) {
    const terms = allTerms.slice(0, size);
    const entries: LexiconEntry[] = terms.map((term) => ({ term, category: "coded-term", severity: "block" }));
    const messages = syntheticMessages(messageCount, terms);

    let before = heapUsed();
    let t0 = performance.now();
    const lapwing = compileLexicon({ entries });
    const lapwingCompileMs = performance.now() - t0;
    const lapwingHeapMiB = (heapUsed() - before) / 2 ** 20;

    before = heapUsed();
    t0 = performance.now();
    const obscenity = buildObscenity(terms);
    const obscenityCompileMs = performance.now() - t0;
    const obscenityHeapMiB = (heapUsed() - before) / 2 ** 20;

    // Warm up both, then time them on the same messages.
    for (let i = 0; i < Math.min(200, messages.length); i++) {
      lapwing.match(messages[i]);
      if (i < 20) obscenity.matcher.getAllMatches(messages[i]);
    }
    const lapwingMessagesPerSecond = throughput((t) => lapwing.match(t), messages, seconds, 1);
    const obscenityMessagesPerSecond = throughput((t) => obscenity.matcher.getAllMatches(t), messages, seconds, 0);
    const row: TextBenchRow = {
      terms: size,
      lapwingMessagesPerSecond,
      obscenityMessagesPerSecond,
      ratio: lapwingMessagesPerSecond / obscenityMessagesPerSecond,
      lapwingCompileMs,
      obscenityCompileMs,
      lapwingHeapMiB,
      obscenityHeapMiB,
    };
    rows.push(row);
    console.error(`${size} terms: lapwing ${Math.round(lapwingMessagesPerSecond)} msg/s, obscenity ${Math.round(obscenityMessagesPerSecond)} msg/s (x${row.ratio.toFixed(1)})`);
  }

  const recall: TextBenchRecall[] = [];
  const sharedDir = process.env.LAPWING_SHARED_DIR ?? fileURLToPath(new URL("../../shared/", import.meta.url));
  const pack = join(sharedDir, "text-eval");
  if (existsSync(join(pack, "lexicon.json"))) {
    const lexiconJson = JSON.parse(readFileSync(join(pack, "lexicon.json"), "utf8")) as { entries: LexiconEntry[] };
    const lapwing = compileLexicon(lexiconJson);
    recall.push({ matcher: "lapwing", ...evalRecall(pack, (t) => lapwing.match(t).map((h) => h.term)) });
    const obscenity = buildObscenity(lexiconJson.entries.map((e) => e.term));
    recall.push({ matcher: "obscenity", ...evalRecall(pack, (t) => obscenity.matcher.getAllMatches(t).map((m) => obscenity.termOf(m.termId))) });
  }
  return { rows, recall };
}

function formatTable(result: TextBenchResult): string {
  const n = (x: number, digits = 0) => x.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const lines = [
    "| terms | Lapwing msg/s | obscenity msg/s | ratio | Lapwing compile ms | obscenity compile ms | Lapwing heap MiB | obscenity heap MiB |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...result.rows.map(
      (r) =>
        `| ${n(r.terms)} | ${n(r.lapwingMessagesPerSecond)} | ${n(r.obscenityMessagesPerSecond, r.obscenityMessagesPerSecond < 100 ? 1 : 0)} | ${n(r.ratio, 1)}x | ${n(r.lapwingCompileMs, 1)} | ${n(r.obscenityCompileMs, 1)} | ${n(r.lapwingHeapMiB, 1)} | ${n(r.obscenityHeapMiB, 1)} |`,
    ),
  ];
  if (result.recall.length > 0) {
    lines.push("", "| text-eval cases | recall | fp rate |", "| --- | ---: | ---: |");
    for (const r of result.recall) lines.push(`| ${r.matcher} | ${r.recall.toFixed(3)} | ${r.fpRate.toFixed(3)} |`);
  }
  return lines.join("\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const sizes = arg("--sizes")?.split(",").map(Number);
  const messages = arg("--messages") ? Number(arg("--messages")) : undefined;
  const seconds = arg("--seconds") ? Number(arg("--seconds")) : undefined;
  const result = await benchText({ sizes, messages, seconds });
  console.log(formatTable(result));
  const json = arg("--json");
  if (json) writeFileSync(json, JSON.stringify(result, null, 2));
}
