/**
 * How many documents hold each feature (a shingle, a followee), counted in a
 * fixed table of counters indexed by the feature's hash: memory stays fixed
 * at any number of features, and a collision can only raise a count, so a
 * rare feature may be under-weighted but a common one is never taken for
 * rare. With 2^22 counters (16 MiB) and a few million distinct features,
 * most counts are exact.
 */
export class DocFrequency {
  readonly #counts: Uint32Array;
  readonly #mask: number;
  #documents = 0;

  constructor(bits = 22) {
    this.#counts = new Uint32Array(1 << bits);
    this.#mask = (1 << bits) - 1;
  }

  /** Documents counted. */
  get documents(): number {
    return this.#documents;
  }

  add(features: Uint32Array): void {
    for (let i = 0; i < features.length; i++) this.#counts[features[i] & this.#mask]++;
    this.#documents++;
  }

  remove(features: Uint32Array): void {
    for (let i = 0; i < features.length; i++) {
      const slot = features[i] & this.#mask;
      if (this.#counts[slot] > 0) this.#counts[slot]--;
    }
    this.#documents--;
  }

  /** Documents holding `feature` (at least 1, so that weights never divide by zero). */
  count(feature: number): number {
    return Math.max(1, this.#counts[feature & this.#mask]);
  }
}
