/** One match: the caller's key and the Hamming distance to the query. */
export interface PdqMatch {
  key: number;
  distance: number;
}

/** A dihedral match: the best distance over the query's 8 orientations and which one gave it. */
export interface PdqDihedralMatch extends PdqMatch {
  /** Index (0..7) into the query hashes of the orientation with the smallest distance; the lowest index wins ties. */
  orientation: number;
}

/**
 * Gathers matches from several segments and orientations, keeping the best
 * (distance, orientation) per key. A hash near the query is found in several
 * chunks, so offers repeat; the packed value `distance * 8 + orientation`
 * makes "best" one integer comparison.
 */
export class MatchCollector {
  readonly #best = new Map<number, number>();
  orientation = 0;

  offer(key: number, distance: number): void {
    const packed = distance * 8 + this.orientation;
    const old = this.#best.get(key);
    if (old === undefined || packed < old) this.#best.set(key, packed);
  }

  get size(): number {
    return this.#best.size;
  }

  /** Matches sorted by distance, then key. */
  matches(): PdqMatch[] {
    const out: PdqMatch[] = [];
    for (const [key, packed] of this.#best) out.push({ key, distance: packed >>> 3 });
    return out.sort(byDistanceThenKey);
  }

  /** Dihedral matches sorted by distance, then key. */
  dihedralMatches(): PdqDihedralMatch[] {
    const out: PdqDihedralMatch[] = [];
    for (const [key, packed] of this.#best) out.push({ key, distance: packed >>> 3, orientation: packed & 7 });
    return out.sort(byDistanceThenKey);
  }
}

function byDistanceThenKey(a: PdqMatch, b: PdqMatch): number {
  return a.distance - b.distance || a.key - b.key;
}
