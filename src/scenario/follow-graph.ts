/**
 * The follow graph of a scenario as plain typed arrays: an edge list while it
 * is generated, then compressed rows (CSR) for the recommender and the
 * baseline. 10 million follows take 80 MB as an edge list, not one object
 * per edge.
 */

/** Follows over account numbers: `from[i]` follows `to[i]`, for i < `length`. `ids[n]` names account n. */
export interface FollowEdges {
  readonly ids: readonly string[];
  readonly from: Uint32Array;
  readonly to: Uint32Array;
  readonly length: number;
}

/** A growable list of follows (doubling typed arrays). */
export class EdgeList {
  #from = new Uint32Array(1024);
  #to = new Uint32Array(1024);
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(from: number, to: number): void {
    if (this.#length === this.#from.length) {
      const from2 = new Uint32Array(this.#from.length * 2);
      const to2 = new Uint32Array(this.#to.length * 2);
      from2.set(this.#from);
      to2.set(this.#to);
      this.#from = from2;
      this.#to = to2;
    }
    this.#from[this.#length] = from;
    this.#to[this.#length] = to;
    this.#length++;
  }

  /** The edges so far, trimmed (copies). */
  edges(ids: readonly string[]): FollowEdges {
    return { ids, from: this.#from.slice(0, this.#length), to: this.#to.slice(0, this.#length), length: this.#length };
  }
}

/** Rows of neighbours: `targets[offsets[n] .. offsets[n + 1])` are account n's, sorted, without repeats. */
export interface Adjacency {
  readonly offsets: Uint32Array;
  readonly targets: Uint32Array;
}

/**
 * Builds rows from an edge list: `forward` rows hold whom each account
 * follows, otherwise whom it is followed by. Repeated follows collapse to one.
 */
export function adjacency(edges: FollowEdges, forward: boolean): Adjacency {
  const n = edges.ids.length;
  const src = forward ? edges.from : edges.to;
  const dst = forward ? edges.to : edges.from;
  const counts = new Uint32Array(n + 1);
  for (let i = 0; i < edges.length; i++) counts[src[i]! + 1]!++;
  for (let v = 0; v < n; v++) counts[v + 1]! += counts[v]!;
  const fill = counts.slice(0, n);
  const raw = new Uint32Array(edges.length);
  for (let i = 0; i < edges.length; i++) raw[fill[src[i]!]!++] = dst[i]!;
  // Sort each row and drop repeats, compacting in place.
  const offsets = new Uint32Array(n + 1);
  let write = 0;
  for (let v = 0; v < n; v++) {
    const row = raw.subarray(counts[v]!, counts[v + 1]!).sort();
    offsets[v] = write;
    for (let k = 0; k < row.length; k++) {
      if (k === 0 || row[k] !== row[k - 1]) raw[write++] = row[k]!;
    }
  }
  offsets[n] = write;
  return { offsets, targets: raw.slice(0, write) };
}

/** Both directions as one undirected row per account (a follow either way is a tie). */
export function undirected(edges: FollowEdges): Adjacency {
  const both: FollowEdges = {
    ids: edges.ids,
    from: concat(edges.from, edges.to, edges.length),
    to: concat(edges.to, edges.from, edges.length),
    length: edges.length * 2,
  };
  return adjacency(both, true);
}

function concat(a: Uint32Array, b: Uint32Array, length: number): Uint32Array {
  const out = new Uint32Array(length * 2);
  out.set(a.subarray(0, length));
  out.set(b.subarray(0, length), length);
  return out;
}

/**
 * Rebuilds the current follow graph from `follow` and `unfollow` events
 * (events.jsonl), in any order: a pair is followed when its latest follow is
 * later than its latest unfollow. Account numbers are given in order of
 * first appearance.
 */
export class FollowGraphBuilder {
  readonly #index = new Map<string, number>();
  readonly #ids: string[] = [];
  readonly #edges = new EdgeList();
  readonly #times: number[] = [];
  readonly #unfollowedAt = new Map<number, number>();

  add(event: { readonly type: string; readonly follower_id?: string; readonly followee_id?: string; readonly occurred_at?: string }): void {
    if ((event.type !== "follow" && event.type !== "unfollow") || !event.follower_id || !event.followee_id) return;
    const from = this.#number(event.follower_id);
    const to = this.#number(event.followee_id);
    const time = Date.parse(event.occurred_at ?? "") || 0;
    if (event.type === "follow") {
      this.#edges.push(from, to);
      this.#times.push(time);
    } else {
      const key = pairKey(from, to);
      this.#unfollowedAt.set(key, Math.max(time, this.#unfollowedAt.get(key) ?? -Infinity));
    }
  }

  build(): FollowEdges {
    const all = this.#edges.edges(this.#ids);
    const kept = new EdgeList();
    for (let i = 0; i < all.length; i++) {
      const unfollowed = this.#unfollowedAt.get(pairKey(all.from[i]!, all.to[i]!));
      if (unfollowed === undefined || this.#times[i]! > unfollowed) kept.push(all.from[i]!, all.to[i]!);
    }
    return kept.edges(this.#ids);
  }

  #number(id: string): number {
    let n = this.#index.get(id);
    if (n === undefined) {
      n = this.#ids.length;
      this.#index.set(id, n);
      this.#ids.push(id);
    }
    return n;
  }
}

// Exact while both numbers stay below 2^26 (67 million accounts).
function pairKey(from: number, to: number): number {
  return from * 67_108_864 + to;
}
