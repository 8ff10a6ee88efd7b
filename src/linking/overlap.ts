import type { DocFrequency } from "./doc-frequency.js";

/** How much two feature sets share, with each feature weighed by how rare it is. */
export interface Overlap {
  /** Features in both sets. */
  shared: number;
  /** Jaccard similarity with each feature weighted by 1 / (1 + ⌊log2 df⌋): a feature held by thousands weighs a twelfth of a unique one. */
  weightedJaccard: number;
  /**
   * Shared rarity: each shared feature counts min(1, rareDf / df), so a feature only these
   * two hold counts 1 and one held by thousands counts almost nothing. A long identical
   * generic bio scores high on Jaccard and low here.
   */
  rareShared: number;
}

/**
 * The overlap of two sorted hash sets (a linear merge), weighed by `frequency`.
 * `rareDf` is the document frequency up to which a shared feature counts in full.
 */
export function weightedOverlap(a: Uint32Array, b: Uint32Array, frequency: DocFrequency, rareDf: number): Overlap {
  let i = 0;
  let j = 0;
  let shared = 0;
  let both = 0;
  let either = 0;
  let rareShared = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i] < b[j])) {
      either += weightOf(frequency.count(a[i++]));
    } else if (i >= a.length || b[j] < a[i]) {
      either += weightOf(frequency.count(b[j++]));
    } else {
      const df = frequency.count(a[i]);
      const w = weightOf(df);
      both += w;
      either += w;
      rareShared += Math.min(1, rareDf / df);
      shared++;
      i++;
      j++;
    }
  }
  return { shared, weightedJaccard: either > 0 ? both / either : 0, rareShared };
}

// 1 / (1 + ⌊log2 df⌋) by counting leading zeros: no logarithm in the inner loop.
function weightOf(df: number): number {
  return 1 / (32 - Math.clz32(df));
}

/**
 * The most `rareShared` any pair with `features` can reach: what the set's own features would
 * give if all were shared. When even that is too little, no candidate needs verifying.
 */
export function rarityBound(features: Uint32Array, frequency: DocFrequency, rareDf: number): number {
  let bound = 0;
  for (let i = 0; i < features.length; i++) bound += Math.min(1, rareDf / frequency.count(features[i]));
  return bound;
}
