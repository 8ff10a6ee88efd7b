/**
 * A small seeded pseudo-random generator (mulberry32), for synthetic test
 * data, benchmarks and anything else that must replay exactly. Not for
 * secrets: use node:crypto for those.
 *
 * @example
 * const random = seededRandom(42);
 * random(); // a float in [0, 1), the same sequence for seed 42 every run
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Shuffles `values` in place (Fisher–Yates) with `random`, so a seeded
 * generator gives the same order every run.
 *
 * @example
 * shuffleInPlace(Int32Array.from([0, 1, 2, 3]), seededRandom(7));
 */
export function shuffleInPlace<T extends { length: number; [index: number]: number }>(values: T, random: () => number): T {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = values[i];
    values[i] = values[j];
    values[j] = t;
  }
  return values;
}
