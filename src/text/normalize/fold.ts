import { decodeFolds } from "./fold-codec.js";
import { CLASS_RUNS, FOLDS, RTL_RANGES } from "./fold-table.js";
import { LOOKALIKE_FOLDS } from "./lookalike-table.js";

/**
 * What a code point is to the matcher, after folding. Values match the
 * generator (scripts/generate-text-fold-table.ts).
 */
export const CharClass = {
  /** Letters and digits of any script: the stuff words are made of. */
  word: 0,
  /** Spaces, punctuation, controls: they end a word. */
  separator: 1,
  /** Emoji and other symbols: a unit of their own (emoji codes are made of them). */
  symbol: 2,
  /** Zero-width and format characters, bidi controls: removed without trace. */
  invisible: 3,
  /** Combining marks, variation selectors, skin tones, tags: removed, but their span joins the character before. */
  attached: 4,
} as const;
export type CharClass = (typeof CharClass)[keyof typeof CharClass];

/** Set on a word character that is upper-case as written (for CamelCase splitting). */
export const UPPER_BIT = 8;

const MAX_CODE_POINT = 0x110000;

/** Class and upper bit per code point, decoded once from the generated runs (1.1 MB). */
const classTable: Uint8Array = (() => {
  const table = new Uint8Array(MAX_CODE_POINT);
  let at = 0;
  for (const run of CLASS_RUNS.split(",")) {
    const value = parseInt(run[0], 36);
    const length = parseInt(run.slice(1), 36);
    table.fill(value, at, at + length);
    at += length;
  }
  return table;
})();

/**
 * Folds to one code point, and folds to several ("ﬁ" → "fi"), from the
 * generated table; then the look-alikes that table leaves outside Latin
 * (lookalike-table.ts: Cherokee, Coptic, Armenian ... found by a rendering check).
 */
const { single: singleFolds, multi: multiFolds } = decodeFolds(FOLDS);
for (const [from, to] of decodeFolds(LOOKALIKE_FOLDS).single) singleFolds.set(from, to);

const rtlRanges: Int32Array = Int32Array.from(RTL_RANGES.split(",").flatMap((r) => r.split("-").map((x) => parseInt(x, 36))));

/** The class of a code point, with {@link UPPER_BIT} set for upper-case word characters. */
export function classOf(codePoint: number): number {
  return classTable[codePoint];
}

/**
 * The folded form of a code point: NFKD, marks removed, lower-cased, mapped to
 * its TR39 confusables prototype and decorated Latin letters to their base.
 * Returns a code point, or an array when the fold is several ("ﬁ" → f, i).
 * Identity for code points the table does not list. Capital I and glyphs drawn
 * like it fold to "I", which the matcher reads as i or l.
 */
export function foldOf(codePoint: number): number | readonly number[] {
  // Capital I stays: it reads as i or l (see AMBIGUOUS_I in the generator).
  if (codePoint < 0x80) return codePoint >= 0x41 && codePoint <= 0x5a && codePoint !== 0x49 ? codePoint + 0x20 : codePoint;
  const single = singleFolds.get(codePoint);
  if (single !== undefined) return single;
  return multiFolds.get(codePoint) ?? codePoint;
}

/** Whether a code point is a strong right-to-left character (bidi class R or AL). */
export function isRightToLeft(codePoint: number): boolean {
  if (codePoint < 0x590) return false;
  let lo = 0;
  let hi = rtlRanges.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (codePoint < rtlRanges[2 * mid]) hi = mid - 1;
    else if (codePoint > rtlRanges[2 * mid + 1]) lo = mid + 1;
    else return true;
  }
  return false;
}
