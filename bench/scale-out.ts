/**
 * Several processes on one PostgreSQL: processing throughput with 1, 2 and 4 `lapwing worker`
 * processes, the database's share of the CPU, and where the workers' time goes per stage.
 *
 *   node --import tsx bench/scale-out.ts [--events 10000] [--workers 1,2,4] [--serve 1]
 *
 * Events: bench/ingest.ts's seeded realistic mix; the same operator set-up (API key, the stand-in
 * lexicon, a bank of 1,000 synthetic PDQ hashes). For each worker count W, on a fresh database:
 *
 * 1. Backlog: the events are stored with `lapwing events send` (no worker running), then W
 *    `lapwing worker --until-idle --json` processes start together. Throughput: content events
 *    processed / (last `processed_at` − first `processed_at`), both stamped by the workers, so
 *    process start-up is left out. Graph-only events (follows, likes) are edges written at ingest
 *    and are not in this figure.
 * 2. End to end with serve processes ingesting: `--serve` `lapwing serve` processes take the
 *    events over HTTP (2 senders, batches of 500) while W workers run; note that every `serve`
 *    runs an event worker too, so W + S processes share the processing. Throughput: events /
 *    (last `processed_at` − first request sent).
 *
 * CPU: every 200 ms the bench lists the database's backends (`pg_stat_activity` for this
 * database) and reads their CPU time from /proc/<pid>/stat (utime + stime), and the same for
 * the Lapwing processes it started, from the end of their start-up (a worker's banner). The database's share is its CPU / (its CPU + Lapwing's) over
 * phase 1; PostgreSQL's shared processes (WAL writer, checkpointer) are left out, so the share
 * is a lower bound. Stage times come from each worker's `--json` summary (claim, load, detect,
 * write, complete; summed over concurrent jobs). Load averages are printed beside each row.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql, type Kysely } from "kysely";
import { openStore } from "../src/store/index.js";
import { createTestDatabase, postgresUnavailable } from "../src/store/testing.js";
import { startServeProcess } from "../test/support/cli.js";
import { generateEvents } from "./ingest.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const ticksPerSecond = 100; // USER_HZ on Linux

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const count = Number(flag("--events", "10000"));
const workerCounts = flag("--workers", "1,2,4").split(",").map(Number);
const serveCount = Number(flag("--serve", "1"));
const env = { ...process.env, LAPWING_LOG_LEVEL: "warn", LAPWING_INDEX_SNAPSHOT_PATH: "off", LAPWING_WORKER_POLL_MS: "100" };
const load = () => loadavg().map((l) => l.toFixed(2)).join(" ");

function lapwing(databaseUrl: string, args: string[]): string {
  const result = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "--database", databaseUrl, ...args], { cwd: root, env, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`lapwing ${args.join(" ")} failed (${result.status}):\n${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** utime + stime of a process in seconds, or undefined once it is gone. */
function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

/** Follows the CPU time of a changing set of processes: first and last value seen per pid. */
class CpuMeter {
  private readonly seen = new Map<number, { first: number; last: number }>();
  sample(pids: Iterable<number>): void {
    for (const pid of pids) {
      const now = cpuSeconds(pid);
      if (now === undefined) continue;
      const entry = this.seen.get(pid);
      if (entry) entry.last = now;
      else this.seen.set(pid, { first: now, last: now });
    }
  }
  total(): number {
    let sum = 0;
    for (const { first, last } of this.seen.values()) sum += last - first;
    return sum;
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function backendPids(db: Kysely<any>, database: string): Promise<number[]> {
  const rows = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = ${database} and pid <> pg_backend_pid()`.execute(db);
  return rows.rows.map((r) => r.pid);
}

function descendants(pid: number): number[] {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
    const list = children ? children.split(/\s+/).map(Number) : [];
    return [pid, ...list.flatMap(descendants)];
  } catch {
    return [];
  }
}

interface Stages {
  [stage: string]: { ms: number; count: number };
}

interface Row {
  workers: number;
  phase: string;
  processed: number;
  seconds: number;
  perSecond: number;
  dbCpu: number;
  lapwingCpu: number;
  stages: Stages | null;
  load: string;
}

async function setUp(url: string, dir: string, bank: string[]): Promise<string> {
  const key = (JSON.parse(lapwing(url, ["keys", "create", "--name", "bench", "--scope", "ingest,admin", "--json"])) as { secret: string }).secret;
  const lexiconFile = join(dir, "lexicon.json");
  writeFileSync(lexiconFile, JSON.stringify({ entries: [{ term: "vornaxle", category: "stand-in", severity: "block", source: "synthetic", note: "invented word for the benchmark" }] }));
  lapwing(url, ["lexicon", "import", "bench-stand-in", lexiconFile]);
  lapwing(url, ["bank", "create", "bench-synthetic", "--verdict", "hold", "--description", "random synthetic hashes"]);
  const bankFile = join(dir, "bank.csv");
  writeFileSync(bankFile, ["signal_type,signal,bank,category,note", ...bank.map((h) => `pdq,${h},bench-synthetic,synthetic,`)].join("\n") + "\n");
  lapwing(url, ["bank", "import", bankFile, "--no-create"]);
  return key;
}

interface StartedWorker {
  child: ChildProcess;
  /** Set once the worker has printed its banner: its start-up (tsx, loading services) is over. */
  ready: boolean;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

function startWorker(url: string): StartedWorker {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "--database", url, "worker", "--until-idle", "--json"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  const worker: StartedWorker = { child, ready: false, done: new Promise((resolve) => child.on("exit", (code) => resolve({ code, stdout, stderr }))) };
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => {
    stderr += d;
    if (!worker.ready && /Lapwing worker running/.test(stderr)) worker.ready = true;
  });
  return worker;
}

/** The processes of the workers past their start-up (its CPU is not processing, so it is left out). */
function readyPids(workers: readonly StartedWorker[]): number[] {
  return workers.filter((w) => w.ready).flatMap((w) => descendants(w.child.pid!));
}

function addStages(into: Stages, from: Stages): void {
  for (const [stage, { ms, count: n }] of Object.entries(from)) {
    into[stage] ??= { ms: 0, count: 0 };
    into[stage]!.ms += ms;
    into[stage]!.count += n;
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function processedSpan(db: Kysely<any>): Promise<{ n: number; first: number; last: number }> {
  const r = await sql<{ n: string | number; first: string | null; last: string | null }>`select count(*) as n, min(processed_at) as first, max(processed_at) as last from events where processed_at is not null`.execute(db);
  const row = r.rows[0]!;
  return { n: Number(row.n), first: Date.parse(row.first ?? ""), last: Date.parse(row.last ?? "") };
}

async function backlogRow(workers: number, file: string, bank: string[]): Promise<Row> {
  const database = await createTestDatabase("postgres");
  const dir = mkdtempSync(join(tmpdir(), "lapwing-scale-"));
  const store = await openStore(database.url);
  const name = new URL(database.url).pathname.slice(1);
  try {
    lapwing(database.url, ["migrate"]);
    await setUp(database.url, dir, bank);
    lapwing(database.url, ["events", "send", file, "--batch", "1000", "--json"]);
    const db = new CpuMeter();
    const lw = new CpuMeter();
    const started = Array.from({ length: workers }, () => startWorker(database.url));
    let running = true;
    const sampler = (async () => {
      while (running) {
        db.sample(await backendPids(store.db, name));
        lw.sample(readyPids(started));
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    const results = await Promise.all(started.map((w) => w.done));
    running = false;
    await sampler;
    const stages: Stages = {};
    for (const r of results) {
      if (r.code !== 0) throw new Error(`worker failed (${r.code}):\n${r.stderr}`);
      addStages(stages, (JSON.parse(r.stdout.trim().split("\n").pop()!) as { stages: Stages }).stages);
    }
    const span = await processedSpan(store.db);
    const seconds = (span.last - span.first) / 1000;
    return { workers, phase: "backlog", processed: span.n, seconds, perSecond: span.n / seconds, dbCpu: db.total(), lapwingCpu: lw.total(), stages, load: load() };
  } finally {
    await store.close();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function endToEndRow(workers: number, events: Record<string, unknown>[], bank: string[]): Promise<Row> {
  const database = await createTestDatabase("postgres");
  const dir = mkdtempSync(join(tmpdir(), "lapwing-scale-"));
  const store = await openStore(database.url);
  const name = new URL(database.url).pathname.slice(1);
  const servers: Array<Awaited<ReturnType<typeof startServeProcess>>> = [];
  const started: StartedWorker[] = [];
  try {
    lapwing(database.url, ["migrate"]);
    const key = await setUp(database.url, dir, bank);
    for (let i = 0; i < serveCount; i++) servers.push(await startServeProcess(database.url, { LAPWING_WORKER_POLL_MS: "100" }, { startTimeoutMs: 60_000 }));
    const db = new CpuMeter();
    const lw = new CpuMeter();
    const bodies: string[] = [];
    for (let i = 0; i < events.length; i += 500) bodies.push(JSON.stringify({ events: events.slice(i, i + 500) }));
    const pids = () => [...servers.flatMap((s) => descendants(s.child.pid!)), ...readyPids(started)];
    let running = true;
    const sampler = (async () => {
      while (running) {
        db.sample(await backendPids(store.db, name));
        lw.sample(pids());
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    const t0 = Date.now();
    // Workers start with the senders: their start-up overlaps the first batches, as in a running deployment.
    for (let i = 0; i < workers; i++) started.push(startWorker(database.url));
    let next = 0;
    await Promise.all(
      [0, 1].map(async (sender) => {
        for (;;) {
          const index = next++;
          if (index >= bodies.length) return;
          const server = servers[(index + sender) % servers.length]!;
          const response = await fetch(`${server.url}/v1/events`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: bodies[index] });
          if (response.status !== 202) throw new Error(`POST /v1/events: ${response.status} ${(await response.text()).slice(0, 300)}`);
          await response.arrayBuffer().catch(() => undefined);
        }
      }),
    );
    const results = await Promise.all(started.map((w) => w.done));
    running = false;
    await sampler;
    for (const r of results) if (r.code !== 0) throw new Error(`worker failed (${r.code}):\n${r.stderr}`);
    const span = await processedSpan(store.db);
    const seconds = (span.last - t0) / 1000;
    return { workers, phase: `end to end, ${serveCount} serve + ${workers} worker`, processed: span.n, seconds, perSecond: span.n / seconds, dbCpu: db.total(), lapwingCpu: lw.total(), stages: null, load: load() };
  } finally {
    for (const w of started) if (w.child.exitCode === null) w.child.kill("SIGTERM");
    for (const s of servers) await s.stop();
    await store.close();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function stageText(stages: Stages | null): string {
  if (!stages) return "";
  const total = Object.values(stages).reduce((a, s) => a + s.ms, 0);
  return Object.entries(stages)
    .map(([stage, s]) => `${stage} ${Math.round((100 * s.ms) / total)}%`)
    .join(", ");
}

async function main(): Promise<void> {
  const why = await postgresUnavailable();
  if (why) {
    console.log(`(skipping: ${why})`);
    return;
  }
  const { events, bank } = generateEvents(count);
  const dir = mkdtempSync(join(tmpdir(), "lapwing-scale-events-"));
  const file = join(dir, "events.jsonl");
  writeFileSync(file, events.map((e) => JSON.stringify(e)).join("\n") + "\n");
  console.log(`${count} events (bench/ingest.ts mix) on PostgreSQL, load at start ${load()}`);
  const rows: Row[] = [];
  try {
    for (const workers of workerCounts) {
      for (const run of [() => backlogRow(workers, file, bank), () => endToEndRow(workers, events, bank)]) {
        const row = await run();
        rows.push(row);
        console.log(`  ${row.phase}, ${workers} worker(s): ${Math.round(row.perSecond)} events/s (${row.processed} in ${row.seconds.toFixed(2)} s); CPU db ${row.dbCpu.toFixed(1)} s, lapwing ${row.lapwingCpu.toFixed(1)} s; ${stageText(row.stages)} (load ${row.load})`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Events per CPU-second of each side: on a machine shared with other work (or a bigger one), these
  // predict throughput better than events/s: cores available ÷ CPU-seconds per event, per side.
  console.log("\n| phase | workers | events/s | processed | seconds | DB CPU s | Lapwing CPU s | DB share | events per DB CPU-s | events per Lapwing CPU-s | worker time by stage | load (1/5/15) |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |");
  for (const r of rows) {
    const share = r.dbCpu + r.lapwingCpu > 0 ? `${Math.round((100 * r.dbCpu) / (r.dbCpu + r.lapwingCpu))}%` : "–";
    const per = (cpu: number) => (cpu > 0 ? String(Math.round(r.processed / cpu)) : "–");
    console.log(`| ${r.phase} | ${r.workers} | ${Math.round(r.perSecond)} | ${r.processed} | ${r.seconds.toFixed(2)} | ${r.dbCpu.toFixed(1)} | ${r.lapwingCpu.toFixed(1)} | ${share} | ${per(r.dbCpu)} | ${per(r.lapwingCpu)} | ${stageText(r.stages)} | ${r.load} |`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
