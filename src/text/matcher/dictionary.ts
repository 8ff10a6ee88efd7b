import { buildStream, StreamScratch, SymbolFlag, type TextStream } from "../normalize/stream.js";

/**
 * What the vocabulary (ordinary words of several languages) tells the
 * matcher, built once per compiled lexicon on first need (reading a million
 * dictionary words takes seconds, and most processes never need it), keeping
 * only the words that matter for this lexicon:
 * - `approximate`: words the approximate stage would flag as a misspelling,
 *   which it therefore never reports (a dictionary word one edit from a term);
 * - `covering`: words that hold a long term inside them (`carpenter` holding
 *   an invented `arpente`): where the text spells one of them out around a
 *   hit, a reader reads the ordinary word, not the term.
 */
export interface DictionarySets {
  readonly approximate: ReadonlySet<string>;
  readonly covering: ReadonlySet<string>;
  /** Longest word of `covering`, in stream symbols. */
  readonly coveringMaxLength: number;
  /**
   * A 32-bit hash of every folded word, sorted: membership of any word in 4
   * bytes a word (a collision, about one in four thousand for a million words,
   * only makes one misspelling go unreported). For the words of phrases, which
   * an ordinary word may replace.
   */
  readonly hashes: Uint32Array;
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

/** Judges one vocabulary word, as a text of its own, for each set. */
export interface WordJudge {
  /** Whether the approximate stage flags the word. */
  isApproximateHit(word: string, stream: TextStream): boolean;
  /** Whether the exact stage finds a term strictly inside the word. */
  hasInsideWordHit(word: string, stream: TextStream): boolean;
  /** Shortest word worth reading at all. */
  readonly minChars: number;
}

/**
 * Builds the sets in one pass over the vocabulary (which may be a one-shot
 * iterable). While building, `dictionary.sets` holds empty sets, so the words
 * themselves are judged unguarded.
 */
export function dictionarySets(dictionary: Dictionary, judge: WordJudge): DictionarySets {
  if (dictionary.sets !== null) return dictionary.sets;
  const approximate = new Set<string>();
  const covering = new Set<string>();
  dictionary.sets = { approximate: new Set(), covering: new Set(), coveringMaxLength: 0, words: 0, hashes: new Uint32Array(0) };
  const scratch = new StreamScratch();
  let words = 0;
  let coveringMaxLength = 0;
  const hashes: number[] = [];
  for (const word of dictionary.vocabulary) {
    words++;
    if (word.length > MAX_WORD_CHARS) continue;
    const stream = buildStream(word, MAX_WORD_CHARS, scratch);
    if (stream.length === 0) continue;
    hashes.push(hashOf(foldedWord(stream, 0, stream.length - 1)));
    if (word.length < judge.minChars) continue;
    if (judge.isApproximateHit(word, stream)) approximate.add(foldedWord(stream, 0, stream.length - 1));
    if (judge.hasInsideWordHit(word, stream)) {
      covering.add(foldedWord(stream, 0, stream.length - 1));
      coveringMaxLength = Math.max(coveringMaxLength, stream.length);
    }
  }
  const sorted = Uint32Array.from(hashes).sort();
  dictionary.sets = { approximate, covering, coveringMaxLength, words, hashes: sorted };
  return dictionary.sets;
}

/** FNV-1a over the UTF-16 units of a folded word. */
function hashOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Whether the folded word `key` is a vocabulary word (up to a rare hash collision). */
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
  for (let i = from; i <= to; i++) if (!(stream.flags[i] & SymbolFlag.symbol)) out += String.fromCodePoint(stream.codePoints[i]);
  return out;
}

/**
 * Whether the text spells out a `covering` word around the stream span
 * `[start, end]`, reaching past it on at least one side, within the word
 * `[wordStart, wordEnd]` (a run of letters with no separator). `budget.left`
 * bounds the look-ups of one scan: when it runs out the answer is "no", so a
 * hostile text keeps its hits rather than costing unbounded time.
 */
export function isInsideCoveringWord(sets: DictionarySets, stream: TextStream, start: number, end: number, wordStart: number, wordEnd: number, budget: { left: number }): boolean {
  const max = sets.coveringMaxLength;
  if (sets.covering.size === 0 || end - start + 2 > max) return false;
  const cps = stream.codePoints;
  for (let a = start; a >= Math.max(wordStart, end - max + 1); a--) {
    let key = "";
    for (let i = a; i < end; i++) key += String.fromCodePoint(cps[i]);
    for (let b = end; b <= wordEnd && b - a < max; b++) {
      key += String.fromCodePoint(cps[b]);
      if (a === start && b === end) continue;
      if (--budget.left < 0) return false;
      if (sets.covering.has(key)) return true;
    }
  }
  return false;
}
