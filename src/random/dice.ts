import { seededRandom } from "./seeded-random.js";

/**
 * Random choices over one seeded stream, shared by the synthetic generators
 * (adverts, scenarios) so that the same seed replays the same data.
 *
 * @example
 * const dice = new Dice(seededRandom(7));
 * dice.pick(["a", "b"]); // the same letter every run with seed 7
 */
export class Dice {
  constructor(readonly next: () => number) {}

  /** A dice on {@link seededRandom}`(seed)`. */
  static seeded(seed: number): Dice {
    return new Dice(seededRandom(seed));
  }

  /** A whole number from `lo` to `hi`, both included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: ArrayLike<T>): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Some of `items`, in random order, at least `min` and at most `max`. */
  some<T>(items: readonly T[], min: number, max: number): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy.slice(0, this.int(min, Math.min(max, copy.length)));
  }

  /** `n` lower-case hexadecimal digits. */
  hex(n: number): string {
    let s = "";
    for (let i = 0; i < n; i++) s += "0123456789abcdef"[this.int(0, 15)];
    return s;
  }
}
