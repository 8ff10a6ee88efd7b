import { compileLexicon, type CompiledLexicon, type Lexicon } from "../text/index.js";

/**
 * How every lexicon is compiled, for the live registry and for the breadth
 * check before one is stored: both must find the same hits, or the check
 * refuses terms for hits production never reports.
 *
 * Lexicons check a text whole or not at all: a text longer than the matcher's
 * `maxChars` (100,000) is refused with `TEXT_TOO_LONG` (HTTP 413), never read
 * in part and allowed (issue 10, defect 8). A misspelling that is a
 * vocabulary word (see vocabulary.ts) is no hit.
 */
export function compileWhole(lexicon: Lexicon | unknown, vocabulary: Iterable<string>): CompiledLexicon {
  return compileLexicon(lexicon, { onTooLong: "reject", vocabulary });
}

/**
 * The words of `read` as an iterable read only when iterated: the matcher
 * iterates it when an approximate candidate first needs the guard, so a
 * process that never sees one never reads the word lists.
 */
export function lazyVocabulary(read: (() => Iterable<string>) | undefined): Iterable<string> {
  return { [Symbol.iterator]: () => (read?.() ?? [])[Symbol.iterator]() };
}
