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
