import { CharClass, classOf } from "./fold.js";

/**
 * Letters drawn with several symbols ("|_|" for u, "|\/|" for m, "\/\/" for
 * w) and single symbols that are no letter in Unicode but stand for one in
 * leetspeak ("¥" for y, "§" for s, "(" for c). Built from the published leet
 * alphabets: the "Leet" article's table of letters and their common
 * replacements (Wikipedia, "Leet", section "Orthography") and the character
 * maps of the leetspeak translators it cites; kept to the replacements made of
 * punctuation (digits and single letters are in leet.ts and fold-table.ts),
 * and without "#" (a hashtag), ")" and "]" alone (closing brackets end words).
 *
 * Each sequence is read as a *soft* symbol in the stream: inside a word it may
 * be the letter or nothing, and it also ends a word, as "$" does.
 */
const GLYPH_TABLE: ReadonlyArray<readonly [string, string]> = [
  // a
  ["/\\", "a"], ["/-\\", "a"], ["/_\\", "a"],
  // b
  ["|3", "b"], ["|8", "b"], ["13", "b"], ["!3", "b"], ["]3", "b"],
  // c
  ["(", "c"], ["<", "c"], ["[", "c"], ["{", "c"], ["©", "c"],
  // d
  ["|)", "d"], ["|]", "d"], ["[)", "d"], ["|>", "dp"], ["])", "d"],
  // e
  ["[-", "e"], ["|=-", "e"], ["€", "e"],
  // f
  ["|=", "f"], ["ƒ", "f"], ["|#", "f"], ["/=", "f"],
  // g
  ["(_+", "g"], ["(_-", "g"], ["(,", "g"],
  // h
  ["|-|", "h"], ["]-[", "h"], [")-(", "h"], ["(-)", "h"], ["}{", "hx"], ["}-{", "h"], ["|~|", "h"],
  // i
  ["][", "i"], ["¡", "i"],
  // j
  ["_|", "j"], ["_/", "j"], ["¿", "j"],
  // k
  ["|<", "k"], ["|{", "k"], ["|(", "k"], ["|x", "k"],
  // l
  ["|_", "l"], ["£", "l"],
  // m
  ["|\\/|", "m"], ["/\\/\\", "m"], ["|v|", "m"], ["^^", "m"], ["/v\\", "m"], ["(v)", "m"],
  // n
  ["|\\|", "n"], ["/\\/", "n"], ["^/", "n"], ["[\\]", "n"], ["/|/", "n"], ["|\\\\|", "n"],
  // o
  ["()", "o"], ["[]", "o"], ["<>", "o"], ["°", "o"],
  // p
  ["|*", "p"], ["|o", "p"], ["|°", "p"], ["|\"", "p"], ["|^", "pr"], ["|D", "p"],
  // q
  ["(,)", "q"], ["0_", "q"], ["()_", "q"],
  // r
  ["|2", "r"], ["|?", "r"], ["®", "r"], ["|-", "r"], ["12", "r"], ["|z", "r"],
  // s
  ["§", "s"],
  // t
  ["†", "t"], ["-|-", "t"], ["']['", "t"], ["~|~", "t"],
  // u
  ["|_|", "u"], ["(_)", "u"], ["\\_/", "u"], ["\\_\\", "u"], ["/_/", "u"], ["µ", "u"], ["L|", "u"],
  // v
  ["\\/", "v"], ["|/", "v"], ["\\|", "v"],
  // w
  ["\\/\\/", "w"], ["\\^/", "w"], ["\\|/", "w"], ["\\x/", "w"], ["'//", "w"], ["\\V/", "w"], ["(n)", "w"], ["vv", "w"],
  // x
  ["><", "x"], [")(", "x"], ["×", "x"],
  // y
  ["`/", "y"], ["¥", "y"], ["'/", "y"], ["\\|/", "y"],
  // z
  ["7_", "z"], [">_", "z"],
];

/** First pseudo code point for glyphs (Supplementary Private Use Area-A): never in real text after folding. */
export const GLYPH_BASE = 0xf0000;

interface Glyph {
  /** The sequence as UTF-16 code units (every glyph is in the Basic Multilingual Plane). */
  readonly sequence: Uint16Array;
  readonly codePoint: number;
}

/** Readings of each glyph pseudo code point, as folded letters (merged into the leetspeak readings). */
export const GLYPH_READINGS: ReadonlyMap<number, readonly number[]> = new Map();
/** Candidate glyphs by their first code point, longest first. */
const byFirst = new Map<number, Glyph[]>();
{
  const readings = GLYPH_READINGS as Map<number, number[]>;
  const codes = new Map<string, number>();
  for (const [sequence, letters] of GLYPH_TABLE) {
    // Only punctuation: a sequence holding a letter or digit ("|o" for p, "13" for b, "vv" for w) would take
    // that letter from the word it belongs to ("l|ove"); those readings come from the fold table, the
    // leetspeak readings and the many-to-one look-alikes instead. Digits after a symbol ("|2", "|3") are kept.
    if (/\p{L}/u.test(sequence) || /^\p{N}+$/u.test(sequence)) continue;
    let codePoint = codes.get(sequence);
    if (codePoint === undefined) {
      codePoint = GLYPH_BASE + codes.size;
      codes.set(sequence, codePoint);
      readings.set(codePoint, []);
    }
    for (const letter of letters) {
      const list = readings.get(codePoint)!;
      if (!list.includes(letter.codePointAt(0)!)) list.push(letter.codePointAt(0)!);
    }
  }
  for (const [sequence, codePoint] of codes) {
    const cps = Uint16Array.from([...sequence].map((c) => c.charCodeAt(0)));
    const list = byFirst.get(cps[0]) ?? [];
    if (!list.some((g) => g.codePoint === codePoint)) list.push({ sequence: cps, codePoint });
    byFirst.set(cps[0], list);
  }
  for (const list of byFirst.values()) list.sort((a, b) => b.sequence.length - a.sequence.length);
}

/** Whether a glyph may start with this code point (cheap pre-check for the stream). */
export function mayStartGlyph(codeUnit: number): boolean {
  return byFirst.has(codeUnit);
}

/**
 * The longest glyph starting at `text[at]` (reading no further than `end`),
 * with invisible characters and combining marks allowed between its pieces;
 * returns the glyph's pseudo code point and the index after it, or null.
 */
export function matchGlyph(text: string, at: number, end: number): { codePoint: number; next: number } | null {
  const candidates = byFirst.get(text.charCodeAt(at));
  if (candidates === undefined) return null;
  for (const glyph of candidates) {
    let k = at + 1;
    let j = 1;
    for (; j < glyph.sequence.length; j++) {
      while (k < end && isIgnorable(text.charCodeAt(k))) k++;
      if (k >= end || text.charCodeAt(k) !== glyph.sequence[j]) break;
      k++;
    }
    if (j < glyph.sequence.length) continue;
    // A lone symbol ("(", "¥") is a letter only when a word goes on after it, or when it stands
    // alone between separators among other spaced-out letters ("t.€.l"): "t(.)me" keeps its brackets.
    if (glyph.sequence.length === 1 && !isLetterLike(text, at, k, end)) return null;
    return { codePoint: glyph.codePoint, next: k };
  }
  return null;
}

function isLetterLike(text: string, at: number, after: number, end: number): boolean {
  const next = skipIgnorable(text, after, end, 1);
  if (next >= end) return false;
  if (isWordOrGlyph(text.charCodeAt(next))) return true;
  // Spaced out: a separator on both sides, and a letter (or glyph) just beyond each.
  const before = skipIgnorable(text, at - 1, end, -1);
  if (before < 0 || isWordOrGlyph(text.charCodeAt(before)) || !isSeparator(text.charCodeAt(next))) return false;
  const beyondBefore = skipIgnorable(text, before - 1, end, -1);
  const beyondAfter = skipIgnorable(text, next + 1, end, 1);
  return beyondBefore >= 0 && beyondAfter < end && isWordOrGlyph(text.charCodeAt(beyondBefore)) && isWordOrGlyph(text.charCodeAt(beyondAfter));
}

function skipIgnorable(text: string, i: number, end: number, direction: 1 | -1): number {
  while (i >= 0 && i < end && isIgnorable(text.charCodeAt(i))) i += direction;
  return i;
}

function isWordOrGlyph(codeUnit: number): boolean {
  return (classOf(codeUnit) & 7) === CharClass.word || byFirst.has(codeUnit);
}

function isSeparator(codeUnit: number): boolean {
  return (classOf(codeUnit) & 7) === CharClass.separator;
}

function isIgnorable(cp: number): boolean {
  const base = classOf(cp) & 7;
  return base === CharClass.invisible || base === CharClass.attached;
}

/** What a glyph pseudo code point reads as first, for showing a normalised text; other code points unchanged. */
export function displayCodePoint(codePoint: number): number {
  return GLYPH_READINGS.get(codePoint)?.[0] ?? codePoint;
}
