import { GLYPH_READINGS } from "./glyphs.js";

/**
 * Leetspeak: what a reader may take a digit or symbol for. Keys and values are
 * folded code points. Ambiguous symbols list every letter they can stand for
 * ("1" is i or l); the matcher follows all readings at once.
 *
 * Digits are word characters and always carry their readings. The symbols in
 * {@link SOFT_LEET} are punctuation: they read as letters only when written
 * against a letter or digit ("$n0rv4d", "cr4v@lt"), and otherwise separate
 * words as punctuation does ("xpl!", "a | b"). Letters drawn with symbols
 * ("|_|", "¥") come from glyphs.ts as soft pseudo code points with their readings.
 */
export const LEET_READINGS: ReadonlyMap<number, readonly number[]> = new Map(
  (
    [
      ["0", "o"],
      ["1", "il"],
      ["2", "z"],
      ["3", "e"],
      ["4", "a"],
      ["5", "s"],
      ["6", "gb"],
      ["7", "t"],
      ["8", "b"],
      ["9", "g"],
      // Capital I and its look-alikes (see fold.ts): a reader cannot tell i from l.
      ["I", "il"],
      ["@", "a"],
      ["$", "s"],
      ["!", "il"],
      ["|", "li"],
      ["+", "t"],
      ["€", "e"],
      ["£", "l"],
      ["¢", "c"],
      ["¡", "i"],
    ] as const
  )
    .map(([from, to]): [number, readonly number[]] => [from.codePointAt(0)!, [...to].map((c) => c.codePointAt(0)!)])
    .concat([...GLYPH_READINGS]),
);

/** Punctuation that reads as a letter only inside a word (see {@link LEET_READINGS}). */
export const SOFT_LEET: ReadonlySet<number> = new Set([..."@$!|+€£¢¡"].map((c) => c.codePointAt(0)!));
