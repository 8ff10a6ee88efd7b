import type { LexiconHit, LexiconRegistry, SearchSurface } from "../lexicons/index.js";
import type { SearchBlockCounter } from "./counts.js";
import type { HelpResource } from "./resources.js";

export interface GateHit {
  term: string;
  category: string;
  severity: "block" | "review";
  lexicon: string;
  view: LexiconHit["view"];
  start: number;
  end: number;
  /** How it matched: exact, folded (look-alikes, leetspeak ...) or approximate (a misspelling, `distance` edits away). */
  how: LexiconHit["how"];
  distance: number;
}

/**
 * A search verdict. There is deliberately no third answer: a blocked search
 * shows help, never "see results anyway".
 */
export type SearchCheck =
  | { verdict: "allow"; hits: GateHit[] }
  | { verdict: "block"; hits: GateHit[]; reason: string; message: string; resources: readonly HelpResource[] };

const blockMessage =
  "Results for this search are not shown because it may be associated with the sexual abuse of children. " +
  "Sexual content involving children is illegal and causes lasting harm. Help is available below.";

/**
 * The search, hashtag and typeahead gate. Any lexicon hit on a search
 * surface blocks: a query that names abuse material has no use worth the
 * risk, and the investigation that started this project found the harm in
 * exactly the searches a platform let through. (Content, by contrast, goes to
 * review on `review`-severity terms: see the text check.)
 */
export function createSearchGate(deps: { lexicons: LexiconRegistry; resources: readonly HelpResource[]; counter?: Pick<SearchBlockCounter, "blocked" | "suggestionsRemoved"> }) {
  /**
   * The verdict for one query. `count: true` (what the platform's own calls
   * pass) adds a block to the dashboard's counts; checks made for other
   * reasons (the network's hashtags, an operator trying a query) leave them be.
   */
  function check(query: string, surface: SearchSurface, options: { count?: boolean } = {}): SearchCheck {
    const hits = deps.lexicons.scan(surface, query).hits.map(toGateHit);
    if (hits.length === 0) return { verdict: "allow", hits };
    if (options.count) deps.counter?.blocked(surface);
    const terms = [...new Set(hits.map((h) => h.term))];
    return {
      verdict: "block",
      hits,
      reason: `The ${surface === "search" ? "query" : surface} matches ${terms.length === 1 ? "a term" : `${terms.length} terms`} on the child-safety lexicon (${[...new Set(hits.map((h) => h.category))].join(", ")}).`,
      message: blockMessage,
      resources: deps.resources,
    };
  }

  /** Keeps the suggestions that pass the gate, in order; lists the removed ones with why. */
  function filterSuggestions(suggestions: readonly string[], surface: SearchSurface = "typeahead", options: { count?: boolean } = {}) {
    const kept: string[] = [];
    const removed: Array<{ index: number; suggestion: string; terms: string[] }> = [];
    suggestions.forEach((suggestion, index) => {
      const result = check(suggestion, surface);
      if (result.verdict === "allow") kept.push(suggestion);
      else removed.push({ index, suggestion, terms: [...new Set(result.hits.map((h) => h.term))] });
    });
    if (options.count && removed.length > 0) deps.counter?.suggestionsRemoved(surface, removed.length);
    return { suggestions: kept, removed };
  }

  return { check, filterSuggestions };
}

export type SearchGate = ReturnType<typeof createSearchGate>;

export function toGateHit(hit: LexiconHit): GateHit {
  return { term: hit.term, category: hit.category, severity: hit.severity, lexicon: hit.lexicon, view: hit.view, start: hit.start, end: hit.end, how: hit.how, distance: hit.distance };
}
