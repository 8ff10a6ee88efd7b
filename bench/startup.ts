// Start-up of the `lapwing` command: `--help`, and `serve` on an empty SQLite database until its first 200
// from /healthz, run from the compiled dist/ and from the TypeScript sources through tsx (and, when
// LAPWING_BENCH_STARTUP_BEFORE names another build's dist/cli/main.js, from that build too), interleaved
// round by round so that each row sees the same machine. Figures and how to read them: bench/README.md.
//
//   npm run bench -- startup [--runs 7]
//   LAPWING_BENCH_STARTUP_BEFORE=/tmp/before/dist/cli/main.js npm run bench -- startup
//
// Wall time on a shared machine measures the other processes as much as this one, so every run also
// reports the CPU seconds (user + system) of the process it started: from GNU time for `--help` (the
// process and the children it waited for), from /proc/<pid>/stat at the first 200 for `serve` (every
// thread of the process, the network scoring thread included). tsx's esbuild service is a separate
// process that is not always waited for: its CPU may be missing from the tsx rows.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const runs = Number(flag("--runs") ?? 7);
const gnuTime = "/usr/bin/time";
const clockTicks = 100; // USER_HZ on Linux: /proc/<pid>/stat counts CPU time in these.

interface Variant {
  name: string;
  /** node arguments before the CLI's own. */
  argv: string[];
}

const variants: Variant[] = [
  { name: "dist/ (compiled)", argv: [join(root, "dist/cli/main.js")] },
  { name: "tsx (sources)", argv: ["--import", "tsx", join(root, "src/cli/main.ts")] },
];
const before = process.env.LAPWING_BENCH_STARTUP_BEFORE;
if (before) variants.push({ name: "before (compiled)", argv: [before] });

interface Sample {
  wallMs: number;
  cpuS: number;
  load: number;
}

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** `lapwing --help` to completion, under GNU time for the CPU seconds. */
function runHelp(variant: Variant): Promise<Sample> {
  const load = loadavg()[0]!;
  const started = performance.now();
  const child = spawn(gnuTime, ["-f", "cpu %U %S", process.execPath, ...variant.argv, "--help"], { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = performance.now() - started;
      const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(stderr);
      if (code !== 0 || !cpu) return reject(new Error(`${variant.name} --help failed (exit ${code}): ${stderr}`));
      resolve({ wallMs, cpuS: Number(cpu[1]) + Number(cpu[2]), load });
    });
  });
}

/** `lapwing serve` on a fresh, empty SQLite database until the first 200 from /healthz; then killed. */
async function runServe(variant: Variant): Promise<Sample> {
  const dir = mkdtempSync(join(tmpdir(), "lapwing-bench-startup-"));
  const port = await freePort();
  const load = loadavg()[0]!;
  const started = performance.now();
  const child = spawn(process.execPath, [...variant.argv, "serve", "--host", "127.0.0.1", "--port", String(port)], {
    cwd: root,
    env: { ...process.env, LAPWING_DATABASE_URL: `sqlite:${join(dir, "lapwing.sqlite")}`, LAPWING_LOG_LEVEL: "warn" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${variant.name} serve exited ${child.exitCode}: ${stderr}`);
      const healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (healthy) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const wallMs = performance.now() - started;
    // Fields 14 and 15 (utime, stime), counted after the command name, which may hold spaces.
    const fields = readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    const cpuS = (Number(fields[11]) + Number(fields[12])) / clockTicks;
    return { wallMs, cpuS, load };
  } finally {
    const exited = new Promise((resolve) => child.once("close", resolve));
    child.kill("SIGKILL");
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

function row(name: string, samples: Sample[]) {
  const loads = samples.map((s) => s.load);
  return {
    name,
    wall: median(samples.map((s) => s.wallMs)) / 1000,
    cpu: median(samples.map((s) => s.cpuS)),
    cpuRange: `${Math.min(...samples.map((s) => s.cpuS)).toFixed(2)}–${Math.max(...samples.map((s) => s.cpuS)).toFixed(2)}`,
    load: `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`,
  };
}

async function main(): Promise<void> {
  if (!existsSync(join(root, "dist/cli/main.js"))) {
    console.error("dist/ is not built: run `npm run build:server` first (the bench compares it with tsx).");
    process.exit(1);
  }
  if (!existsSync(gnuTime)) {
    console.error(`${gnuTime} (GNU time) is needed for the CPU seconds of --help: apt-get install time.`);
    process.exit(1);
  }
  console.log(`${runs} runs of each, interleaved; serve on an empty SQLite database until the first 200 from /healthz.`);
  const help = new Map<string, Sample[]>(variants.map((v) => [v.name, []]));
  const serve = new Map<string, Sample[]>(variants.map((v) => [v.name, []]));
  // One untimed round first: the page cache and the tsx cache warm for every variant alike.
  for (const variant of variants) {
    await runHelp(variant);
    await runServe(variant);
  }
  for (let round = 0; round < runs; round++) {
    for (const variant of variants) {
      help.get(variant.name)!.push(await runHelp(variant));
      serve.get(variant.name)!.push(await runServe(variant));
    }
    process.stderr.write(`round ${round + 1}/${runs} done (load ${loadavg()[0]!.toFixed(1)})\n`);
  }

  const base = variants[0]!.name;
  for (const [what, samples, goal] of [
    ["lapwing --help", help, 0.3],
    ["lapwing serve → first 200 from /healthz", serve, 0.8],
  ] as const) {
    console.log(`\n${what} (goal: under ${goal} s)`);
    console.log(`${"".padEnd(20)} ${"wall median".padStart(12)} ${"CPU median".padStart(11)} ${"CPU range".padStart(12)} ${"wall / dist".padStart(12)} ${"CPU / dist".padStart(11)}  load (1 min) during the runs`);
    const reference = row(base, samples.get(base)!);
    for (const variant of variants) {
      const r = row(variant.name, samples.get(variant.name)!);
      console.log(
        `${r.name.padEnd(20)} ${(r.wall.toFixed(2) + " s").padStart(12)} ${(r.cpu.toFixed(2) + " s").padStart(11)} ${(r.cpuRange + " s").padStart(12)} ${(r.wall / reference.wall).toFixed(2).padStart(11)}× ${(r.cpu / reference.cpu).toFixed(2).padStart(10)}×  ${r.load}`,
      );
    }
  }
  console.log(`\nCores: ${(await import("node:os")).cpus().length}. Wall times include waiting for the CPU when the load exceeds the cores; CPU seconds do not.`);
}

await main();
