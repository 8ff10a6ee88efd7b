const EMPTY: readonly number[] = [];
// Past this many documents a key's list becomes a Set, so that removing from a crowded key
// (a default avatar, a popular link) costs O(1), not a scan.
const ARRAY_MAX = 32;

/**
 * Documents by key (a handle, a contact value): a small array per key, a Set once crowded.
 * Each (key, document) is added at most once by the caller.
 */
export class KeyedDocs<K> {
  readonly #map = new Map<K, number[] | Set<number>>();

  add(key: K, doc: number): void {
    const docs = this.#map.get(key);
    if (docs === undefined) this.#map.set(key, [doc]);
    else if (docs instanceof Set) docs.add(doc);
    else {
      docs.push(doc);
      if (docs.length > ARRAY_MAX) this.#map.set(key, new Set(docs));
    }
  }

  remove(key: K, doc: number): void {
    const docs = this.#map.get(key);
    if (docs === undefined) return;
    if (docs instanceof Set) docs.delete(doc);
    else {
      const at = docs.indexOf(doc);
      if (at >= 0) {
        docs[at] = docs[docs.length - 1];
        docs.pop();
      }
    }
    if (this.count(key) === 0) this.#map.delete(key);
  }

  count(key: K): number {
    const docs = this.#map.get(key);
    return docs === undefined ? 0 : docs instanceof Set ? docs.size : docs.length;
  }

  members(key: K): Iterable<number> {
    return this.#map.get(key) ?? EMPTY;
  }
}
