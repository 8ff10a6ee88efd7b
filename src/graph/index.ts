/**
 * The graph detector: a pure library over typed arrays (no database, no
 * globals). Build a compact graph once, then score it from seeds and find its
 * communities. Method notes and failure modes: docs/network.md.
 *
 * @example
 * const ids = new NodeIds();
 * const edges = new EdgeBuffer();
 * edges.add(ids.id("a"), ids.id("b"), 1);
 * const graph = buildCsr(ids.size, edges);
 * const restart = new Float64Array(ids.size);
 * restart[ids.id("a")] = 1;
 * const ranked = degreeNormalize(personalizedPageRank(graph, restart).scores, graph);
 */
export { EdgeBuffer } from "./edge-buffer.js";
export { type Csr, type BuildCsrOptions, type EdgeList, buildCsr, transpose, withoutEdges, outWeights, inWeights, csrBytes } from "./csr.js";
export { NodeIds } from "./node-ids.js";
export { type PageRankOptions, type PageRankResult, personalizedPageRank, DEFAULT_PAGERANK_ALPHA } from "./ppr.js";
export { type DegreeNormalizeOptions, degreeNormalize } from "./degree-normalize.js";
export { type LouvainOptions, type LouvainResult, louvain } from "./louvain.js";
export { modularity } from "./modularity.js";
