import { LapwingError } from "../errors/index.js";

/**
 * Edges as three parallel arrays, what {@link buildCsr} reads: an
 * `EdgeBuffer`, or arrays a caller already holds (no copy). Weights are
 * finite and not negative (an `EdgeBuffer` checks them as they are added).
 */
export interface EdgeList {
  readonly sources: Uint32Array;
  readonly targets: Uint32Array;
  readonly weights: Float32Array;
}

/**
 * A weighted directed graph in compressed sparse row form: the out-edges of
 * node `i` are `targets[offsets[i] .. offsets[i + 1])` with the matching
 * `weights`. Rows built by {@link buildCsr} and {@link transpose} are sorted
 * by target, hold no duplicate targets, no self-loops and no zero weights.
 *
 * Memory: 4 bytes per node for the offsets plus 8 bytes per stored edge.
 */
export interface Csr {
  readonly nodeCount: number;
  readonly offsets: Float64Array | Uint32Array;
  readonly targets: Uint32Array;
  readonly weights: Float32Array;
}

/** Options of {@link buildCsr}. */
export interface BuildCsrOptions {
  /**
   * Also store every edge reversed, so the result is an undirected graph (what
   * {@link louvain} needs). `u → v` and `v → u` given both are summed into one
   * undirected tie of their total weight, stored in both rows. Default false.
   */
  symmetric?: boolean;
  /**
   * A graph that nothing reads any more, whose arrays the build may take over
   * as its scratch space when they are large enough: rebuilding a large graph
   * then allocates only its result beside the old graph's arrays (which the
   * garbage collector may not have freed yet), not its scratch arrays as well.
   * The old graph must not be read afterwards.
   */
  recycle?: Csr;
  /**
   * Extra room in the result's arrays, as a share of its edges (0.02 = 2%),
   * so that a later build with a few more edges can recycle them. The result's
   * `targets` and `weights` are then views of longer arrays. Default 0.
   */
  slack?: number;
}

/** Typed-array limit on stored edges (Uint32Array offsets). */
const MAX_STORED_EDGES = 0xffffffff;

/**
 * Builds a {@link Csr} from an edge list in O(nodes + edges) with two counting
 * sorts (by target, then stably by source), so rows come out sorted by target
 * without a comparison sort and without an object per edge.
 *
 * ## Cleaning
 * Duplicate `(src, dst)` pairs are merged by summing their weights (a repeated
 * interaction is a stronger tie); self-loops and zero weights are dropped (a
 * self-loop would keep a random walk in place, and a zero-weight edge carries
 * nothing). Peak memory is about one and a half times the final arrays.
 *
 * @example
 * const edges = new EdgeBuffer();
 * edges.add(0, 1, 1); edges.add(0, 1, 2); edges.add(1, 1, 5);
 * const graph = buildCsr(2, edges);
 * Array.from(graph.targets); // [1]
 * Array.from(graph.weights); // [3]
 */
export function buildCsr(nodeCount: number, edges: EdgeList, options: BuildCsrOptions = {}): Csr {
  checkNodeCount(nodeCount);
  const symmetric = options.symmetric ?? false;
  const src = edges.sources;
  const dst = edges.targets;
  const w = edges.weights;
  const edgeCount = src.length;

  // Pass 1: validate, and count each kept entry by target and by source.
  const byTarget = new Uint32Array(nodeCount + 1);
  const bySource = new Uint32Array(nodeCount + 1);
  let stored = 0;
  for (let e = 0; e < edgeCount; e++) {
    const s = src[e];
    const t = dst[e];
    if (s >= nodeCount || t >= nodeCount) {
      throw new LapwingError("VALIDATION_FAILED", `Edge ${e} (${s} → ${t}) names a node outside 0..${nodeCount - 1}; raise nodeCount or fix the edge.`);
    }
    if (s === t || w[e] === 0) continue;
    byTarget[t + 1]++;
    bySource[s + 1]++;
    stored++;
    if (symmetric) {
      byTarget[s + 1]++;
      bySource[t + 1]++;
      stored++;
    }
  }
  if (stored > MAX_STORED_EDGES) {
    throw new LapwingError("VALIDATION_FAILED", `${stored} edges are more than one graph can store (${MAX_STORED_EDGES}).`);
  }
  for (let i = 0; i < nodeCount; i++) {
    byTarget[i + 1] += byTarget[i];
    bySource[i + 1] += bySource[i];
  }

  // Pass 2: bucket the entries by target, each as the number of its edge (4 bytes; its source and weight are read
  // back from the edge list in pass 3, rather than carried along at twice the memory: this is the build's peak).
  // Every entry of the bucket is written before it is read: a recycled graph's storage needs no clearing.
  const old = options.recycle;
  const bucket = old && old.targets.buffer.byteLength >= stored * 4 ? new Uint32Array(old.targets.buffer, 0, stored) : new Uint32Array(stored);
  const cursor = byTarget.slice(0, nodeCount);
  for (let e = 0; e < edgeCount; e++) {
    const s = src[e];
    const t = dst[e];
    if (s === t || w[e] === 0) continue;
    bucket[cursor[t]++] = e;
    if (symmetric) bucket[cursor[s]++] = e;
  }

  // Pass 3: walk the buckets in target order and deal each entry to its
  // source's row: a stable counting sort, so every row is sorted by target.
  // An entry's source is the other end of its edge (the edge itself, or its
  // reverse when symmetric).
  const room = stored + Math.ceil(stored * (options.slack ?? 0));
  const targets = new Uint32Array(room);
  const weights = new Float32Array(room);
  const rowCursor = bySource.slice(0, nodeCount);
  for (let t = 0; t < nodeCount; t++) {
    for (let p = byTarget[t], end = byTarget[t + 1]; p < end; p++) {
      const e = bucket[p];
      const s = src[e] === t && symmetric ? dst[e] : src[e];
      const q = rowCursor[s]++;
      targets[q] = t;
      weights[q] = w[e];
    }
  }

  // Pass 4: merge runs of the same target in place (rows are sorted).
  const offsets = bySource;
  let write = 0;
  for (let i = 0; i < nodeCount; i++) {
    const start = offsets[i];
    const end = offsets[i + 1];
    offsets[i] = write;
    let last = -1;
    for (let p = start; p < end; p++) {
      const t = targets[p];
      if (t === last) {
        weights[write - 1] += weights[p];
      } else {
        targets[write] = t;
        weights[write] = weights[p];
        write++;
        last = t;
      }
    }
  }
  offsets[nodeCount] = write;
  if (room > stored) return { nodeCount, offsets, targets: targets.subarray(0, write), weights: weights.subarray(0, write) };
  return {
    nodeCount,
    offsets,
    targets: write === stored ? targets : targets.slice(0, write),
    weights: write === stored ? weights : weights.slice(0, write),
  };
}

/**
 * The graph with every edge reversed: row `i` of the result lists the nodes
 * with an edge into `i` (sorted), with the same weights. One counting sort.
 */
export function transpose(graph: Csr): Csr {
  const { nodeCount, offsets, targets, weights } = graph;
  const edgeCount = targets.length;
  const counts = new Uint32Array(nodeCount + 1);
  for (let p = 0; p < edgeCount; p++) counts[targets[p] + 1]++;
  for (let i = 0; i < nodeCount; i++) counts[i + 1] += counts[i];
  const cursor = counts.slice(0, nodeCount);
  const reversedTargets = new Uint32Array(edgeCount);
  const reversedWeights = new Float32Array(edgeCount);
  for (let i = 0; i < nodeCount; i++) {
    for (let p = offsets[i], end = offsets[i + 1]; p < end; p++) {
      const q = cursor[targets[p]]++;
      reversedTargets[q] = i;
      reversedWeights[q] = weights[p];
    }
  }
  return { nodeCount, offsets: counts, targets: reversedTargets, weights: reversedWeights };
}

/**
 * A symmetric graph (from `buildCsr(..., { symmetric: true })`) with the
 * weights of `edges` taken out of both directions of their ties: what building
 * it again without those edges would give, up to single-precision rounding,
 * at the cost of one copy of the weights. The offsets and targets are shared
 * with `graph`; a tie taken out entirely stays as an entry of weight 0, which
 * walks, degrees and {@link buildCsr} (if the edges are read back) ignore.
 * Edges the graph does not hold are skipped.
 */
export function withoutEdges(graph: Csr, edges: EdgeList): Csr {
  const weights = graph.weights.slice();
  const { offsets, targets } = graph;
  const lower = (row: number, column: number, by: number) => {
    let lo = offsets[row];
    let hi = offsets[row + 1];
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const t = targets[mid];
      if (t === column) {
        const left = weights[mid] - by;
        // What is left of a tie that was only this edge is rounding: nothing.
        weights[mid] = left > weights[mid] * 1e-6 ? left : 0;
        return;
      }
      if (t < column) lo = mid + 1;
      else hi = mid;
    }
  };
  for (let e = 0; e < edges.sources.length; e++) {
    const s = edges.sources[e];
    const t = edges.targets[e];
    const w = edges.weights[e];
    if (s === t || !(w > 0) || s >= graph.nodeCount || t >= graph.nodeCount) continue;
    lower(s, t, w);
    lower(t, s, w);
  }
  return { nodeCount: graph.nodeCount, offsets, targets, weights };
}

/** Sum of the weights of each node's out-edges (its row). */
export function outWeights(graph: Csr): Float64Array {
  const { nodeCount, offsets, weights } = graph;
  const out = new Float64Array(nodeCount);
  for (let i = 0; i < nodeCount; i++) {
    let sum = 0;
    for (let p = offsets[i], end = offsets[i + 1]; p < end; p++) sum += weights[p];
    out[i] = sum;
  }
  return out;
}

/** Sum of the weights of each node's in-edges (its column). */
export function inWeights(graph: Csr): Float64Array {
  const { nodeCount, targets, weights } = graph;
  const out = new Float64Array(nodeCount);
  for (let p = 0; p < targets.length; p++) out[targets[p]] += weights[p];
  return out;
}

/** Bytes held by the graph's arrays. */
export function csrBytes(graph: Csr): number {
  return graph.offsets.byteLength + graph.targets.byteLength + graph.weights.byteLength;
}

function checkNodeCount(nodeCount: number): void {
  if (!Number.isInteger(nodeCount) || nodeCount < 0 || nodeCount > 0xffffffff) {
    throw new LapwingError("VALIDATION_FAILED", `nodeCount must be a whole number from 0 to 2^32 - 1; got ${nodeCount}.`);
  }
}
