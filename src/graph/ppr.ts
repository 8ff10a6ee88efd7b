import { LapwingError } from "../errors/index.js";
import { type Csr, outWeights, transpose } from "./csr.js";

/** Options of {@link personalizedPageRank}. */
export interface PageRankOptions {
  /** Restart probability per step (the walk's "teleport"); 0 < alpha ≤ 1. Default 0.15. */
  alpha?: number;
  /** Iterations at most. Default 200 (at alpha 0.15 the error shrinks by 0.85 a step: ~90 steps reach 1e-6). */
  maxIterations?: number;
  /** Stop when the L1 distance between successive score vectors is below this. Default 1e-6. */
  tolerance?: number;
  /**
   * `transpose(graph)`, if the caller keeps it for several runs; otherwise it
   * is computed per call (about a second and 8 bytes an edge at 10M edges).
   */
  transposed?: Csr;
  /**
   * Where the power iteration starts (default: the restart distribution): a
   * previous result on a nearly identical graph or restart set (a warm start)
   * converges in fewer iterations to the same fixed point, within `tolerance`.
   * Any non-negative vector with a positive sum; it is normalised here.
   */
  initial?: Float64Array;
}

/** What {@link personalizedPageRank} returns. */
export interface PageRankResult {
  /** Stationary probability of each node; sums to 1 (up to rounding). */
  scores: Float64Array;
  /** Power iterations performed. */
  iterations: number;
  /** L1 distance between the last two iterates: below `tolerance` when it converged. */
  residual: number;
}

export const DEFAULT_PAGERANK_ALPHA = 0.15;
const DEFAULT_MAX_ITERATIONS = 200;
const DEFAULT_TOLERANCE = 1e-6;

/**
 * Personalised PageRank (random walk with restart) on a weighted directed
 * graph, by power iteration.
 *
 * ## The walk
 * At each step the walker restarts with probability `alpha`, jumping to a node
 * drawn from `restart` (seeds; any non-negative weights, normalised here);
 * otherwise it follows one of its node's out-edges with probability
 * proportional to the edge weight. A node without out-edges (dangling) sends
 * its walker back to the restart distribution, so no mass leaks and no mass
 * is spread uniformly over strangers: the result sums to 1 and only nodes
 * reachable from the seeds score above 0.
 *
 * ## Cost
 * O(edges) per iteration, pulling along the transposed graph: each node sums
 * what its in-neighbours send, so the writes are sequential and only the reads
 * jump (about 1.5× faster than pushing along rows at 10M edges). Memory: the
 * transpose (unless given) and four Float64Arrays of the node count.
 *
 * ## Precision
 * What a node sends along its edges is rounded to single precision each step,
 * so each score is good to about 1e-7 of its value (L1 distance 2e-8 from a
 * double-precision run on 1M nodes). The residual bottoms out near 1e-7 times
 * the largest score: on a tiny graph a `tolerance` below about 3e-7 is never
 * reached and the run goes to `maxIterations`. Rankings are unaffected but
 * for near-ties.
 *
 * ## Convergence
 * Not converging within `maxIterations` is not an error: check `residual`
 * against `tolerance` (the ranking is usually settled long before 1e-6).
 *
 * @example
 * const edges = new EdgeBuffer();
 * edges.add(0, 1, 1); edges.add(1, 2, 1); edges.add(2, 0, 1);
 * const restart = new Float64Array(3); restart[0] = 1;
 * const { scores } = personalizedPageRank(buildCsr(3, edges), restart);
 * // scores[0] > scores[1] > scores[2], and they sum to 1
 */
export function personalizedPageRank(graph: Csr, restart: Float64Array, options: PageRankOptions = {}): PageRankResult {
  const alpha = options.alpha ?? DEFAULT_PAGERANK_ALPHA;
  const maxIterations = options.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  if (!(alpha > 0 && alpha <= 1)) throw new LapwingError("VALIDATION_FAILED", `alpha (the restart probability) must be in (0, 1]; got ${alpha}.`);
  if (!Number.isInteger(maxIterations) || maxIterations < 1) throw new LapwingError("VALIDATION_FAILED", `maxIterations must be a positive whole number; got ${maxIterations}.`);
  if (!(tolerance >= 0)) throw new LapwingError("VALIDATION_FAILED", `tolerance must be a number ≥ 0; got ${tolerance}.`);
  const { nodeCount } = graph;
  if (restart.length !== nodeCount) {
    throw new LapwingError("VALIDATION_FAILED", `restart has ${restart.length} entries but the graph has ${nodeCount} nodes.`);
  }
  if (nodeCount === 0) return { scores: new Float64Array(0), iterations: 0, residual: 0 };

  // The restart distribution, normalised, kept as a sparse list: seeds are few.
  let restartTotal = 0;
  let support = 0;
  for (let i = 0; i < nodeCount; i++) {
    const r = restart[i];
    if (!(r >= 0 && r < Infinity)) throw new LapwingError("VALIDATION_FAILED", `restart[${i}] must be finite and not negative; got ${r}.`);
    if (r > 0) support++;
    restartTotal += r;
  }
  if (!(restartTotal > 0 && restartTotal < Infinity)) {
    throw new LapwingError("VALIDATION_FAILED", "restart must give some node a positive weight (a seed) and sum to a finite number.");
  }
  const restartNodes = new Uint32Array(support);
  const restartShare = new Float64Array(support);
  for (let i = 0, k = 0; i < nodeCount; i++) {
    if (restart[i] > 0) {
      restartNodes[k] = i;
      restartShare[k++] = restart[i] / restartTotal;
    }
  }

  const inverseOut = outWeights(graph);
  for (let i = 0; i < nodeCount; i++) inverseOut[i] = inverseOut[i] > 0 ? 1 / inverseOut[i] : 0;
  const incoming = options.transposed ?? transpose(graph);
  if (incoming.nodeCount !== nodeCount || incoming.targets.length !== graph.targets.length) {
    throw new LapwingError("VALIDATION_FAILED", "transposed is not the transpose of this graph: pass transpose(graph), or leave it out.");
  }
  const { offsets, targets, weights } = incoming;
  const restartVector = new Float64Array(nodeCount);
  for (let k = 0; k < support; k++) restartVector[restartNodes[k]] = restartShare[k];

  let scores = restartVector.slice();
  if (options.initial) scores = startingPoint(options.initial, nodeCount);
  let next = new Float64Array(nodeCount);
  // What each node sends along each unit of out-weight this step. Single
  // precision halves the randomly read memory (about 25% faster at 10M edges);
  // scores still add up in double precision (see "Precision" above).
  const sent = new Float32Array(nodeCount);
  const walk = 1 - alpha;
  let iterations = 0;
  let residual = Infinity;
  while (iterations < maxIterations) {
    iterations++;
    let dangling = 0;
    for (let i = 0; i < nodeCount; i++) {
      const inverse = inverseOut[i];
      if (inverse === 0) dangling += scores[i];
      sent[i] = walk * scores[i] * inverse;
    }
    // Restarts plus the walkers stranded on dangling nodes go back to the seeds.
    const back = alpha + walk * dangling;
    residual = 0;
    for (let i = 0; i < nodeCount; i++) {
      let sum = back * restartVector[i];
      for (let p = offsets[i], end = offsets[i + 1]; p < end; p++) sum += sent[targets[p]] * weights[p];
      next[i] = sum;
      residual += Math.abs(sum - scores[i]);
    }
    const previous = scores;
    scores = next;
    next = previous;
    if (residual < tolerance) break;
  }
  // Rounding in `sent` leaks or adds about 1e-8 of mass; put the sum back to 1.
  let total = 0;
  for (let i = 0; i < nodeCount; i++) total += scores[i];
  for (let i = 0; i < nodeCount; i++) scores[i] /= total;
  return { scores, iterations, residual };
}

/** A warm start, checked and normalised to sum 1 (a copy: the caller's vector is left alone). */
function startingPoint(initial: Float64Array, nodeCount: number): Float64Array<ArrayBuffer> {
  if (initial.length !== nodeCount) throw new LapwingError("VALIDATION_FAILED", `initial has ${initial.length} entries but the graph has ${nodeCount} nodes.`);
  let total = 0;
  for (let i = 0; i < nodeCount; i++) {
    const v = initial[i];
    if (!(v >= 0 && v < Infinity)) throw new LapwingError("VALIDATION_FAILED", `initial[${i}] must be finite and not negative; got ${v}.`);
    total += v;
  }
  if (!(total > 0)) throw new LapwingError("VALIDATION_FAILED", "initial must have a positive sum.");
  const start = new Float64Array(nodeCount);
  for (let i = 0; i < nodeCount; i++) start[i] = initial[i] / total;
  return start;
}
