import { closeSync, createReadStream, mkdirSync, openSync, readFileSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { Command } from "commander";
import { LapwingError } from "../../errors/index.js";
import type { RankingEvaluation, ScenarioLabels } from "../../scenario/index.js";
import { printJson, wholeNumber } from "../context.js";
import { defaultScenarioAccounts, maxScenarioAccounts, minScenarioAccounts } from "../vocabulary.js";

const scenarioBank = "scenario-known-media";

/** A file written line by line through a 1 MiB buffer, synchronously: memory stays flat however large it grows. */
class BufferedFile {
  readonly #fd: number;
  #parts: string[] = [];
  #size = 0;

  constructor(readonly path: string) {
    this.#fd = openSync(path, "w");
  }

  write(text: string): void {
    this.#parts.push(text);
    this.#size += text.length;
    if (this.#size >= 1 << 20) this.flush();
  }

  flush(): void {
    if (this.#parts.length === 0) return;
    writeSync(this.#fd, this.#parts.join(""));
    this.#parts = [];
    this.#size = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.#fd);
  }
}

export function scenarioCommand(): Command {
  const scenario = new Command("scenario").description("Synthetic platforms with a planted seller network, and scoring a ranking against them (docs/scenario.md)");

  scenario
    .command("generate")
    .description(
      "Write a synthetic scenario to --out: events.jsonl (platform events for `lapwing events send`), labels.json (who is who), bank.csv (random-hash bank for `lapwing bank import`), lexicon.json (the stand-in terms, for `lapwing lexicon import`), recs.json and viewers.json (a naive recommender's suggestions, for the recommender audit)",
    )
    .option("--accounts <n>", `accounts to generate (${minScenarioAccounts} to ${maxScenarioAccounts}; about 10 follows each)`, String(defaultScenarioAccounts))
    .option("--seed <n>", "random seed: the same seed and size give the same files, byte for byte", "1")
    .option("--out <dir>", "directory to write into (created if missing)", "scenario")
    .option("--json", "print the summary as JSON")
    .action(async (o: { accounts: string; seed: string; out: string; json?: boolean }) => {
      const [{ bankFileHeader, bankFileLine }, { generateScenario, scenarioStandIns }] = await Promise.all([import("../../banks/index.js"), import("../../scenario/index.js")]);
      const accounts = wholeNumber(o.accounts, "--accounts", { min: minScenarioAccounts, max: maxScenarioAccounts });
      const seed = wholeNumber(o.seed, "--seed", { max: 0xffffffff });
      const started = Date.now();
      mkdirSync(o.out, { recursive: true });
      const events = new BufferedFile(join(o.out, "events.jsonl"));
      const bank = new BufferedFile(join(o.out, "bank.csv"));
      const recs = new BufferedFile(join(o.out, "recs.json"));
      bank.write(bankFileHeader("lapwing"));
      recs.write('{"recs": {');
      let firstViewer = true;
      const result = generateScenario(
        { accounts, seed },
        {
          event: (event) => events.write(JSON.stringify(event) + "\n"),
          bankEntry: (entry) => bank.write(bankFileLine({ signalType: "pdq", signal: entry.pdq, bank: scenarioBank, category: "csam", note: entry.note })),
          recommendations: (viewer, candidates) => {
            recs.write(`${firstViewer ? "\n" : ",\n"}${JSON.stringify(viewer)}: ${JSON.stringify(candidates)}`);
            firstViewer = false;
          },
        },
      );
      recs.write("\n}}\n");
      for (const file of [events, bank, recs]) file.close();
      writeJson(join(o.out, "labels.json"), result.labels);
      writeJson(join(o.out, "viewers.json"), result.viewers);
      writeJson(join(o.out, "lexicon.json"), { entries: scenarioStandIns.map((e) => ({ ...e, note: "synthetic stand-in (shared text-eval lexicon)" })) });
      const files = Object.fromEntries(["events.jsonl", "labels.json", "bank.csv", "lexicon.json", "recs.json", "viewers.json"].map((f) => [f, statSync(join(o.out, f)).size]));
      const summary = {
        out: o.out,
        accounts,
        seed,
        events: result.counts.events,
        follows: result.counts.follows,
        networkSize: result.labels.network.size,
        seeds: result.labels.network.seeds,
        bankEntries: result.counts.bankEntries,
        viewers: { teen: result.viewers.teen.length, fresh: result.viewers.fresh.length, other: result.viewers.other.length },
        files,
        elapsedMs: Date.now() - started,
      };
      if (o.json) return printJson(summary);
      process.stdout.write(
        `Wrote ${o.out}/: ${summary.events} events (${summary.follows} follows), a network of ${summary.networkSize} accounts, seeds ${summary.seeds.join(" ")}, in ${(summary.elapsedMs / 1000).toFixed(1)} s.\n` +
          Object.entries(files).map(([f, bytes]) => `  ${f.padEnd(13)} ${(bytes / 1048576).toFixed(1)} MiB\n`).join("") +
          `Next: lapwing bank import ${o.out}/bank.csv; lapwing lexicon import scenario-stand-ins ${o.out}/lexicon.json; lapwing events send ${o.out}/events.jsonl\n`,
      );
    });

  scenario
    .command("evaluate")
    .description(
      'Score a ranking against a scenario: read `lapwing network rank --json` lines {"account","score","cluster","explanation"} (highest first) on stdin and print precision and recall at N (the network without its seeds) and the teen, staff, benign-seller, celebrity and reporter accounts wrongly in the top N',
    )
    .requiredOption("--labels <file>", "the scenario's labels.json")
    .option("--events <file>", "the scenario's events.jsonl: also score the two-hop baseline (paths of length one or two from the seeds) beside the ranking")
    .option("--json", "print the figures as one JSON object")
    .action(async (o: { labels: string; events?: string; json?: boolean }) => {
      const { evaluateRanking, FollowGraphBuilder, twoHopBaseline } = await import("../../scenario/index.js");
      const labels = readLabels(o.labels);
      const ranking = await readRanking();
      const result: { ranking: RankingEvaluation; twoHop?: RankingEvaluation } = { ranking: evaluateRanking(labels, ranking) };
      if (o.events) {
        const builder = new FollowGraphBuilder();
        await eachJsonLine(createReadStream(o.events), o.events, (value, line) => {
          if (typeof value !== "object" || value === null) throw new LapwingError("VALIDATION_FAILED", `${o.events} line ${line}: expected an event object.`, { pointer: `line ${line}` });
          builder.add(value as { type: string });
        }, (raw) => raw.includes('"follow"') || raw.includes('"unfollow"'));
        result.twoHop = evaluateRanking(labels, twoHopBaseline(builder.build(), labels.network.seeds).map((r) => r.account));
      }
      if (o.json) return printJson(result);
      const first = result.ranking;
      process.stdout.write(`network of ${first.networkSize} accounts, ${first.seeds} seeds: N = ${first.n}\n`);
      process.stdout.write(describe("ranking", first));
      if (result.twoHop) process.stdout.write(describe("two-hop", result.twoHop));
    });

  return scenario;
}

function describe(name: string, r: RankingEvaluation): string {
  const w = r.wrongInTopN;
  return (
    `${name.padEnd(8)} precision@N ${r.precisionAtN.toFixed(3)}  recall@N ${r.recallAtN.toFixed(3)}  (${r.hits} of ${r.n} found; ${r.ranked} ranked)\n` +
    `${"".padEnd(8)} wrong in the top N: teen ${w.teen} (targeted ${r.targetedInTopN}), staff ${w.staff}, benign seller ${w.benignSeller}, celebrity ${w.celebrity}, reporter ${w.reporter}` +
    `${r.unknownAccounts ? `; ${r.unknownAccounts} accounts unknown to the labels` : ""}\n`
  );
}

function writeJson(path: string, value: unknown): void {
  const file = new BufferedFile(path);
  file.write(JSON.stringify(value) + "\n");
  file.close();
}

function readLabels(path: string): ScenarioLabels {
  let labels: ScenarioLabels;
  try {
    labels = JSON.parse(readFileSync(path, "utf8")) as ScenarioLabels;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw error;
    throw new LapwingError("VALIDATION_FAILED", `${path} is not valid JSON; pass the labels.json that \`lapwing scenario generate\` wrote.`, { pointer: "/labels" });
  }
  if (labels?.version !== 1 || !Array.isArray(labels.network?.members) || !Array.isArray(labels.network?.seeds) || typeof labels.accounts !== "object") {
    throw new LapwingError("VALIDATION_FAILED", `${path} is not a scenario's labels (version 1, with network.members, network.seeds and accounts); pass the labels.json that \`lapwing scenario generate\` wrote.`, { pointer: "/labels" });
  }
  return labels;
}

/** The ranked account ids from stdin, in the order given. */
async function readRanking(): Promise<string[]> {
  const ranking: string[] = [];
  await eachJsonLine(process.stdin, "standard input", (value, line) => {
    const account = (value as { account?: unknown } | null)?.account;
    if (typeof account !== "string") {
      throw new LapwingError("VALIDATION_FAILED", `standard input line ${line}: expected {"account": "<id>", "score": ...} as \`lapwing network rank --json\` prints.`, { pointer: `line ${line}` });
    }
    ranking.push(account);
  });
  return ranking;
}

async function eachJsonLine(
  input: NodeJS.ReadableStream,
  name: string,
  onValue: (value: unknown, line: number) => void,
  wanted: (raw: string) => boolean = () => true,
): Promise<void> {
  let line = 0;
  for await (const raw of createInterface({ input, crlfDelay: Infinity })) {
    line++;
    if (raw.trim() === "" || !wanted(raw)) continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      throw new LapwingError("VALIDATION_FAILED", `${name} line ${line} is not valid JSON.`, { pointer: `line ${line}` });
    }
    onValue(value, line);
  }
}
