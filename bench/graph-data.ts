/**
 * The synthetic graph of the graph benchmark (bench/graph.ts): a directed
 * "follow" graph with power-law in- and out-degrees, global celebrities and
 * interest communities of power-law sizes, from a seeded PRNG.
 *
 * Each edge picks its source with a skew (a few accounts follow many), then
 * with probability `local` a target inside the source's community (skewed
 * towards the community's own popular accounts), otherwise a target from the
 * whole graph skewed towards global celebrities. Popularity ranks are random
 * permutations, so hubs are scattered over the node numbers. Duplicate
 * follows and self-follows are possible and are cleaned by `buildCsr`.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import type { Csr } from "../src/graph/index.js";
import { seededRandom, shuffleInPlace } from "../src/random/index.js";

export interface EdgeArrays {
  nodeCount: number;
  sources: Uint32Array;
  targets: Uint32Array;
  /** Optional; 1 for every edge when absent. */
  weights?: Float32Array;
}

export interface PowerLawOptions {
  nodes: number;
  edges: number;
  seed?: number;
  /** Share of follows inside the follower's community. Default 0.75. */
  local?: number;
}

function permutation(n: number, random: () => number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return shuffleInPlace(order, random);
}

export function powerLawGraph(options: PowerLawOptions): EdgeArrays {
  const { nodes: n, edges: m } = options;
  const local = options.local ?? 0.75;
  const random = seededRandom(options.seed ?? 1);
  const followerRank = permutation(n, random);
  const celebrityRank = permutation(n, random);

  // Communities: consecutive runs of a random order, sizes Pareto(1.5) from 20, at most 5,000.
  const members = permutation(n, random);
  const communityOf = new Uint32Array(n);
  const starts: number[] = [];
  for (let at = 0; at < n; ) {
    const size = Math.min(5000, Math.floor(20 * Math.pow(1 - random(), -1 / 1.5)), n - at);
    starts.push(at);
    for (let k = at; k < at + size; k++) communityOf[members[k]] = starts.length - 1;
    at += size;
  }
  starts.push(n);

  const sources = new Uint32Array(m);
  const targets = new Uint32Array(m);
  for (let e = 0; e < m; e++) {
    const s = followerRank[Math.floor(n * random() ** 2)];
    let t: number;
    if (random() < local) {
      const c = communityOf[s];
      const size = starts[c + 1] - starts[c];
      t = members[starts[c] + Math.floor(size * random() ** 1.5)];
    } else {
      t = celebrityRank[Math.floor(n * random() ** 3)];
    }
    sources[e] = s;
    targets[e] = t;
  }
  return { nodeCount: n, sources, targets };
}

/**
 * A graph's edges as parallel arrays, one per stored entry; with `onceEach`
 * (for a symmetric graph) only the entries with source < target, i.e. each
 * undirected tie once.
 */
export function edgeArrays(graph: Csr, onceEach = false): Required<EdgeArrays> {
  let count = 0;
  for (let i = 0; i < graph.nodeCount; i++) {
    for (let p = graph.offsets[i]; p < graph.offsets[i + 1]; p++) if (!onceEach || graph.targets[p] > i) count++;
  }
  const sources = new Uint32Array(count);
  const targets = new Uint32Array(count);
  const weights = new Float32Array(count);
  let k = 0;
  for (let i = 0; i < graph.nodeCount; i++) {
    for (let p = graph.offsets[i]; p < graph.offsets[i + 1]; p++) {
      if (onceEach && graph.targets[p] < i) continue;
      sources[k] = i;
      targets[k] = graph.targets[p];
      weights[k++] = graph.weights[p];
    }
  }
  return { nodeCount: graph.nodeCount, sources, targets, weights };
}

/**
 * Writes edges as three raw little-endian files `PREFIX.src.u32`,
 * `PREFIX.dst.u32`, `PREFIX.w.f32`, for numpy.fromfile.
 */
export function writeEdgeFiles(edges: Required<EdgeArrays>, prefix: string): void {
  for (const [suffix, array] of [["src.u32", edges.sources], ["dst.u32", edges.targets], ["w.f32", edges.weights]] as const) {
    const fd = openSync(`${prefix}.${suffix}`, "w");
    writeSync(fd, new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
    closeSync(fd);
  }
}
