/**
 * The peers of the graph benchmark (bench/graph.ts): graphology 0.26 with
 * graphology-metrics (PageRank) and graphology-communities-louvain, in this
 * process; networkx 2.8 (Debian python3-networkx) in /usr/bin/python3 via
 * bench/graph_networkx.py. Both get the same graph, seeds and settings.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { DirectedGraph, UndirectedGraph } from "graphology";
import louvainModule from "graphology-communities-louvain";
import pagerankModule from "graphology-metrics/centrality/pagerank.js";
import { seededRandom } from "../src/random/index.js";
import type { EdgeArrays } from "./graph-data.js";

/** Wall and CPU seconds (this process, all threads) and resident-memory growth of one step. */
export interface Step {
  seconds: number;
  cpuSeconds: number;
  rssMiB?: number;
}

export interface PeerResult {
  build?: Step;
  undirectedBuild?: Step;
  ppr?: Step & { scores?: Float64Array };
  globalPageRank?: Step & { scores?: Float64Array };
  louvain?: Step & { community?: Int32Array; count?: number };
  /** Why a step is missing (time limit, out of memory, no personalisation). */
  notes: string[];
}

export interface PeerSettings {
  /** Restart probability (PageRank damping is 1 - restart). */
  restart: number;
  maxIterations: number;
  /** L1 change at which to stop, as Lapwing counts it (peers use N × tol: divided here). */
  tolerance: number;
  weighted: boolean;
  louvainSeed: number;
}

// Both packages are CommonJS (`module.exports = fn`) typed as `export default`:
// under NodeNext TypeScript sees the namespace, Node gives the function.
const louvain = louvainModule as unknown as typeof louvainModule.default;
const pagerank = pagerankModule as unknown as typeof pagerankModule.default;

export const mib = (bytes: number) => bytes / 2 ** 20;

/** Resident memory after a full collection (run with --expose-gc, as bench/run.ts does). */
export function rss(): number {
  globalThis.gc?.();
  return process.memoryUsage().rss;
}

/** Runs `run` and measures it; CPU time is what compares on a shared machine. */
export function timed<T>(run: () => T): { value: T; seconds: number; cpuSeconds: number } {
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const value = run();
  const used = process.cpuUsage(cpu);
  return { value, seconds: Number(process.hrtime.bigint() - started) / 1e9, cpuSeconds: (used.user + used.system) / 1e6 };
}

/** graphology: global PageRank (it has no personalised variant) and Louvain on the undirected graph. */
export function runGraphology(directed: Required<EdgeArrays>, undirected: Required<EdgeArrays>, settings: PeerSettings): PeerResult {
  const notes = ["graphology-metrics' pagerank has no restart (personalisation) vector: its global PageRank is timed against Lapwing's"];
  const n = directed.nodeCount;
  let before = rss();
  const build = timed(() => {
    const graph = new DirectedGraph({ allowSelfLoops: false });
    for (let i = 0; i < n; i++) graph.addNode(i);
    const { sources, targets, weights } = directed;
    if (settings.weighted) for (let e = 0; e < sources.length; e++) graph.addEdge(sources[e], targets[e], { weight: weights[e] });
    else for (let e = 0; e < sources.length; e++) graph.addEdge(sources[e], targets[e]);
    return graph;
  });
  const result: PeerResult = { build: { seconds: build.seconds, cpuSeconds: build.cpuSeconds, rssMiB: mib(rss() - before) }, notes };
  try {
    const ranked = timed(() =>
      pagerank(build.value, {
        alpha: 1 - settings.restart,
        maxIterations: settings.maxIterations,
        tolerance: settings.tolerance / n,
        getEdgeWeight: settings.weighted ? "weight" : null,
      }),
    );
    const scores = new Float64Array(n);
    for (const [node, score] of Object.entries(ranked.value)) scores[Number(node)] = score as number;
    result.globalPageRank = { seconds: ranked.seconds, cpuSeconds: ranked.cpuSeconds, scores };
  } catch (error) {
    notes.push(`graphology pagerank: ${(error as Error).message}`);
  }
  build.value.clear();

  before = rss();
  const undirectedBuild = timed(() => {
    const graph = new UndirectedGraph({ allowSelfLoops: false });
    for (let i = 0; i < n; i++) graph.addNode(i);
    const { sources, targets, weights } = undirected;
    for (let e = 0; e < sources.length; e++) graph.addEdge(sources[e], targets[e], { weight: weights[e] });
    return graph;
  });
  result.undirectedBuild = { seconds: undirectedBuild.seconds, cpuSeconds: undirectedBuild.cpuSeconds, rssMiB: mib(rss() - before) };
  const detected = timed(() =>
    louvain.detailed(undirectedBuild.value, { getEdgeWeight: "weight", fastLocalMoves: true, randomWalk: true, rng: seededRandom(settings.louvainSeed) }),
  );
  const community = new Int32Array(n);
  for (const [node, label] of Object.entries(detected.value.communities)) community[Number(node)] = label as number;
  result.louvain = { seconds: detected.seconds, cpuSeconds: detected.cpuSeconds, community, count: detected.value.count };
  undirectedBuild.value.clear();
  return result;
}

interface NetworkxStage {
  stage: string;
  rssMiB: number;
  seconds?: number;
  cpuSeconds?: number;
  converged?: boolean;
  count?: number;
}

/**
 * networkx on the edge files at `prefix` (graph-data.ts writeEdgeFiles:
 * `.dir` and `.und`), stopped after `timeoutSeconds`; stages finished by then
 * are kept.
 */
export function runNetworkx(prefix: string, nodeCount: number, seeds: number[], settings: PeerSettings, timeoutSeconds: number): PeerResult {
  const script = fileURLToPath(new URL("graph_networkx.py", import.meta.url));
  const args = [script, prefix, String(nodeCount), seeds.join(","), String(settings.restart), String(settings.maxIterations), String(settings.tolerance), settings.weighted ? "1" : "0", String(settings.louvainSeed)];
  const proc = spawnSync("/usr/bin/python3", args, { encoding: "utf8", timeout: timeoutSeconds * 1000, killSignal: "SIGKILL", maxBuffer: 1 << 24 });
  const notes: string[] = [];
  if (proc.error && (proc.error as NodeJS.ErrnoException).code === "ENOENT") return { notes: ["networkx: /usr/bin/python3 not found"] };
  const stages = new Map<string, NetworkxStage>();
  for (const line of (proc.stdout ?? "").split("\n")) if (line.startsWith("{")) stages.set((JSON.parse(line) as NetworkxStage).stage, JSON.parse(line) as NetworkxStage);
  if (proc.status !== 0) notes.push(proc.signal === "SIGKILL" ? `networkx stopped at the ${timeoutSeconds} s limit after: ${[...stages.keys()].join(", ")}` : `networkx failed: ${(proc.stderr ?? "").trim().split("\n").pop()}`);
  const base = stages.get("start")?.rssMiB ?? 0;
  const result: PeerResult = { notes };
  const build = stages.get("build");
  if (build) result.build = { seconds: build.seconds!, cpuSeconds: build.cpuSeconds!, rssMiB: build.rssMiB - base };
  const ppr = stages.get("ppr");
  if (ppr) {
    result.ppr = { seconds: ppr.seconds!, cpuSeconds: ppr.cpuSeconds! };
    if (ppr.converged) result.ppr.scores = new Float64Array(readFileSync(`${prefix}.nx-ppr.f64`).buffer.slice(0));
    else notes.push("networkx pagerank did not converge");
  }
  const undirectedBuild = stages.get("undirected-build");
  if (undirectedBuild) result.undirectedBuild = { seconds: undirectedBuild.seconds!, cpuSeconds: undirectedBuild.cpuSeconds!, rssMiB: undirectedBuild.rssMiB - base };
  const louvainStage = stages.get("louvain");
  if (louvainStage) {
    result.louvain = { seconds: louvainStage.seconds!, cpuSeconds: louvainStage.cpuSeconds!, count: louvainStage.count, community: new Int32Array(readFileSync(`${prefix}.nx-louvain.i32`).buffer.slice(0)) };
  }
  return result;
}
