import { buildStream, StreamScratch, SymbolFlag, type TextStream } from "../normalize/stream.js";

/**
 * What the vocabulary (ordinary words of several languages) tells the
 * matcher, built once per compiled lexicon on first need (reading a million
 * dictionary words takes seconds, and most processes never need it):
 * - `approximate`: the words the approximate stage would flag as a
 *   misspelling, which it therefore never reports (a dictionary word one edit
 *   from a term);
 * - `hashes`: a 52-bit hash of every word, sorted (8 bytes a word), to ask
 *   whether any stretch of a text is an ordinary word: the misspelt word of a
 *   phrase, or a longer word spelt out around a hit (`carpenter` round an
 *   invented `arpente`: a reader reads the ordinary word, not the term).
 */
export interface DictionarySets {
  readonly approximate: ReadonlySet<string>;
  readonly hashes: Float64Array;
  /** Longest word, in stream symbols (at most `MAX_WORD_CHARS`). */
  readonly maxLength: number;
  /** Words of the vocabulary read. */
  readonly words: number;
}

/** The vocabulary and, once built, what it says. */
export interface Dictionary {
  readonly vocabulary: Iterable<string>;
  sets: DictionarySets | null;
}

/** Words longer than this are not read (no dictionary word is; a hostile list could be). */
export const MAX_WORD_CHARS = 64;

export const NO_WORDS: DictionarySets = { approximate: new Set(), hashes: new Float64Array(0), maxLength: 0, words: 0 };

/** Whether the approximate stage flags a vocabulary word read as a text of its own (`streamOf` normalises it). */
export type ApproximateJudge = (word: string, streamOf: () => TextStream) => boolean;

/**
 * Builds the sets in one pass over the vocabulary (which may be a one-shot
 * iterable). While building, `dictionary.sets` is empty, so the words
 * themselves are judged unguarded.
 */
export function dictionarySets(dictionary: Dictionary, isApproximateHit: ApproximateJudge): DictionarySets {
  if (dictionary.sets !== null) return dictionary.sets;
  dictionary.sets = NO_WORDS;
  const approximate = new Set<string>();
  const scratch = new StreamScratch();
  const hashes: number[] = [];
  let words = 0;
  let maxLength = 0;
  for (const word of dictionary.vocabulary) {
    words++;
    if (word.length === 0 || word.length > MAX_WORD_CHARS) continue;
    let stream: TextStream | null = null;
    const streamOf = () => (stream ??= buildStream(word, MAX_WORD_CHARS, scratch));
    // Plain lower-case ASCII words fold to themselves with runs collapsed; the rest go through the pipeline.
    const key = plainKey(word) ?? foldedWord(streamOf(), 0, streamOf().length - 1);
    if (key.length === 0) continue;
    hashes.push(hashOf(key));
    maxLength = Math.max(maxLength, key.length);
    if (isApproximateHit(word, streamOf)) approximate.add(key);
  }
  dictionary.sets = { approximate, hashes: Float64Array.from(hashes).sort(), maxLength, words };
  return dictionary.sets;
}

/** The stream's capital I, which reads as i or l and never joins a run. */
const CAPITAL_I = 0x49;

/**
 * One stream symbol as the sets' keys write it: the capital I (i or l to the
 * matcher) as i, so that a word in capitals is the word ("VELLORIX", "Iowa":
 * capitals spell names and shouting, and a capital I there is an i).
 */
function keyChar(cp: number): string {
  return cp === CAPITAL_I ? "i" : String.fromCodePoint(cp);
}

/** `word` as `foldedWord` keys it when it is letters a–z and A–Z only, else null (runs collapse, but not across a capital I). */
function plainKey(word: string): string | null {
  let out = "";
  let previous = -1;
  for (let i = 0; i < word.length; i++) {
    let c = word.charCodeAt(i);
    if (c === CAPITAL_I) {
      out += "i";
      previous = -1;
      continue;
    }
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    else if (c < 0x61 || c > 0x7a) return null;
    if (c !== previous) out += String.fromCharCode(c);
    previous = c;
  }
  return out;
}

/** Two FNV-1a hashes of a folded word's UTF-16 units, joined into 52 bits (exact in a double). */
function hashOf(key: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  return (a >>> 0) * 0x100000 + ((b >>> 0) & 0xfffff);
}

/** Whether the folded word `key` is a vocabulary word (up to a hash collision, about one in a billion look-ups). */
export function isVocabularyWord(sets: DictionarySets, key: string): boolean {
  const h = hashOf(key);
  const a = sets.hashes;
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < h) lo = mid + 1;
    else hi = mid;
  }
  return lo < a.length && a[lo] === h;
}

/** The folded letters of `stream[from..to]` as a string (the sets' key). */
export function foldedWord(stream: TextStream, from: number, to: number): string {
  let out = "";
  for (let i = from; i <= to; i++) if (!(stream.flags[i] & SymbolFlag.symbol)) out += keyChar(stream.codePoints[i]);
  return out;
}

/** Endings that make a word a form of the term, not another word ("vornaxles"): English inflections. */
const INFLECTIONS = new Set(["s", "es", "d", "ed", "ing", "r", "er", "ers", "y", "ly"]);

/**
 * Whether the text spells out an ordinary word around the stream span
 * `[start, end]`, reaching past it on at least one side, within the run of
 * letters `[wordStart, wordEnd]` (the term with only an inflection after it
 * is the term). `budget.left` bounds the look-ups of one scan: when it runs
 * out the answer is "no", so a hostile text keeps its hits rather than
 * costing unbounded time.
 */
export function isInsideOrdinaryWord(sets: DictionarySets, stream: TextStream, start: number, end: number, wordStart: number, wordEnd: number, budget: { left: number }): boolean {
  const max = sets.maxLength;
  if (sets.hashes.length === 0 || end - start + 2 > max) return false;
  const cps = stream.codePoints;
  for (let a = start; a >= Math.max(wordStart, end - max + 1); a--) {
    let key = "";
    for (let i = a; i < end; i++) key += keyChar(cps[i]);
    let suffix = "";
    for (let b = end; b <= wordEnd && b - a < max; b++) {
      key += keyChar(cps[b]);
      if (b > end) suffix += keyChar(cps[b]);
      if (a === start && (b === end || INFLECTIONS.has(suffix))) continue;
      if (--budget.left < 0) return false;
      if (isVocabularyWord(sets, key)) return true;
    }
  }
  return false;
}
