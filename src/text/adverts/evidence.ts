import type { TextHit } from "../index.js";
import { toOriginal, type TextView } from "./view.js";
import type { AdvertSignalName } from "./types.js";

/** One piece of evidence a feature found: a weighted span with a short label. */
export interface Evidence {
  readonly signal: AdvertSignalName;
  /** Log-odds weight of this piece before the signal's diminishing returns and cap. */
  readonly weight: number;
  readonly start: number;
  readonly end: number;
  /** What kind of thing this is, for the explanation ("telegram link", "age in digits"). */
  readonly label: string;
}

/** The text prepared once and shared by every feature. */
export interface AdvertText {
  /** The original text, cut at `maxChars`. */
  readonly original: string;
  /** The original text, unchanged: URLs, case and digit runs survive. */
  readonly raw: TextView;
  /** The normaliser's reading with spread-out letters joined ("f o u r" → "four"). */
  readonly folded: TextView;
  /** Advert vocabulary hits, overlaps resolved (the longest wins). */
  readonly vocabulary: readonly TextHit[];
  /** Sub-kind (`note`) of each vocabulary entry, by entry index. */
  readonly vocabularyKinds: readonly string[];
  /** The caller's lexicon hits inside the read part of the text. */
  readonly hits: readonly TextHit[];
}

/**
 * Every match of `pattern` (which must have the `g` flag) in `view`, as
 * evidence in original offsets. `group` picks a capture group for the span.
 */
export function findAll(
  view: TextView,
  original: string,
  pattern: RegExp,
  make: (match: RegExpExecArray) => { signal: AdvertSignalName; weight: number; label: string } | undefined,
  out: Evidence[],
): void {
  pattern.lastIndex = 0;
  for (let m = pattern.exec(view.text); m !== null; m = pattern.exec(view.text)) {
    if (m[0].length === 0) {
      pattern.lastIndex++;
      continue;
    }
    const what = make(m);
    if (what === undefined) continue;
    const span = toOriginal(view, original, m.index, m.index + m[0].length);
    if (span !== undefined) out.push({ ...what, start: span.start, end: span.end });
  }
}

/** A vocabulary hit with the sub-kind its entry carries ("strong", "private", ...). */
export interface VocabularyHit {
  readonly hit: TextHit;
  readonly kind: string;
}

/** Vocabulary hits of one feature. */
export function vocabularyOf(text: AdvertText, feature: string): VocabularyHit[] {
  const out: VocabularyHit[] = [];
  for (const hit of text.vocabulary) if (hit.category === feature) out.push({ hit, kind: text.vocabularyKinds[hit.entryIndex] });
  return out;
}
