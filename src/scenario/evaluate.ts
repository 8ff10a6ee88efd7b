import { undirected, type FollowEdges } from "./follow-graph.js";
import type { AccountRole, ScenarioLabels } from "./labels.js";

/** How a ranking did against a scenario's labels. */
export interface RankingEvaluation {
  /** Members of the network, seeds included. */
  readonly networkSize: number;
  readonly seeds: number;
  /** N: the members to find, the network without its seeds; the cut-off of the top N. */
  readonly n: number;
  /** Accounts ranked, seeds left out. */
  readonly ranked: number;
  /** Members among the top N. */
  readonly hits: number;
  /** Hits over the accounts in the top N (N, or fewer when the ranking is shorter). */
  readonly precisionAtN: number;
  /** Hits over N. */
  readonly recallAtN: number;
  /** Accounts of the roles detection must not mistake for members, counted in the top N. */
  readonly wrongInTopN: {
    readonly teen: number;
    readonly staff: number;
    /** Legitimate shops and their benign twins. */
    readonly benignSeller: number;
    readonly celebrity: number;
    readonly reporter: number;
  };
  /** Every non-member in the top N, by role. */
  readonly wrongByRole: Readonly<Partial<Record<AccountRole, number>>>;
  /** Targeted minors in the top N (victims, counted in `teen` too). */
  readonly targetedInTopN: number;
  /** Ranked ids that the labels do not know (ignored for the figures above, but counted in the top N). */
  readonly unknownAccounts: number;
}

/**
 * Scores a ranking (highest first) against the labels at N, the size of the
 * network **without the seeds**: the seeds are what detection starts from,
 * so they are dropped from both the ranking and the truth, and finding them
 * again earns nothing. With a ranking of at least N accounts, precision and
 * recall at N are the same number; a shorter ranking keeps its precision and
 * loses recall.
 *
 * @example
 * ```ts
 * const result = evaluateRanking(labels, ranked.map((r) => r.account));
 * result.precisionAtN; // 0.93
 * result.wrongInTopN.teen; // 0
 * ```
 */
export function evaluateRanking(labels: ScenarioLabels, ranking: readonly string[]): RankingEvaluation {
  const seeds = new Set(labels.network.seeds);
  const members = new Set(labels.network.members);
  const n = labels.network.members.filter((m) => !seeds.has(m)).length;
  const seen = new Set<string>();
  const top: string[] = [];
  let ranked = 0;
  for (const account of ranking) {
    if (seeds.has(account) || seen.has(account)) continue;
    seen.add(account);
    ranked++;
    if (top.length < n) top.push(account);
  }
  const wrongByRole: Partial<Record<AccountRole, number>> = {};
  let hits = 0;
  let targeted = 0;
  let unknown = 0;
  for (const account of top) {
    if (members.has(account)) {
      hits++;
      continue;
    }
    const label = labels.accounts[account];
    if (label === undefined) {
      unknown++;
      continue;
    }
    wrongByRole[label.role] = (wrongByRole[label.role] ?? 0) + 1;
    if (label.flags.includes("targeted")) targeted++;
  }
  return {
    networkSize: labels.network.size,
    seeds: seeds.size,
    n,
    ranked,
    hits,
    precisionAtN: top.length === 0 ? 0 : hits / top.length,
    recallAtN: n === 0 ? 0 : hits / n,
    wrongInTopN: {
      teen: wrongByRole.teen ?? 0,
      staff: wrongByRole.staff ?? 0,
      benignSeller: (wrongByRole.benign_seller ?? 0) + (wrongByRole.benign_backup ?? 0),
      celebrity: wrongByRole.celebrity ?? 0,
      reporter: wrongByRole.reporter ?? 0,
    },
    wrongByRole,
    targetedInTopN: targeted,
    unknownAccounts: unknown,
  };
}

/** One ranked account of a baseline. */
export interface BaselineScore {
  readonly account: string;
  readonly score: number;
}

/**
 * The baseline to report beside a detector: every account scored by the
 * number of paths of length one or two from the seeds over the follow graph,
 * taken as undirected ties (a follow either way is one tie), summed over the
 * seeds; highest first, ties by account order, seeds left out. It uses no
 * labels. It is what "look at who is near the confirmed sellers" gives, and
 * it is fooled by celebrities, reporters and the teens the network follows.
 */
export function twoHopBaseline(graph: FollowEdges, seeds: readonly string[]): BaselineScore[] {
  const ties = undirected(graph);
  const index = new Map<string, number>();
  graph.ids.forEach((id, i) => index.set(id, i));
  const score = new Float64Array(graph.ids.length);
  const isSeed = new Uint8Array(graph.ids.length);
  for (const seed of seeds) {
    const s = index.get(seed);
    if (s === undefined) continue;
    isSeed[s] = 1;
    for (let k = ties.offsets[s]!; k < ties.offsets[s + 1]!; k++) {
      const u = ties.targets[k]!;
      score[u]!++;
      for (let j = ties.offsets[u]!; j < ties.offsets[u + 1]!; j++) score[ties.targets[j]!]!++;
    }
  }
  return rankScores(graph.ids, score, isSeed);
}

/**
 * A naive baseline: accounts by follower count. Celebrities win; it shows
 * that popularity alone says nothing about the network.
 */
export function followerCountBaseline(graph: FollowEdges, seeds: readonly string[]): BaselineScore[] {
  const score = new Float64Array(graph.ids.length);
  for (let i = 0; i < graph.length; i++) score[graph.to[i]!]!++;
  const isSeed = new Uint8Array(graph.ids.length);
  const index = new Map(graph.ids.map((id, i) => [id, i]));
  for (const seed of seeds) {
    const s = index.get(seed);
    if (s !== undefined) isSeed[s] = 1;
  }
  return rankScores(graph.ids, score, isSeed);
}

function rankScores(ids: readonly string[], score: Float64Array, isSeed: Uint8Array): BaselineScore[] {
  const order: number[] = [];
  for (let v = 0; v < ids.length; v++) if (score[v]! > 0 && !isSeed[v]) order.push(v);
  order.sort((a, b) => score[b]! - score[a]! || a - b);
  return order.map((v) => ({ account: ids[v]!, score: score[v]! }));
}
