import { LapwingError } from "../errors/index.js";
import { seededRandom, shuffleInPlace } from "../random/index.js";
import { type Csr, inWeights, outWeights } from "./csr.js";
import { modularity } from "./modularity.js";

/** Options of {@link louvain}. */
export interface LouvainOptions {
  /** Resolution γ of the modularity being maximised: above 1 gives more, smaller communities. Default 1. */
  resolution?: number;
  /** Seed of the node visiting order; the same seed gives the same partition. Default 1. */
  seed?: number;
  /** Aggregation levels at most (each level merges communities into nodes). Default 32. */
  maxLevels?: number;
  /**
   * Split every community that is not connected into its connected parts at
   * each level, before aggregating (Leiden's guarantee of connected
   * communities, without its full refinement). Never lowers modularity.
   * Default true.
   */
  splitDisconnected?: boolean;
}

/** What {@link louvain} returns. */
export interface LouvainResult {
  /** Community of each node, numbered 0..count-1 by decreasing size (ties: the one holding the lowest node first). */
  community: Int32Array;
  count: number;
  /** Modularity of the partition at the given resolution (see {@link modularity}). */
  modularity: number;
  /** Aggregation levels performed. */
  levels: number;
}

/** One level's graph: CSR plus each node's self-loop weight (the ties inside an aggregated community). */
interface LevelGraph {
  nodeCount: number;
  offsets: Uint32Array | Float64Array;
  targets: Uint32Array;
  weights: Float32Array | Float64Array;
  loops: Float64Array;
}

/**
 * Community detection by modularity maximisation: the Louvain method (Blondel
 * et al. 2008) with the Leiden algorithm's queue-based fast local moving and
 * a split of disconnected communities at every level (Traag, Waltman and van
 * Eck 2019). Input: an undirected graph, i.e. a symmetric {@link Csr}
 * (`buildCsr(n, edges, { symmetric: true })`); a graph whose in- and
 * out-weights differ is refused.
 *
 * ## Method
 * 1. Local moving: nodes are visited from a queue in a seeded random order;
 *    each joins the neighbouring community with the largest modularity gain
 *    (ties keep the first found, so a seed replays exactly); when a node
 *    moves, its neighbours outside its new community are queued again. Stops
 *    when the queue is empty: no single move raises modularity.
 * 2. Communities that fell apart (a node that held them together left) are
 *    split into their connected parts, Louvain's known defect.
 * 3. Each community becomes one node (ties inside become a self-loop) and the
 *    next level starts, until a level merges nothing or `maxLevels` is reached.
 *
 * ## Failure modes
 * Modularity has a resolution limit: communities smaller than about √(2m)
 * edges' worth can be merged with a neighbour (a small ring of sellers inside
 * a big interest community); raise `resolution` to see finer clusters.
 * Communities are guaranteed connected but not "well connected" (full Leiden
 * refinement would also guarantee that no part hangs on by a thin thread).
 * Results depend on the seed: near-equal partitions are common, so do not
 * compare cluster numbers across runs, compare members.
 *
 * @example
 * const graph = buildCsr(n, edges, { symmetric: true });
 * const { community, count, modularity } = louvain(graph, { seed: 7 });
 */
export function louvain(graph: Csr, options: LouvainOptions = {}): LouvainResult {
  const resolution = options.resolution ?? 1;
  const seed = options.seed ?? 1;
  const maxLevels = options.maxLevels ?? 32;
  const splitDisconnected = options.splitDisconnected ?? true;
  if (!(resolution > 0 && resolution < Infinity)) throw new LapwingError("VALIDATION_FAILED", `resolution must be a finite number > 0; got ${resolution}.`);
  if (!Number.isInteger(seed)) throw new LapwingError("VALIDATION_FAILED", `seed must be a whole number; got ${seed}.`);
  if (!Number.isInteger(maxLevels) || maxLevels < 1) throw new LapwingError("VALIDATION_FAILED", `maxLevels must be a positive whole number; got ${maxLevels}.`);
  checkSymmetric(graph);

  const nodeCount = graph.nodeCount;
  const random = seededRandom(seed);
  const membership = new Int32Array(nodeCount);
  for (let i = 0; i < nodeCount; i++) membership[i] = i;
  let level: LevelGraph = { ...graph, loops: new Float64Array(nodeCount) };
  let levels = 0;
  while (levels < maxLevels && level.nodeCount > 0) {
    let community = moveNodes(level, resolution, random);
    if (splitDisconnected) community = connectedParts(level, community);
    else community = compactLabels(community);
    const count = labelCount(community);
    if (count === level.nodeCount) break;
    for (let i = 0; i < nodeCount; i++) membership[i] = community[membership[i]];
    level = aggregate(level, community, count);
    levels++;
  }
  const { community, count } = renumberBySize(membership);
  return { community, count, modularity: modularity(graph, community, { resolution }), levels };
}

/** Fast local moving; returns a community label (a node number) per node. */
function moveNodes(graph: LevelGraph, resolution: number, random: () => number): Int32Array {
  const { nodeCount, offsets, targets, weights, loops } = graph;
  const degree = new Float64Array(nodeCount);
  const total = new Float64Array(nodeCount);
  const community = new Int32Array(nodeCount);
  let twoM = 0;
  for (let i = 0; i < nodeCount; i++) {
    let k = loops[i];
    for (let p = offsets[i], end = offsets[i + 1]; p < end; p++) k += weights[p];
    degree[i] = k;
    total[i] = k;
    community[i] = i;
    twoM += k;
  }
  if (twoM === 0) return community;
  const scale = resolution / twoM;

  // A circular queue holding each node at most once, first filled in a seeded random order.
  const queue = new Int32Array(nodeCount);
  const queued = new Uint8Array(nodeCount).fill(1);
  for (let i = 0; i < nodeCount; i++) queue[i] = i;
  shuffleInPlace(queue, random);
  let head = 0;
  let size = nodeCount;

  const linkWeight = new Float64Array(nodeCount);
  const touched = new Int32Array(nodeCount);
  while (size > 0) {
    const i = queue[head];
    head = head + 1 === nodeCount ? 0 : head + 1;
    size--;
    queued[i] = 0;
    const own = community[i];
    const k = degree[i];
    const start = offsets[i];
    const end = offsets[i + 1];
    let touchedCount = 0;
    for (let p = start; p < end; p++) {
      const c = community[targets[p]];
      if (linkWeight[c] === 0) touched[touchedCount++] = c;
      linkWeight[c] += weights[p];
    }
    total[own] -= k;
    // Gain of joining c, up to a constant: ties to c minus the expected ties.
    const stay = linkWeight[own] - total[own] * k * scale;
    let best = own;
    let bestGain = stay;
    for (let t = 0; t < touchedCount; t++) {
      const c = touched[t];
      const gain = linkWeight[c] - total[c] * k * scale;
      if (gain > bestGain) {
        best = c;
        bestGain = gain;
      }
      linkWeight[c] = 0;
    }
    linkWeight[own] = 0;
    // A move must gain more than rounding noise, or two equal options could swap forever.
    if (best !== own && bestGain - stay <= 1e-12 * (k + Math.abs(stay))) best = own;
    total[best] += k;
    if (best === own) continue;
    community[i] = best;
    for (let p = start; p < end; p++) {
      const j = targets[p];
      if (queued[j] === 0 && community[j] !== best) {
        queued[j] = 1;
        let tail = head + size;
        if (tail >= nodeCount) tail -= nodeCount;
        queue[tail] = j;
        size++;
      }
    }
  }
  return community;
}

/**
 * Relabels so each connected part of each community gets its own label
 * 0..k-1, in order of lowest node. Exported for its test only (not in index.ts).
 */
export function connectedParts(graph: Pick<LevelGraph, "nodeCount" | "offsets" | "targets">, community: Int32Array): Int32Array {
  const { nodeCount, offsets, targets } = graph;
  const part = new Int32Array(nodeCount).fill(-1);
  const stack = new Int32Array(nodeCount);
  let label = 0;
  for (let s = 0; s < nodeCount; s++) {
    if (part[s] !== -1) continue;
    const c = community[s];
    part[s] = label;
    let top = 0;
    stack[top++] = s;
    while (top > 0) {
      const u = stack[--top];
      for (let p = offsets[u], end = offsets[u + 1]; p < end; p++) {
        const v = targets[p];
        if (part[v] === -1 && community[v] === c) {
          part[v] = label;
          stack[top++] = v;
        }
      }
    }
    label++;
  }
  return part;
}

/** Relabels to 0..k-1 in order of lowest node. */
function compactLabels(community: Int32Array): Int32Array {
  const map = new Int32Array(community.length).fill(-1);
  const out = new Int32Array(community.length);
  let label = 0;
  for (let i = 0; i < community.length; i++) {
    const c = community[i];
    if (map[c] === -1) map[c] = label++;
    out[i] = map[c];
  }
  return out;
}

function labelCount(community: Int32Array): number {
  let count = 0;
  for (let i = 0; i < community.length; i++) if (community[i] >= count) count = community[i] + 1;
  return count;
}

/** The graph of communities: one node per community, ties summed, inside ties as self-loops. */
function aggregate(graph: LevelGraph, community: Int32Array, count: number): LevelGraph {
  const { nodeCount, offsets, targets, weights, loops } = graph;
  // Members of each community, by counting sort.
  const memberStart = new Uint32Array(count + 1);
  for (let i = 0; i < nodeCount; i++) memberStart[community[i] + 1]++;
  for (let c = 0; c < count; c++) memberStart[c + 1] += memberStart[c];
  const members = new Uint32Array(nodeCount);
  const cursor = memberStart.slice(0, count);
  for (let i = 0; i < nodeCount; i++) members[cursor[community[i]]++] = i;

  const newOffsets = new Uint32Array(count + 1);
  const newLoops = new Float64Array(count);
  let newTargets = new Uint32Array(Math.max(16, targets.length >>> 2));
  let newWeights = new Float64Array(newTargets.length);
  const linkWeight = new Float64Array(count);
  const touched = new Int32Array(count);
  let write = 0;
  for (let c = 0; c < count; c++) {
    let touchedCount = 0;
    let inside = 0;
    for (let m = memberStart[c], mEnd = memberStart[c + 1]; m < mEnd; m++) {
      const i = members[m];
      inside += loops[i];
      for (let p = offsets[i], end = offsets[i + 1]; p < end; p++) {
        const d = community[targets[p]];
        if (d === c) {
          inside += weights[p];
          continue;
        }
        if (linkWeight[d] === 0) touched[touchedCount++] = d;
        linkWeight[d] += weights[p];
      }
    }
    newLoops[c] = inside;
    if (write + touchedCount > newTargets.length) {
      const capacity = Math.max(newTargets.length * 2, write + touchedCount);
      const grownTargets = new Uint32Array(capacity);
      const grownWeights = new Float64Array(capacity);
      grownTargets.set(newTargets.subarray(0, write));
      grownWeights.set(newWeights.subarray(0, write));
      newTargets = grownTargets;
      newWeights = grownWeights;
    }
    for (let t = 0; t < touchedCount; t++) {
      const d = touched[t];
      newTargets[write] = d;
      newWeights[write++] = linkWeight[d];
      linkWeight[d] = 0;
    }
    newOffsets[c + 1] = write;
  }
  return { nodeCount: count, offsets: newOffsets, targets: newTargets.slice(0, write), weights: newWeights.slice(0, write), loops: newLoops };
}

/** Renumbers communities 0..count-1 by decreasing size; equal sizes in order of their lowest node. */
function renumberBySize(membership: Int32Array): { community: Int32Array; count: number } {
  const labels = compactLabels(membership);
  const count = labelCount(labels);
  const sizes = new Uint32Array(count);
  for (let i = 0; i < labels.length; i++) sizes[labels[i]]++;
  // compactLabels numbered by lowest node, so a stable sort by size keeps that order for ties.
  const order = Array.from({ length: count }, (_, c) => c).sort((a, b) => sizes[b] - sizes[a] || a - b);
  const rank = new Int32Array(count);
  for (let r = 0; r < count; r++) rank[order[r]] = r;
  const community = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) community[i] = rank[labels[i]];
  return { community, count };
}

function checkSymmetric(graph: Csr): void {
  const out = outWeights(graph);
  const into = inWeights(graph);
  for (let i = 0; i < graph.nodeCount; i++) {
    if (Math.abs(out[i] - into[i]) > 1e-5 * Math.max(1, out[i], into[i])) {
      throw new LapwingError(
        "VALIDATION_FAILED",
        `louvain needs an undirected graph, but node ${i} has out-weight ${out[i]} and in-weight ${into[i]}: build it with buildCsr(n, edges, { symmetric: true }).`,
      );
    }
  }
}
