import { DEFAULT_OPTIONS, textTooLong, type CompiledLexicon, type Lexicon, type TextHit } from "../text/index.js";
import { compileWhole, lazyVocabulary } from "./compile.js";
import type { LexiconRow } from "./repository.js";
import { parseSurfaces, type BuiltInLexicon } from "./service.js";
import type { TextSurface } from "./surfaces.js";

export interface LexiconHit extends TextHit {
  /** The lexicon the term came from. */
  lexicon: string;
}

/** The longest text checked, in UTF-16 code units (the matcher's default `maxChars`). */
export const MAX_CHECKED_TEXT_CHARS = DEFAULT_OPTIONS.maxChars;

interface Loaded {
  name: string;
  surfaces: ReadonlySet<TextSurface>;
  compiled: CompiledLexicon;
}

/**
 * The compiled lexicons of this process, hot-reloaded from the store's change
 * feed: an operator's import takes effect within one poll everywhere, with no
 * restart. A stored lexicon named like the built-in one replaces it.
 */
export function createLexiconRegistry(options: {
  readChanges: (cursor: number) => Promise<{ nextCursor: number; rows: LexiconRow[] }>;
  builtIn?: BuiltInLexicon;
  /** Ordinary words that are never an approximate hit (see vocabulary.ts); read at each compile. */
  vocabulary?: () => Iterable<string>;
}) {
  const vocabulary = lazyVocabulary(options.vocabulary);
  const compile = (lexicon: Lexicon) => compileWhole(lexicon, vocabulary);
  const loaded = new Map<string, Loaded>();
  const builtIn = options.builtIn;
  if (builtIn) loaded.set(builtIn.name, { name: builtIn.name, surfaces: new Set(builtIn.surfaces), compiled: compile(builtIn.lexicon) });
  let cursor = 0;
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;

  /**
   * Reads the changes committed before the call. A read already under way may
   * have started before the caller's own change committed (a lexicon stored by
   * the request that now waits for it to be live), so a caller arriving during
   * one gets the next read, shared by everyone who arrives meanwhile.
   */
  function catchUp(): Promise<void> {
    if (running) {
      queued ??= running.then(
        () => {
          queued = undefined;
          return catchUp();
        },
        () => {
          queued = undefined;
          return catchUp();
        },
      );
      return queued;
    }
    running = (async () => {
      try {
        const { nextCursor, rows } = await options.readChanges(cursor);
        for (const row of rows) {
          if (row.deleted_at !== null) {
            loaded.delete(row.name);
            if (builtIn && row.name === builtIn.name) loaded.set(builtIn.name, { name: builtIn.name, surfaces: new Set(builtIn.surfaces), compiled: compile(builtIn.lexicon) });
          } else {
            // Stored content was validated on the way in; compiling again here is the hot reload.
            loaded.set(row.name, { name: row.name, surfaces: new Set(parseSurfaces(row.surfaces)), compiled: compile(JSON.parse(row.content) as Lexicon) });
          }
        }
        cursor = nextCursor;
      } finally {
        running = undefined;
      }
    })();
    return running;
  }

  /** Every hit of every lexicon that applies to `surface`, sorted by position. */
  function scan(surface: TextSurface, text: string): { hits: LexiconHit[]; isTruncated: boolean } {
    // Refused here too, so a surface no lexicon covers still never passes unread text on to the advert score.
    if (text.length > MAX_CHECKED_TEXT_CHARS) throw textTooLong(text.length, MAX_CHECKED_TEXT_CHARS);
    const hits: LexiconHit[] = [];
    let isTruncated = false;
    for (const lexicon of loaded.values()) {
      if (!lexicon.surfaces.has(surface)) continue;
      const result = lexicon.compiled.scan(text);
      isTruncated ||= result.isTruncated;
      for (const hit of result.hits) hits.push({ ...hit, lexicon: lexicon.name });
    }
    hits.sort((a, b) => a.start - b.start || a.end - b.end);
    return { hits, isTruncated };
  }

  return {
    catchUp,
    scan,
    get names() {
      return [...loaded.keys()].sort();
    },
  };
}

export type LexiconRegistry = ReturnType<typeof createLexiconRegistry>;
