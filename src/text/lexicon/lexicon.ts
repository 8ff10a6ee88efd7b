import { LapwingError } from "../../errors/index.js";

/** How an operator wants a hit handled: `block` outright, or queue for `review`. */
export type Severity = "block" | "review";

/** One lexicon term, as an operator writes it. */
export interface LexiconEntry {
  /** The term as written: a word, a phrase ("velvet lantern club"), a hashtag ("#mossyteacup") or emoji ("🧲🥥"). */
  readonly term: string;
  /** A free-form category such as `coded-term`, `age-claim`, `solicitation`, `emoji-code`. */
  readonly category: string;
  readonly severity: Severity;
  /** Where the term is documented (a report, a paper); required by policy for shipped lexicons. */
  readonly source?: string;
  readonly note?: string;
}

/** A lexicon file: `{"entries": [...], "names": [...]}` (`names` optional). */
export interface Lexicon {
  readonly entries: readonly LexiconEntry[];
  /**
   * The operator's allow-list of names (brands, people, places, the
   * community's own words) that a misspelling never is: an approximate hit
   * that is exactly one of these words (as the matcher folds case and
   * look-alikes) is no hit, as for a dictionary word. Exact and folded
   * readings of a term are still hits. Words, not phrases: "Acme Corp" is
   * read as the names "Acme" and "Corp".
   */
  readonly names?: readonly string[];
}

/** The longest term accepted, in UTF-16 code units. */
export const MAX_TERM_CHARS = 200;
/** The most names a lexicon's allow-list may hold (each at most `MAX_TERM_CHARS`). */
export const MAX_LEXICON_NAMES = 10_000;
const SEVERITIES: readonly string[] = ["block", "review"];
const ENTRY_KEYS = new Set(["term", "category", "severity", "source", "note"]);

function invalid(message: string, pointer: string): LapwingError {
  return new LapwingError("LEXICON_INVALID", message, { pointer });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Checks that `value` is a lexicon and returns it typed (a fresh, frozen copy).
 * Throws a `LapwingError` with code `LEXICON_INVALID` and a JSON pointer to the
 * first problem: a missing or empty `entries`, a missing term, a bad severity
 * (`/entries/3/severity`), an unknown field.
 *
 * @example
 * ```ts
 * validateLexicon({ entries: [{ term: "xpl", category: "coded-term", severity: "high" }] });
 * // throws LapwingError { code: "LEXICON_INVALID", pointer: "/entries/0/severity" }
 * ```
 */
export function validateLexicon(value: unknown): Lexicon {
  if (!isRecord(value)) throw invalid("A lexicon must be a JSON object with an \"entries\" array.", "");
  for (const key of Object.keys(value)) {
    if (key !== "entries" && key !== "names") throw invalid(`Unknown lexicon field "${key}"; a lexicon has only "entries" and "names".`, `/${escapePointer(key)}`);
  }
  const names = validateNames(value.names);
  const entries = value.entries;
  if (!Array.isArray(entries)) throw invalid("The lexicon needs an \"entries\" array.", "/entries");
  if (entries.length === 0) throw invalid("The lexicon has no entries; add at least one term.", "/entries");
  const out: LexiconEntry[] = [];
  entries.forEach((entry: unknown, i: number) => {
    const at = `/entries/${i}`;
    if (!isRecord(entry)) throw invalid(`Entry ${i} must be an object with "term", "category" and "severity".`, at);
    for (const key of Object.keys(entry)) {
      if (!ENTRY_KEYS.has(key)) throw invalid(`Entry ${i} has an unknown field "${key}"; allowed: term, category, severity, source, note.`, `${at}/${escapePointer(key)}`);
    }
    const { term, category, severity, source, note } = entry;
    if (typeof term !== "string" || term.trim() === "") throw invalid(`Entry ${i} needs a non-empty "term" string.`, `${at}/term`);
    if (term.length > MAX_TERM_CHARS) throw invalid(`Entry ${i}'s term is longer than ${MAX_TERM_CHARS} characters.`, `${at}/term`);
    if (typeof category !== "string" || category.trim() === "") throw invalid(`Entry ${i} needs a non-empty "category" string.`, `${at}/category`);
    if (typeof severity !== "string" || !SEVERITIES.includes(severity)) {
      throw invalid(`Entry ${i} has severity ${JSON.stringify(severity)}; use "block" or "review".`, `${at}/severity`);
    }
    if (source !== undefined && typeof source !== "string") throw invalid(`Entry ${i}'s "source" must be a string.`, `${at}/source`);
    if (note !== undefined && typeof note !== "string") throw invalid(`Entry ${i}'s "note" must be a string.`, `${at}/note`);
    out.push(
      Object.freeze({
        term,
        category,
        severity: severity as Severity,
        ...(source !== undefined ? { source } : {}),
        ...(note !== undefined ? { note } : {}),
      }),
    );
  });
  return Object.freeze({ entries: Object.freeze(out), ...(names !== undefined ? { names } : {}) });
}

/** The `names` allow-list checked: absent, or an array of non-empty strings of at most `MAX_TERM_CHARS`. */
function validateNames(names: unknown): readonly string[] | undefined {
  if (names === undefined) return undefined;
  if (!Array.isArray(names)) throw invalid(`"names" must be an array of strings (names never read as a misspelling).`, "/names");
  if (names.length > MAX_LEXICON_NAMES) throw invalid(`"names" has ${names.length} names; at most ${MAX_LEXICON_NAMES} are accepted.`, "/names");
  names.forEach((name: unknown, i: number) => {
    if (typeof name !== "string" || name.trim() === "") throw invalid(`Name ${i} must be a non-empty string.`, `/names/${i}`);
    if (name.length > MAX_TERM_CHARS) throw invalid(`Name ${i} is longer than ${MAX_TERM_CHARS} characters.`, `/names/${i}`);
  });
  return Object.freeze([...(names as string[])]);
}

/**
 * Parses lexicon JSON text and validates it; malformed JSON is `LEXICON_INVALID` too.
 *
 * @example
 * ```ts
 * const lexicon = compileLexicon(parseLexicon(readFileSync("lexicon.json", "utf8")));
 * ```
 */
export function parseLexicon(json: string): Lexicon {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new LapwingError("LEXICON_INVALID", `The lexicon is not valid JSON: ${(error as Error).message}`, { pointer: "", cause: error });
  }
  return validateLexicon(value);
}

function escapePointer(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}
