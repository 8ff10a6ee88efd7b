import { buildCsr, EdgeBuffer, NodeIds, transpose, type Csr } from "../graph/index.js";

/**
 * The follow graph of a scenario as plain typed arrays: an edge list
 * (src/graph's EdgeBuffer) while it is generated, then compressed rows
 * (src/graph's CSR) for the recommender and the baseline. 10 million follows
 * take 120 MB as an edge list, not one object per edge.
 */

/** Follows over account numbers: `from[i]` follows `to[i]`, for i < `length`. `ids[n]` names account n. */
export interface FollowEdges {
  readonly ids: readonly string[];
  readonly from: Uint32Array;
  readonly to: Uint32Array;
  readonly length: number;
}

/** The follows in `edges` so far (copies), named by `ids`. */
export function followEdges(edges: EdgeBuffer, ids: readonly string[]): FollowEdges {
  return { ids, from: edges.sources.slice(), to: edges.targets.slice(), length: edges.length };
}

/**
 * Rows of whom each account follows (`forward`), otherwise of whom it is
 * followed by: sorted, repeated follows collapsed to one (their summed
 * weights are not used).
 */
export function adjacency(edges: FollowEdges, forward: boolean): Csr {
  const following = buildCsr(edges.ids.length, EdgeBuffer.fromArrays(edges.from, edges.to));
  return forward ? following : transpose(following);
}

/** Both directions as one undirected row per account (a follow either way is a tie). */
export function undirected(edges: FollowEdges): Csr {
  return buildCsr(edges.ids.length, EdgeBuffer.fromArrays(edges.from, edges.to), { symmetric: true });
}

/**
 * Rebuilds the current follow graph from `follow` and `unfollow` events
 * (events.jsonl), in any order: a pair is followed when its latest follow is
 * later than its latest unfollow. Account numbers are given in order of
 * first appearance.
 */
export class FollowGraphBuilder {
  readonly #ids = new NodeIds();
  readonly #edges = new EdgeBuffer();
  readonly #times: number[] = [];
  readonly #unfollowedAt = new Map<number, number>();

  add(event: { readonly type: string; readonly follower_id?: string; readonly followee_id?: string; readonly occurred_at?: string }): void {
    if ((event.type !== "follow" && event.type !== "unfollow") || !event.follower_id || !event.followee_id) return;
    const from = this.#ids.id(event.follower_id);
    const to = this.#ids.id(event.followee_id);
    const time = Date.parse(event.occurred_at ?? "") || 0;
    if (event.type === "follow") {
      this.#edges.add(from, to, 1);
      this.#times.push(time);
    } else {
      const key = pairKey(from, to);
      this.#unfollowedAt.set(key, Math.max(time, this.#unfollowedAt.get(key) ?? -Infinity));
    }
  }

  build(): FollowEdges {
    const all = this.#edges;
    const kept = new EdgeBuffer();
    for (let i = 0; i < all.length; i++) {
      const unfollowed = this.#unfollowedAt.get(pairKey(all.sources[i]!, all.targets[i]!));
      if (unfollowed === undefined || this.#times[i]! > unfollowed) kept.add(all.sources[i]!, all.targets[i]!, 1);
    }
    return followEdges(kept, Array.from({ length: this.#ids.size }, (_, n) => this.#ids.key(n)));
  }
}

// Exact while both numbers stay below 2^26 (67 million accounts).
function pairKey(from: number, to: number): number {
  return from * 67_108_864 + to;
}
