import { PDQ_WORDS } from "./pdq-hash.js";

/** Packed entries: `hashes` holds 8 words per key. */
export interface PackedEntries {
  keys: Uint32Array;
  hashes: Uint32Array;
}

/**
 * Orders entries by key and drops repeated keys, the last occurrence winning
 * (a later row replaces an earlier one). Input already strictly ascending is
 * returned as is, without copying; otherwise a stable two-pass LSD radix sort
 * (16 bits a pass) orders entry numbers and the entries are gathered once.
 */
export function sortByKey(entries: PackedEntries): PackedEntries {
  const { keys, hashes } = entries;
  const n = keys.length;
  let isSorted = true;
  for (let i = 1; i < n; i++) {
    if (keys[i - 1] >= keys[i]) {
      isSorted = false;
      break;
    }
  }
  if (isSorted) return entries;

  const order = radixOrder(keys);
  let unique = 0;
  for (let i = 0; i < n; i++) {
    if (i + 1 === n || keys[order[i]] !== keys[order[i + 1]]) order[unique++] = order[i];
  }
  const outKeys = new Uint32Array(unique);
  const outHashes = new Uint32Array(unique * PDQ_WORDS);
  for (let i = 0; i < unique; i++) {
    const e = order[i];
    outKeys[i] = keys[e];
    outHashes.set(hashes.subarray(e * PDQ_WORDS, e * PDQ_WORDS + PDQ_WORDS), i * PDQ_WORDS);
  }
  return { keys: outKeys, hashes: outHashes };
}

function radixOrder(keys: Uint32Array): Uint32Array {
  const n = keys.length;
  let order = new Uint32Array(n);
  let next = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const counts = new Uint32Array(65536 + 1);
  for (let shift = 0; shift < 32; shift += 16) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[((keys[i] >>> shift) & 0xffff) + 1]++;
    for (let v = 0; v < 65536; v++) counts[v + 1] += counts[v];
    for (let i = 0; i < n; i++) {
      const e = order[i];
      next[counts[(keys[e] >>> shift) & 0xffff]++] = e;
    }
    const swap = order;
    order = next;
    next = swap;
  }
  return order;
}
