/**
 * Graph detector benchmark (issue 8): Lapwing's src/graph/ against graphology
 * (graphology-metrics pagerank, graphology-communities-louvain) and networkx
 * 2.8 (Debian python3-networkx, /usr/bin/python3), side by side in one run on
 * the same graph, seeds and settings: build time, memory, seeded personalised
 * PageRank (5 seeds), global PageRank, Louvain; ratios are peer time / Lapwing time.
 *
 *   node --import tsx bench/graph.ts [--quick] [--sizes 100000x1000000,1000000x10000000]
 *        [--no-graphology] [--no-networkx] [--networkx-timeout 600] [--seed 1]
 *
 * --quick (or LAPWING_BENCH_QUICK=1) runs 100k nodes / 1M edges only. The graph
 * is bench/graph-data.ts powerLawGraph; another graph (the scenario generator's)
 * goes through `benchGraph(edges)`. Settings: restart 0.15 (damping 0.85), at
 * most 200 iterations, stop at an L1 change below 1e-6 (the peers' N × tol
 * criterion is given tol / N so all stop at the same change); Louvain at
 * resolution 1, modularity of every partition computed by the same function.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { buildCsr, csrBytes, degreeNormalize, transpose, EdgeBuffer, louvain, modularity, personalizedPageRank } from "../src/graph/index.js";
import { seededRandom } from "../src/random/index.js";
import { edgeArrays, type EdgeArrays, powerLawGraph, writeEdgeFiles } from "./graph-data.js";
import { mib, type PeerResult, type PeerSettings, rss, runGraphology, runNetworkx, type Step, timed } from "./graph-peers.js";

export interface BenchGraphOptions {
  /** Seed accounts for personalised PageRank. Default 5. */
  seedCount?: number;
  seed?: number;
  graphology?: boolean;
  networkx?: boolean;
  networkxTimeoutSeconds?: number;
  log?: (line: string) => void;
}

export interface BenchGraphResult {
  nodes: number;
  inputEdges: number;
  edges: number;
  undirectedTies: number;
  lapwing: PeerResult & { arrayMiB: number; peakRssMiB: number; pprIterations: number; globalIterations: number; normalizeSeconds: number; modularity: number };
  graphology?: PeerResult & { modularity?: number; pageRankL1?: number };
  networkx?: PeerResult & { modularity?: number; pprL1?: number };
}

function sum(a: Step, b: Step): Step {
  return { seconds: a.seconds + b.seconds, cpuSeconds: a.cpuSeconds + b.cpuSeconds };
}

function l1(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum;
}

/**
 * Runs Lapwing and the peers on one directed graph given as edge arrays.
 * Without `weights`, a follow is a follow: duplicate edges count once (weight 1).
 */
export function benchGraph(input: EdgeArrays, options: BenchGraphOptions = {}): BenchGraphResult {
  const log = options.log ?? console.log;
  const n = input.nodeCount;
  const settings: PeerSettings = { restart: 0.15, maxIterations: 200, tolerance: 1e-6, weighted: input.weights !== undefined, louvainSeed: options.seed ?? 1 };

  const before = rss();
  const { graph, directedBuild } = (() => {
    const fill = timed(() => EdgeBuffer.fromArrays(input.sources, input.targets, input.weights));
    const build = timed(() => buildCsr(n, fill.value));
    return { graph: build.value, directedBuild: sum(fill, build) };
  })();
  // Without weights a follow is a follow: a repeated follow counts once.
  if (!settings.weighted) graph.weights.fill(1);
  // The transpose is part of the build: a service keeps it for every seeded run.
  const transposing = timed(() => transpose(graph));
  const transposed = transposing.value;
  const { undirected, undirectedBuild } = (() => {
    const distinct = edgeArrays(graph);
    const buffer = EdgeBuffer.fromArrays(distinct.sources, distinct.targets, distinct.weights);
    const build = timed(() => buildCsr(n, buffer, { symmetric: true }));
    return { undirected: build.value, undirectedBuild: build };
  })();
  const buildRss = mib(rss() - before);
  const arrayMiB = mib(csrBytes(graph) + csrBytes(transposed) + csrBytes(undirected));
  log(`  Lapwing: directed CSR + transpose ${directedBuild.cpuSeconds.toFixed(2)} + ${transposing.cpuSeconds.toFixed(2)} s CPU, undirected ${undirectedBuild.cpuSeconds.toFixed(2)} s; ${graph.targets.length} edges, ${undirected.targets.length / 2} ties; RSS +${buildRss.toFixed(0)} MiB, arrays ${arrayMiB.toFixed(0)} MiB`);

  // Seeds: distinct accounts that follow someone (a seed with no edges tells nothing).
  const random = seededRandom(options.seed ?? 1);
  const seeds: number[] = [];
  while (seeds.length < (options.seedCount ?? 5)) {
    const node = Math.floor(random() * n);
    if (graph.offsets[node + 1] > graph.offsets[node] && !seeds.includes(node)) seeds.push(node);
  }
  const restart = new Float64Array(n);
  for (const s of seeds) restart[s] = 1;
  const pageRankOptions = { alpha: settings.restart, maxIterations: settings.maxIterations, tolerance: settings.tolerance, transposed };
  const ppr = timed(() => personalizedPageRank(graph, restart, pageRankOptions));
  const normalize = timed(() => degreeNormalize(ppr.value.scores, graph));
  const global = timed(() => personalizedPageRank(graph, new Float64Array(n).fill(1), pageRankOptions));
  log(`  Lapwing: seeded PPR ${ppr.cpuSeconds.toFixed(2)} s CPU (${ppr.value.iterations} iterations), degree normalisation ${normalize.cpuSeconds.toFixed(3)} s, global PageRank ${global.cpuSeconds.toFixed(2)} s (${global.value.iterations})`);
  const communities = timed(() => louvain(undirected, { seed: settings.louvainSeed }));
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  log(`  Lapwing: Louvain ${communities.cpuSeconds.toFixed(2)} s CPU, ${communities.value.count} communities, modularity ${communities.value.modularity.toFixed(4)}; process peak RSS so far ${peakRssMiB.toFixed(0)} MiB`);
  const result: BenchGraphResult = {
    nodes: n,
    inputEdges: input.sources.length,
    edges: graph.targets.length,
    undirectedTies: undirected.targets.length / 2,
    lapwing: {
      build: { ...sum(directedBuild, transposing), rssMiB: buildRss },
      undirectedBuild: { seconds: undirectedBuild.seconds, cpuSeconds: undirectedBuild.cpuSeconds },
      ppr: { seconds: ppr.seconds, cpuSeconds: ppr.cpuSeconds, scores: ppr.value.scores },
      globalPageRank: { seconds: global.seconds, cpuSeconds: global.cpuSeconds, scores: global.value.scores },
      louvain: { seconds: communities.seconds, cpuSeconds: communities.cpuSeconds, count: communities.value.count },
      notes: [],
      arrayMiB,
      peakRssMiB,
      pprIterations: ppr.value.iterations,
      globalIterations: global.value.iterations,
      normalizeSeconds: normalize.cpuSeconds,
      modularity: communities.value.modularity,
    },
  };

  const directedEdges = edgeArrays(graph);
  const undirectedEdges = edgeArrays(undirected, true);
  if (options.networkx !== false) {
    const dir = mkdtempSync(join(tmpdir(), "lapwing-graph-"));
    try {
      writeEdgeFiles(directedEdges, join(dir, "g.dir"));
      writeEdgeFiles(undirectedEdges, join(dir, "g.und"));
      log(`  networkx: running (limit ${options.networkxTimeoutSeconds ?? 600} s) ...`);
      const peer = runNetworkx(join(dir, "g"), n, seeds, settings, options.networkxTimeoutSeconds ?? 600);
      result.networkx = {
        ...peer,
        pprL1: peer.ppr?.scores && l1(peer.ppr.scores, ppr.value.scores),
        modularity: peer.louvain?.community && modularity(undirected, peer.louvain.community),
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (options.graphology !== false) {
    log("  graphology: running ...");
    const peer = runGraphology(directedEdges, undirectedEdges, settings);
    result.graphology = {
      ...peer,
      pageRankL1: peer.globalPageRank?.scores && l1(peer.globalPageRank.scores, global.value.scores),
      modularity: peer.louvain?.community && modularity(undirected, peer.louvain.community),
    };
  }
  return result;
}

function cell(step: Step | undefined, lapwing: Step | undefined): [string, string] {
  if (!step) return ["—", "—"];
  const ratio = lapwing ? `${(step.cpuSeconds / lapwing.cpuSeconds).toFixed(1)}×` : "—";
  return [`${step.cpuSeconds.toFixed(2)} s`, ratio];
}

export function printGraphTable(r: BenchGraphResult, log: (line: string) => void = console.log): void {
  const rows: Array<[string, keyof PeerResult]> = [["build (directed; Lapwing: + transpose)", "build"], ["build (undirected)", "undirectedBuild"], ["seeded PPR, 5 seeds", "ppr"], ["global PageRank", "globalPageRank"], ["Louvain", "louvain"]];
  log(`\n${r.nodes.toLocaleString("en")} nodes, ${r.inputEdges.toLocaleString("en")} generated edges → ${r.edges.toLocaleString("en")} distinct directed edges, ${r.undirectedTies.toLocaleString("en")} undirected ties`);
  log("CPU seconds of each step (one process; the machine is shared, so wall time varies more), ratio = peer / Lapwing:");
  log("| step | Lapwing | graphology | ratio | networkx | ratio |");
  log("| --- | ---: | ---: | ---: | ---: | ---: |");
  for (const [label, key] of rows) {
    const own = r.lapwing[key] as Step | undefined;
    log(`| ${label} | ${own ? `${own.cpuSeconds.toFixed(2)} s` : "—"} | ${cell(r.graphology?.[key] as Step | undefined, own).join(" | ")} | ${cell(r.networkx?.[key] as Step | undefined, own).join(" | ")} |`);
  }
  const memory = (p?: PeerResult) => (p?.build?.rssMiB === undefined ? "—" : `${(p.build.rssMiB + (p.undirectedBuild?.rssMiB ?? 0)).toFixed(0)} MiB`);
  log(`| memory (RSS growth, both graphs) | ${memory(r.lapwing)} (arrays ${r.lapwing.arrayMiB.toFixed(0)} MiB; process peak ${r.lapwing.peakRssMiB.toFixed(0)} MiB) | ${memory(r.graphology)} | | ${memory(r.networkx)} | |`);
  const q = (x?: number) => (x === undefined ? "—" : x.toFixed(4));
  log(`| Louvain communities / modularity | ${r.lapwing.louvain?.count} / ${q(r.lapwing.modularity)} | ${r.graphology?.louvain?.count ?? "—"} / ${q(r.graphology?.modularity)} | | ${r.networkx?.louvain?.count ?? "—"} / ${q(r.networkx?.modularity)} | |`);
  log(`PPR iterations: seeded ${r.lapwing.pprIterations}, global ${r.lapwing.globalIterations}; degree normalisation ${(r.lapwing.normalizeSeconds * 1000).toFixed(0)} ms.`);
  if (r.networkx?.pprL1 !== undefined) log(`Agreement: networkx personalised PageRank vs Lapwing, L1 distance ${r.networkx.pprL1.toExponential(2)}.`);
  if (r.graphology?.pageRankL1 !== undefined) log(`Agreement: graphology global PageRank vs Lapwing, L1 distance ${r.graphology.pageRankL1.toExponential(2)}.`);
  const wall = (p?: PeerResult) => rows.map(([, key]) => (p?.[key] as Step | undefined)?.seconds?.toFixed(1) ?? "—").join(" / ");
  log(`Wall seconds (same steps): Lapwing ${wall(r.lapwing)}; graphology ${wall(r.graphology)}; networkx ${wall(r.networkx)}.`);
  for (const note of [...(r.graphology?.notes ?? []), ...(r.networkx?.notes ?? [])]) log(`Note: ${note}.`);
}

function flag(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const args = process.argv.slice(2);
  const quick = args.includes("--quick") || process.env.LAPWING_BENCH_QUICK === "1";
  const sizes = (flag(args, "--sizes") ?? (quick ? "100000x1000000" : "100000x1000000,1000000x10000000")).split(",").map((s) => s.split("x").map(Number));
  for (const [nodes, edges] of sizes) {
    console.log(`\n--- ${nodes.toLocaleString("en")} nodes, ${edges.toLocaleString("en")} edges ---`);
    const generated = timed(() => powerLawGraph({ nodes, edges, seed: Number(flag(args, "--seed") ?? 1) }));
    console.log(`  generated in ${generated.seconds.toFixed(1)} s`);
    const result = benchGraph(generated.value, {
      seed: Number(flag(args, "--seed") ?? 1),
      graphology: !args.includes("--no-graphology"),
      networkx: !args.includes("--no-networkx"),
      networkxTimeoutSeconds: Number(flag(args, "--networkx-timeout") ?? 600),
    });
    printGraphTable(result);
  }
}
