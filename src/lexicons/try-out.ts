import type { Lexicon, TextHit } from "../text/index.js";
import { benignSample } from "./benign-sample.js";
import { assessBreadth, type LexiconBreadth } from "./breadth.js";
import { compileWhole, lazyVocabulary } from "./compile.js";

/** Most texts a caller may add to the benign sample, and most changed texts listed. */
export const maxTryOutTexts = 2000;
const maxListedChanges = 200;

/** One text whose hits a change would alter. */
export interface TryOutChange {
  text: string;
  /** `sample`: from the benign sample of ordinary texts; `given`: one the caller sent. */
  source: "sample" | "given";
  /** Terms matched before and after the change. */
  before: string[];
  after: string[];
}

export interface TryOutReport {
  /** Texts matched against both versions. */
  texts: number;
  /** Texts that match after the change and did not before. */
  newlyMatched: number;
  /** Texts that matched before the change and no longer do. */
  noLongerMatched: number;
  /** Texts whose hits differ, newly matched first; at most 200. */
  changes: TryOutChange[];
  /** The draft's breadth report (as storing it would check it). */
  breadth: LexiconBreadth;
}

/**
 * What a lexicon change would block: the stored version (none for a new
 * lexicon) and the draft, each matched against the benign sample of ordinary
 * texts and any texts the operator adds (recent posts, say), compiled exactly
 * as the registry compiles them. Nothing is stored. A malformed draft throws
 * `LEXICON_INVALID` with a pointer, as storing it would.
 *
 * @example
 * const report = tryLexiconChange(current, { entries: [...current.entries, { term: "new term", category: "x", severity: "block" }] }, ["a recent post"], readVocabulary);
 * report.newlyMatched; // texts the new term would now catch
 */
export function tryLexiconChange(current: Lexicon | undefined, draft: unknown, given: readonly string[], vocabulary?: () => Iterable<string>): TryOutReport {
  const words = lazyVocabulary(vocabulary);
  const after = compileWhole(draft, words);
  const before = current ? compileWhole(current, words) : undefined;
  const terms = (hits: readonly TextHit[]) => [...new Set(hits.map((h) => h.term))].sort();
  const changes: TryOutChange[] = [];
  let newlyMatched = 0;
  let noLongerMatched = 0;
  const texts: Array<[string, TryOutChange["source"]]> = [...benignSample.map((t): [string, "sample"] => [t, "sample"]), ...given.map((t): [string, "given"] => [t, "given"])];
  for (const [text, source] of texts) {
    const was = before ? terms(before.match(text)) : [];
    const now = terms(after.match(text));
    if (was.join("\u0000") === now.join("\u0000")) continue;
    if (was.length === 0) newlyMatched++;
    if (now.length === 0) noLongerMatched++;
    changes.push({ text, source, before: was, after: now });
  }
  changes.sort((a, b) => Number(b.before.length === 0) - Number(a.before.length === 0));
  return { texts: texts.length, newlyMatched, noLongerMatched, changes: changes.slice(0, maxListedChanges), breadth: assessBreadth(after) };
}

/** Every hit of a draft lexicon in one text, compiled as the registry compiles it (nothing stored). */
export function scanWithDraft(draft: unknown, text: string, vocabulary?: () => Iterable<string>): TextHit[] {
  return [...compileWhole(draft, lazyVocabulary(vocabulary)).scan(text).hits];
}
