import { buildCsr, EdgeBuffer, louvain, personalizedPageRank, type Csr } from "../graph/index.js";

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
   * ties as a typical account.
   */
  degreePrior: number;
}

export const defaultScoringOptions: ScoringOptions = { alpha: 0.25, degreeExponent: 1, halfLift: 0.1, contentWeight: 0.5, dismissedFactor: 0.25, degreePrior: 1 };

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
  /**
   * The directed ties `graph` was built from (follower → followee, actor →
   * target): who made each tie. The walk reaches an account only over ties it
   * made itself; see {@link landingOnOwnTies}.
   */
  made: EdgeBuffer;
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
 *   prices in its bio) cannot outrank accounts the network is tied to.
 * - **links**: ban-evasion links to seeded, actioned or suspected accounts.
 *
 * They combine as independent evidence (noisy-or). Seeds score 1.
 */
export function scoreAccounts(input: ScoringInput, options: ScoringOptions = defaultScoringOptions): Scores {
  const { graph, seeds } = input;
  const n = graph.nodeCount;
  const graphScore = new Float64Array(n);
  const score = new Float64Array(n);
  let ppr: Float64Array = new Float64Array(n);
  let iterations = 0;
  if (seeds.length > 0 && graph.targets.length > 0) {
    const restart = new Float64Array(n);
    for (const s of seeds) restart[s] = 1;
    // The tie graph is symmetric, so it is its own transpose (the walk pulls along it).
    const landing = landingOnOwnTies(graph, input.made);
    const walk = personalizedPageRank(graph, restart, { alpha: options.alpha, transposed: graph, landing });
    ppr = walk.scores;
    iterations = walk.iterations;
    const lift = shrunkLift(ppr, ownDegrees(graph, landing), options);
    // What an account tied to a typical seed by a single tie would get: (1 - alpha) of the seed's lift.
    const seedLifts = seeds.map((s) => lift[s]!).filter((v) => v > 0).sort((a, b) => a - b);
    const reference = seedLifts.length > 0 ? (1 - options.alpha) * seedLifts[seedLifts.length >> 1]! : 0;
    if (reference > 0) {
      for (let v = 0; v < n; v++) {
        const rho = lift[v]! / reference;
        let g = rho / (rho + options.halfLift);
        if (input.dismissed.has(v)) g *= options.dismissedFactor;
        graphScore[v] = g;
      }
    }
  }
  for (let v = 0; v < n; v++) {
    const c = Math.min(1, Math.max(0, input.content[v]!)) * options.contentWeight;
    const p = Math.min(1, Math.max(0, input.proof[v]!));
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
 * Per edge slot of the symmetric tie graph, whether the walk may arrive over
 * it: slot (v, u) is 1 when v made a tie to u itself (followed, messaged, liked,
 * commented on u; both slots of a mutual pair). A tie someone else made to an
 * account (a seller following a shop, a celebrity or a teenager) is that
 * someone's act, not the account's: it says whom the network looks at, not who
 * belongs to it. So the walk reaches an account only over ties the account
 * made (issue 8: "never scored as a member because of who follows it"), and
 * nothing echoes back to it through its friends either. A symmetric graph is
 * its own transpose, so the slots are the graph's own; rows are sorted, so
 * each tie `a → b` finds b in a's row by binary search.
 */
export function landingOnOwnTies(graph: Csr, made: EdgeBuffer): Uint8Array {
  const { nodeCount: n, offsets, targets } = graph;
  const landing = new Uint8Array(targets.length);
  const sources = made.sources;
  const to = made.targets;
  const w = made.weights;
  for (let k = 0; k < sources.length; k++) {
    const a = sources[k]!;
    const b = to[k]!;
    if (a === b || !(w[k]! > 0) || a >= n) continue;
    let lo = offsets[a]!;
    let hi = offsets[a + 1]!;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const t = targets[mid]!;
      if (t === b) {
        landing[mid] = 1;
        break;
      }
      if (t < b) lo = mid + 1;
      else hi = mid;
    }
  }
  return landing;
}

/**
 * Each account's weighted degree over the ties it made (the slots marked in
 * `landing`): the ties the walk can reach it over, and so what a walk from
 * anywhere would visit it in proportion to. Ties others made to it bring it no
 * mass, so they do not dilute its lift either: an account followed by many
 * suspected accounts is judged by what it follows, not penalised for it.
 */
function ownDegrees(graph: Csr, landing: Uint8Array): Float64Array {
  const { nodeCount, offsets, weights } = graph;
  const degree = new Float64Array(nodeCount);
  for (let v = 0; v < nodeCount; v++) {
    let sum = 0;
    for (let k = offsets[v]!; k < offsets[v + 1]!; k++) if (landing[k] === 1) sum += weights[k]!;
    degree[v] = sum;
  }
  return degree;
}

/**
 * PPR divided by (degree + prior)^exponent, the prior being `degreePrior`
 * times the median degree of accounts with any tie of their own.
 */
function shrunkLift(ppr: Float64Array, degree: Float64Array, options: ScoringOptions): Float64Array {
  const positive = degree.filter((d) => d > 0).sort();
  const prior = positive.length > 0 ? options.degreePrior * positive[positive.length >> 1]! : 0;
  const lift = new Float64Array(ppr.length);
  for (let v = 0; v < ppr.length; v++) {
    const d = Math.max(1, degree[v]! + prior);
    lift[v] = ppr[v]! / (options.degreeExponent === 1 ? d : Math.pow(d, options.degreeExponent));
  }
  return lift;
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
