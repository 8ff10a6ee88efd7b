import { LapwingError } from "../errors/index.js";
import type { Csr } from "./csr.js";

/**
 * Newman–Girvan modularity of a partition of an undirected graph (a symmetric
 * {@link Csr}, each tie stored in both rows), with a resolution parameter:
 *
 *   Q = Σ_c [ in_c / 2m − resolution · (tot_c / 2m)² ]
 *
 * where 2m is the sum of all stored weights, in_c the stored weight with both
 * ends in community c and tot_c the weighted degrees summed over c. Between
 * −1/2 and 1; 0 for a graph with no edges. The same formula as networkx's
 * `modularity` and graphology's, so partitions from any of them compare.
 *
 * @example
 * modularity(graph, new Int32Array([0, 0, 0, 1, 1, 1])); // two triangles joined by one edge: 0.357
 */
export function modularity(graph: Csr, community: Int32Array, options: { resolution?: number } = {}): number {
  const resolution = options.resolution ?? 1;
  const { nodeCount, offsets, targets, weights } = graph;
  if (community.length !== nodeCount) {
    throw new LapwingError("VALIDATION_FAILED", `community has ${community.length} entries but the graph has ${nodeCount} nodes.`);
  }
  let labels = 0;
  for (let i = 0; i < nodeCount; i++) {
    if (community[i] < 0) throw new LapwingError("VALIDATION_FAILED", `community[${i}] is negative.`);
    if (community[i] >= labels) labels = community[i] + 1;
  }
  const inside = new Float64Array(labels);
  const total = new Float64Array(labels);
  let twoM = 0;
  for (let i = 0; i < nodeCount; i++) {
    const c = community[i];
    for (let p = offsets[i], end = offsets[i + 1]; p < end; p++) {
      const w = weights[p];
      twoM += w;
      total[c] += w;
      if (community[targets[p]] === c) inside[c] += w;
    }
  }
  if (twoM === 0) return 0;
  let q = 0;
  for (let c = 0; c < labels; c++) q += inside[c] / twoM - resolution * (total[c] / twoM) ** 2;
  return q;
}
