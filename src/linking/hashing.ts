/**
 * 32-bit string hashing and the mixer the MinHash functions are built from.
 * Deterministic across runs and processes (no random seed), so signatures can
 * be compared between a snapshot and a rebuild.
 */

/** FNV-1a over UTF-16 code units, finished with {@link mix32} so that near strings spread. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/** MurmurHash3's finaliser: a bijection on uint32 that avalanches every bit. */
export function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The distinct hashes of `values`, sorted ascending (sets compare by a linear merge). */
export function hashSet(values: Iterable<string>): Uint32Array {
  const hashes: number[] = [];
  for (const value of values) hashes.push(hashString(value));
  return sortedUnique(hashes);
}

/** Sorted, duplicates removed. */
export function sortedUnique(values: number[]): Uint32Array {
  const array = Uint32Array.from(values).sort();
  let n = 0;
  for (let i = 0; i < array.length; i++) if (i === 0 || array[i] !== array[i - 1]) array[n++] = array[i];
  return array.slice(0, n);
}
