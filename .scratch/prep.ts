// Prepares a SQLite store with the bench's events sent, for profiling the worker.
import { mkdirSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { generateEvents } from "../bench/ingest.js";
const dir = process.argv[2]!;
mkdirSync(dir, { recursive: true });
const data = generateEvents(20000);
const url = `sqlite:${dir}/p.sqlite`;
const run = (args: string[]) => { const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "--database", url, ...args], { encoding: "utf8", env: { ...process.env, LAPWING_LOG_LEVEL: "warn", LAPWING_INDEX_SNAPSHOT_PATH: "off" } }); if (r.status !== 0) throw new Error(r.stderr); };
writeFileSync(`${dir}/lex.json`, JSON.stringify({ entries: [{ term: "vornaxle", category: "stand-in", severity: "block", source: "synthetic" }] }));
run(["lexicon", "import", "bench-stand-in", `${dir}/lex.json`]);
run(["bank", "create", "bench-synthetic", "--verdict", "hold"]);
writeFileSync(`${dir}/bank.csv`, ["signal_type,signal,bank,category,note", ...data.bank.map((h) => `pdq,${h},bench-synthetic,synthetic,`)].join("\n") + "\n");
run(["bank", "import", `${dir}/bank.csv`, "--no-create"]);
writeFileSync(`${dir}/e.jsonl`, data.events.map((e) => JSON.stringify(e)).join("\n") + "\n");
run(["events", "send", `${dir}/e.jsonl`]);
console.log(url);
