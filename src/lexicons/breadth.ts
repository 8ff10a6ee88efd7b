import { normalizeText, SOFT_LEET, type CompiledLexicon } from "../text/index.js";
import { benignSample } from "./benign-sample.js";

/** What the benign sample and the term's shape say about one lexicon entry. */
export interface TermBreadth {
  entryIndex: number;
  term: string;
  /** How many texts of the benign sample the term matches. */
  sampleHits: number;
  /** Up to three of those texts. */
  examples: string[];
  /** Why the term cannot be meant as written; empty when it looks fine. */
  problems: string[];
}

/** The breadth report of a lexicon: terms that hit the benign sample or cannot be meant. */
export interface LexiconBreadth {
  sampleTexts: number;
  /** Entries with sample hits or problems, most hits first. */
  terms: TermBreadth[];
  /** Whether any term is too broad to store without `force`. */
  isTooBroad: boolean;
}

/**
 * The share of benign sample texts above which a term is too broad: one
 * ordinary text in 205 may be bad luck, two are a pattern.
 */
export const MAX_SAMPLE_SHARE = 0.005;
const MAX_EXAMPLES = 3;

/**
 * Measures a compiled lexicon against the benign sample and the shape of its
 * terms, before it goes live (issue 10, defect 9). A term is too broad when it
 * has no letter, digit or emoji as written (regex syntax, punctuation), when
 * it is a single letter or digit once normalised, or when it matches more
 * than {@link MAX_SAMPLE_SHARE} of the sample.
 */
export function assessBreadth(compiled: CompiledLexicon, sample: readonly string[] = benignSample): LexiconBreadth {
  const hits = new Map<number, string[]>();
  for (const text of sample) {
    for (const entryIndex of new Set(compiled.match(text).map((h) => h.entryIndex))) {
      const list = hits.get(entryIndex) ?? [];
      list.push(text);
      hits.set(entryIndex, list);
    }
  }
  const terms: TermBreadth[] = [];
  compiled.entries.forEach((entry, entryIndex) => {
    const texts = hits.get(entryIndex) ?? [];
    const problems = shapeProblems(entry.term);
    if (texts.length > sample.length * MAX_SAMPLE_SHARE) problems.push(`matches ${texts.length} of ${sample.length} ordinary sample texts`);
    if (texts.length === 0 && problems.length === 0) return;
    terms.push({ entryIndex, term: entry.term, sampleHits: texts.length, examples: texts.slice(0, MAX_EXAMPLES), problems });
  });
  terms.sort((a, b) => b.sampleHits - a.sampleHits || a.entryIndex - b.entryIndex);
  return { sampleTexts: sample.length, terms, isTooBroad: terms.some((t) => t.problems.length > 0) };
}

function shapeProblems(term: string): string[] {
  if (!/[\p{L}\p{N}\p{Extended_Pictographic}]/u.test(term)) {
    return ["has no letter, digit or emoji: terms are matched as text, not as regular expressions, so punctuation alone means nothing"];
  }
  // Punctuation the matcher reads as a letter only inside a word ("$" as s) is no letter on its own.
  const normalised = [...normalizeText(term).text].filter((ch) => !SOFT_LEET.has(ch.codePointAt(0)!) && !/\s/u.test(ch)).join("");
  const hasEmoji = /\p{Extended_Pictographic}/u.test(normalised);
  if (!hasEmoji && [...normalised].length < 2) return ["is a single letter or digit once normalised: it would match that letter wherever it stands alone"];
  return [];
}

/** A one-paragraph summary of the terms that are too broad, for an error message. */
export function describeTooBroad(breadth: LexiconBreadth, limit = 5): string {
  const broad = breadth.terms.filter((t) => t.problems.length > 0);
  const listed = broad.slice(0, limit).map((t) => `${JSON.stringify(t.term)} (entry ${t.entryIndex}) ${t.problems.join("; ")}`);
  return listed.join("; ") + (broad.length > limit ? `; and ${broad.length - limit} more` : "");
}
