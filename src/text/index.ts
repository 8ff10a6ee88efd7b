/**
 * Lapwing's text detector: evasion-robust lexicon matching for posts, bios,
 * hashtags, search queries and image text. A pure library: no database, no
 * network, no logging, no global state beyond immutable Unicode tables.
 *
 * @example
 * ```ts
 * import { compileLexicon } from "lapwing/text";
 *
 * const lexicon = compileLexicon({
 *   entries: [
 *     { term: "vornaxle", category: "coded-term", severity: "block" },
 *     { term: "xpl", category: "coded-term", severity: "review" },
 *   ],
 * });
 * lexicon.match("new v0rn@x1e drop, #xpl_fans");
 * // → [{ term: "vornaxle", view: "word", start: 4, end: 12, matched: "v0rn@x1e", ... },
 * //    { term: "xpl", view: "word", start: 20, end: 23, ... }]
 * ```
 *
 * ## What matches
 * A hit is what a reader of the rendered text would read as a lexicon term.
 * Text and terms go through one normalisation pipeline (reading order for
 * bidi controls; NFKC; invisible characters, combining marks, variation
 * selectors and skin tones removed; Unicode TR39 confusables; lower case;
 * repeated letters collapsed), then the matcher reads leetspeak (with
 * ambiguous symbols: "1" is i or l), "rn"/"vv"/"cl" as m/w/d, and separators.
 * Terms of at most 4 letters match whole words only (CamelCase counts as a
 * word break); longer terms also match inside words and hashtags (not inside
 * an ordinary word of the `vocabulary` spelt out around them); terms of 6+
 * letters also match spread out ("v.o.r.n.a.x.l.e"); phrases and hashtag
 * compounds match with their words joined, CamelCased or punctuated; emoji
 * codes match with variation selectors, skin tones, joiners or invisible
 * characters between. Misspellings: single words of 6+ letters one edit (10+:
 * two), phrases one misspelt word, never a `vocabulary` word nor a word
 * written as a name ("Crandovle").
 *
 * ## Bounded work
 * Only the first `maxChars` (default 100,000) UTF-16 code units of a text are
 * read; `scan()` reports `isTruncated`, or set `onTooLong: "reject"` to get a
 * `TEXT_TOO_LONG` error instead. Work is linear in the text length.
 *
 * @packageDocumentation
 */
export { compileLexicon, matchText, type CompiledLexicon } from "./matcher/compiled-lexicon.js";
export { textTooLong } from "./matcher/scan.js";
export { DEFAULT_OPTIONS, type TextHit, type TextScan, type TextView, type TextMatcherOptions } from "./matcher/types.js";
export { parseLexicon, validateLexicon, MAX_TERM_CHARS, type Lexicon, type LexiconEntry, type Severity } from "./lexicon/lexicon.js";
export { normalizeText, type NormalizedText } from "./normalize/normalize-text.js";
export { FOLD_TABLE_SOURCES } from "./normalize/fold-table.js";
export { SOFT_LEET } from "./normalize/leet.js";
export { evade, fancy, leet, lookalike, spaced, zeroWidth } from "./evasions.js";
