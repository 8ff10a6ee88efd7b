import type { Severity } from "../lexicon/lexicon.js";

/**
 * Which view of the text a hit was found in:
 * - `word`: a whole word (bounded by non-letters, CamelCase or the text's ends)
 * - `inside-word`: inside a longer word or hashtag (`#ilovevornaxle`); long terms only
 * - `phrase`: a phrase or hashtag compound whose words are spaced, punctuated or joined
 * - `spaced`: letters spread out by separators ("v.o.r.n.a.x"); long terms only
 * - `emoji`: an emoji code
 */
export type TextView = "word" | "inside-word" | "phrase" | "spaced" | "emoji";

/**
 * How a hit matched: `exact` (the text as written, ignoring case), `folded`
 * (through the normalisation: look-alikes, leetspeak, invisible characters,
 * separators ...), or `approximate` (a misspelling, `distance` edits away).
 */
export type MatchKind = "exact" | "folded" | "approximate";

/** One lexicon term found in a text. */
export interface TextHit {
  /** The term exactly as stored in the lexicon. */
  readonly term: string;
  readonly category: string;
  readonly severity: Severity;
  /** Index of the entry in the lexicon's `entries`. */
  readonly entryIndex: number;
  readonly view: TextView;
  /** Start of the match in the original text, in UTF-16 code units (as `String.prototype.slice` counts). */
  readonly start: number;
  /** End (exclusive) of the match in the original text, in UTF-16 code units. */
  readonly end: number;
  /** The original text of the match, `text.slice(start, end)`: what a reviewer should see. */
  readonly matched: string;
  /** How it matched, so a reviewer sees why. */
  readonly how: MatchKind;
  /** Edits (insertions, deletions, substitutions, transpositions) between the folded text and the term: 0 unless `how` is `approximate`. */
  readonly distance: number;
}

/** The full answer of a scan. */
export interface TextScan {
  readonly hits: readonly TextHit[];
  /** The text was longer than `maxChars`; only its first `scannedChars` were read. */
  readonly isTruncated: boolean;
  readonly scannedChars: number;
}

/** Options of {@link compileLexicon}; every field has a documented default. */
export interface TextMatcherOptions {
  /** Longest text read, in UTF-16 code units. Default 100,000. */
  readonly maxChars?: number;
  /** What to do with a longer text: read its beginning and flag `isTruncated` (`"truncate"`, the default), or throw `TEXT_TOO_LONG` (`"reject"`). */
  readonly onTooLong?: "truncate" | "reject";
  /** Terms with at most this many letters match whole words only. Default 4. */
  readonly shortTermMaxLetters?: number;
  /** Terms with at least this many letters also match spread out by separators ("v o r n a x"). Default 6. */
  readonly spacedMinLetters?: number;
  /** In a spread-out match, the most letters each separated piece may have. Default 1. */
  readonly spacedMaxPieceLetters?: number;
  /** Read leetspeak ("v0rn4x", "1" as i or l). Default true. */
  readonly leetspeak?: boolean;
  /** Read many-to-one look-alikes both ways: "rn" as m and "m" as rn, "vv"/"w", "cl"/"d". Default true. */
  readonly lookalikes?: boolean;
  /** Match misspellings of single-word terms: one edit for 6+ letters, two for 10+. Default true. */
  readonly approximate?: boolean;
  /**
   * Ordinary words (dictionary word lists, any languages): an approximate hit on
   * one of them is no hit ("a dictionary word one edit from a term"), nor is the
   * misspelt word of a phrase, and a long term inside one of them spelt out in
   * the text is the ordinary word ("carpenter" round "arpente"). Read once, on
   * the first text that needs it (may be iterated then, not at compile time);
   * kept as the words the approximate stage would flag and a 52-bit hash of
   * every word (8 bytes a word). Default: none.
   */
  readonly vocabulary?: Iterable<string>;
}

/** Options as a compiled lexicon holds them: every default filled in; the vocabulary is consumed at compile time. */
export type ResolvedTextMatcherOptions = Required<Omit<TextMatcherOptions, "vocabulary">>;

export const DEFAULT_OPTIONS: ResolvedTextMatcherOptions = Object.freeze({
  maxChars: 100_000,
  onTooLong: "truncate",
  shortTermMaxLetters: 4,
  spacedMinLetters: 6,
  spacedMaxPieceLetters: 1,
  leetspeak: true,
  lookalikes: true,
  approximate: true,
});
