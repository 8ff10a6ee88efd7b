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
    const t = values[i]!;
    values[i] = values[j]!;
    values[j] = t;
  }
  return values;
}
