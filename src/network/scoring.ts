import { buildCsr, degreeNormalize, EdgeBuffer, louvain, outWeights, personalizedPageRank, type Csr } from "../graph/index.js";

export interface ScoringOptions {
  /** Restart probability of the walk: higher keeps the score closer to the seeds. */
  alpha: number;
  /** PPR is divided by (weighted degree)^exponent; 1 compares it with what a random walk would give anyone (the lift). */
  degreeExponent: number;
  /** Relative lift at which the graph score is one half (see docs/network.md). */
  halfLift: number;
  /** How much content evidence alone can contribute (0..1); graph or links must carry the rest. */
  contentWeight: number;
  /** Multiplier on the graph score of accounts a reviewer dismissed. */
  dismissedFactor: number;
  /**
   * Pseudo-degree added to every account's weighted degree, as a multiple of
   * the graph's median degree: an account with one tie to a seed has not shown
   * that it belongs, so its lift is shrunk towards zero until it has as many
   * ties as a typical account. (A larger prior also shrinks the seeds' own lift,
   * which the graph score is measured against, and so raises every account a
   * few steps out, celebrities included: docs/network.md.)
   */
  degreePrior: number;
  /**
   * Share (0..1) of a known-media match's weight that needs ties to the
   * network: the proof counts as `proof × (1 − share + share × graph)`. A match
   * proves the account shared abuse material, not that it belongs to the
   * network; the hash-match policy acts on the match by itself.
   */
  proofGraphShare: number;
  /**
   * How many independent neighbours the walk must reach an account through
   * before its lift counts in full: the lift is multiplied by `k / (k +
   * corroborationPrior)`, `k` the effective number of neighbours its walk mass
   * arrives from. An account reached through one tie (a buyer or a curious
   * account that follows one seller) has one witness and keeps half its lift.
   */
  corroborationPrior: number;
}

export const defaultScoringOptions: ScoringOptions = { alpha: 0.25, degreeExponent: 1, halfLift: 0.1, contentWeight: 0.5, dismissedFactor: 0.25, degreePrior: 1, proofGraphShare: 0.5, corroborationPrior: 1 };

export interface ScoringInput {
  /** Symmetric affinity graph (both directions of each tie summed). */
  graph: Csr;
  /** Positive seeds (confirmed or named members). */
  seeds: readonly number[];
  /** Accounts a reviewer dismissed: negative evidence. */
  dismissed: ReadonlySet<number>;
  /** Soft content evidence per node, 0..1 (lexicon hits, advert scores, reports): capped by `contentWeight`. */
  content: Float64Array;
  /** Hard content evidence per node, 0..1 (matches of known abuse media): counted in full. */
  proof: Float64Array;
  /** Ban-evasion link evidence per node, 0..1 (a link to a seeded, actioned or suspected account). */
  links: Float64Array;
  /** A pass on this same graph from these same seeds and dismissals (scoring again with other links): its walk and graph part are kept. */
  reuse?: Scores;
  /** The walk on a nearby graph (the same ties but an observer's), to start from: the same fixed point, fewer iterations. */
  warmStart?: Float64Array;
}

export interface Scores {
  /** Final score per node, 0..1. */
  score: Float64Array;
  /** The graph part alone, 0..1. */
  graph: Float64Array;
  /** The walk's probability mass, before degree normalisation (for explanations and tests). */
  ppr: Float64Array;
  iterations: number;
}

/**
 * One score per account from three kinds of evidence:
 *
 * - **graph**: a random walk with restart from the seeds over the weighted,
 *   symmetric tie graph (personalised PageRank), divided by each account's
 *   weighted degree so that accounts everyone is tied to (celebrities) do not
 *   rise, then compared with the same quantity one tie away from a typical seed
 *   (`rho`), and mapped to 0..1 by `rho / (rho + halfLift)`. The comparison
 *   makes the score independent of the graph's size and of how many seeds there are.
 * - **content**: the strongest evidence from the account's own content, capped
 *   by `contentWeight` so that content alone (a small legitimate seller with
 *   prices in its bio) cannot outrank accounts the network is tied to. Known
 *   media (proof) counts in full only with graph evidence beside it
 *   (`proofGraphShare`): it proves abuse material was shared, not membership.
 * - **links**: ban-evasion links to seeded, actioned or suspected accounts.
 *
 * They combine as independent evidence (noisy-or). Seeds score 1.
 */
export function scoreAccounts(input: ScoringInput, options: ScoringOptions = defaultScoringOptions): Scores {
  const { graph, seeds } = input;
  const n = graph.nodeCount;
  let graphScore: Float64Array = new Float64Array(n);
  const score = new Float64Array(n);
  let ppr: Float64Array = new Float64Array(n);
  let iterations = 0;
  if (input.reuse) {
    ({ ppr, iterations } = input.reuse);
    graphScore = input.reuse.graph;
  } else if (seeds.length > 0 && graph.targets.length > 0) {
    const restart = new Float64Array(n);
    for (const s of seeds) restart[s] = 1;
    // The tie graph is symmetric, so it is its own transpose (the walk pulls along it).
    const walk = personalizedPageRank(graph, restart, { alpha: options.alpha, transposed: graph, initial: input.warmStart });
    ppr = walk.scores;
    iterations = walk.iterations;
    const lift = shrunkLift(ppr, graph, options);
    // What an account tied to a typical seed by a single tie would get: (1 - alpha) of the seed's lift.
    const seedLifts = seeds.map((s) => lift[s]!).filter((v) => v > 0).sort((a, b) => a - b);
    const reference = seedLifts.length > 0 ? (1 - options.alpha) * seedLifts[seedLifts.length >> 1]! : 0;
    const witnesses = options.corroborationPrior > 0 ? corroboration(ppr, graph, options.corroborationPrior) : undefined;
    if (reference > 0) {
      for (let v = 0; v < n; v++) {
        const rho = (lift[v]! / reference) * (witnesses ? witnesses[v]! : 1);
        let g = rho / (rho + options.halfLift);
        if (input.dismissed.has(v)) g *= options.dismissedFactor;
        graphScore[v] = g;
      }
    }
  }
  for (let v = 0; v < n; v++) {
    const c = Math.min(1, Math.max(0, input.content[v]!)) * options.contentWeight;
    const p = Math.min(1, Math.max(0, input.proof[v]!)) * (1 - options.proofGraphShare + options.proofGraphShare * graphScore[v]!);
    const l = Math.min(1, Math.max(0, input.links[v]!));
    score[v] = 1 - (1 - graphScore[v]!) * (1 - c) * (1 - p) * (1 - l);
  }
  for (const s of seeds) {
    score[s] = 1;
    graphScore[s] = 1;
  }
  return { score, graph: graphScore, ppr, iterations };
}

/**
 * Per node, `k / (k + prior)` where `k = (Σ c)² / Σ c²` over the mass `c` the
 * walk sends it from each neighbour (`ppr[u] × weight(u, v) / degree(u)`): the
 * effective number of neighbours it is reached through (1 when one neighbour
 * sends it all, n when n send equal shares). One pass over the edges.
 */
function corroboration(ppr: Float64Array, graph: Csr, prior: number): Float64Array {
  const n = graph.nodeCount;
  const factor = new Float64Array(n).fill(1);
  const degree = outWeights(graph);
  const { offsets, targets, weights } = graph;
  for (let v = 0; v < n; v++) {
    let sum = 0;
    let squares = 0;
    for (let k = offsets[v]!; k < offsets[v + 1]!; k++) {
      const u = targets[k]!;
      if (degree[u]! <= 0) continue;
      const c = (ppr[u]! * weights[k]!) / degree[u]!;
      sum += c;
      squares += c * c;
    }
    if (squares > 0) {
      const witnesses = (sum * sum) / squares;
      factor[v] = witnesses / (witnesses + prior);
    }
  }
  return factor;
}

/**
 * PPR divided by (weighted degree + prior)^exponent, the prior being
 * `degreePrior` times the median weighted degree of accounts with any tie.
 */
function shrunkLift(ppr: Float64Array, graph: Csr, options: ScoringOptions): Float64Array {
  // The graph is symmetric, so out-degree is the degree.
  const positive = outWeights(graph).filter((d) => d > 0).sort();
  const prior = positive.length > 0 ? options.degreePrior * positive[positive.length >> 1]! : 0;
  return degreeNormalize(ppr, graph, { exponent: options.degreeExponent, degree: "out", prior });
}

/**
 * Names the clusters among the candidates: Louvain on the tie graph induced by
 * `members` (the seeds and the accounts scored above a floor), so clusters
 * describe the network rather than the whole platform. Returns, per node, its
 * cluster number or -1.
 */
export function clusterCandidates(graph: Csr, members: readonly number[], seed = 1): { cluster: Int32Array; count: number } {
  const cluster = new Int32Array(graph.nodeCount).fill(-1);
  if (members.length === 0) return { cluster, count: 0 };
  const local = new Int32Array(graph.nodeCount).fill(-1);
  members.forEach((node, i) => (local[node] = i));
  const edges = new EdgeBuffer(1024);
  for (const node of members) {
    const from = local[node]!;
    for (let k = graph.offsets[node]!; k < graph.offsets[node + 1]!; k++) {
      const to = local[graph.targets[k]!]!;
      if (to > from) edges.add(from, to, graph.weights[k]!);
    }
  }
  const sub = buildCsr(members.length, edges, { symmetric: true });
  const found = louvain(sub, { seed });
  members.forEach((node, i) => (cluster[node] = found.community[i]!));
  return { cluster, count: found.count };
}
