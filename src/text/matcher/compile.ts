import { LapwingError } from "../../errors/index.js";
import { validateLexicon, type Lexicon, type LexiconEntry } from "../lexicon/lexicon.js";
import { LEET_READINGS } from "../normalize/leet.js";
import { buildStream, StreamScratch, SymbolFlag } from "../normalize/stream.js";
import { buildAutomaton, type Automaton } from "./automaton.js";
import { compileApproximate, type ApproximateTables } from "./approximate.js";
import type { Dictionary } from "./dictionary.js";
import { DEFAULT_OPTIONS, type ResolvedTextMatcherOptions, type TextMatcherOptions } from "./types.js";

const CAPITAL_I = 0x49;
const SMALL_I = 0x69;
const HASH = 0x23;

/** One distinct normalised term; several lexicon entries may share it. */
export interface Pattern {
  /** Alphabet ids, runs of one symbol collapsed. */
  readonly symbols: Int32Array;
  /** 1 where the term itself has a word break before symbol j (phrases: "velvet|lantern"). */
  readonly breakBefore: Uint8Array;
  /** Letters and digits in the term (before collapsing runs). */
  readonly letters: number;
  /** Matches whole words only. */
  readonly isShort: boolean;
  /** May match spread out by separators. */
  readonly isSpreadable: boolean;
  /** A hashtag compound ("#mossyteacup"): its words are unknown, so a break may fall anywhere. */
  readonly isCompound: boolean;
  /** Has emoji or other symbols: matched in the symbol pass, where only separators break. */
  readonly hasSymbols: boolean;
  /** Lexicon entries with this pattern. */
  readonly entries: readonly number[];
}

/** Everything a scan needs, built once per lexicon. */
export interface CompiledTables {
  readonly options: ResolvedTextMatcherOptions;
  /** The approximate stage, or null when off or no term is long enough. */
  readonly approximate: ApproximateTables | null;
  /** The vocabulary of ordinary words, read on first need (`dictionaryOf`). */
  readonly dictionary: Dictionary;
  readonly entries: readonly LexiconEntry[];
  /** The lexicon's allow-list of names (see `Lexicon.names`). */
  readonly names: readonly string[];
  readonly patterns: readonly Pattern[];
  /** Automaton over patterns of letters and digits only. */
  readonly words: Automaton | null;
  /** Automaton over patterns with emoji or symbols. */
  readonly symbols: Automaton | null;
  /** Alphabet ids of code points below 128 (0: in no term). */
  readonly asciiIds: Int32Array;
  readonly ids: ReadonlyMap<number, number>;
  /** Ids each leet or ambiguous symbol can be read as (only those in the alphabet). */
  readonly readings: ReadonlyMap<number, Int32Array>;
  /** `readings` for code points below 128, as an array. */
  readonly asciiReadings: ReadonlyArray<Int32Array | undefined>;
  /** Alphabet ids of m, d, w (0 when no term uses them), for "rn", "cl", "vv" in the text. */
  readonly idM: number;
  readonly idD: number;
  readonly idW: number;
  /** Alphabet ids of r, n, c, l, v (0 when no term uses them or look-alikes are off), for "m", "d", "w" in the text read as "rn", "cl", "vv". */
  readonly idR: number;
  readonly idN: number;
  readonly idC: number;
  readonly idL: number;
  readonly idV: number;
}

export function resolveOptions(options: TextMatcherOptions | undefined): ResolvedTextMatcherOptions {
  const { vocabulary: _vocabulary, ...rest } = options ?? {};
  const merged = { ...DEFAULT_OPTIONS, ...rest };
  const positive = (name: "maxChars" | "shortTermMaxLetters" | "spacedMinLetters" | "spacedMaxPieceLetters", min: number) => {
    const v = merged[name];
    if (typeof v !== "number" || !Number.isInteger(v) || v < min) {
      throw new LapwingError("VALIDATION_FAILED", `Text matcher option ${name} must be an integer >= ${min} (got ${String(v)}).`, { pointer: `/${name}` });
    }
  };
  positive("maxChars", 1);
  positive("shortTermMaxLetters", 0);
  positive("spacedMinLetters", 1);
  positive("spacedMaxPieceLetters", 1);
  if (merged.onTooLong !== "truncate" && merged.onTooLong !== "reject") {
    throw new LapwingError("VALIDATION_FAILED", `Text matcher option onTooLong must be "truncate" or "reject".`, { pointer: "/onTooLong" });
  }
  return Object.freeze(merged);
}

/** Normalises each term through the text pipeline and builds both automata. */
export function compileTables(lexicon: Lexicon | unknown, options?: TextMatcherOptions): CompiledTables {
  const resolved = resolveOptions(options);
  const { entries, names } = validateLexicon(lexicon);

  const ids = new Map<number, number>();
  const idOf = (cp: number) => {
    let id = ids.get(cp);
    if (id === undefined) {
      id = ids.size + 1;
      ids.set(cp, id);
    }
    return id;
  };

  const patterns: Pattern[] = [];
  const byKey = new Map<string, number>();
  const scratch = new StreamScratch();
  entries.forEach((entry, index) => {
    const stream = buildStream(entry.term, Infinity, scratch);
    let hasSymbols = false;
    for (let i = 0; i < stream.length; i++) if (stream.flags[i] & SymbolFlag.symbol) hasSymbols = true;
    const symbols: number[] = [];
    const breaks: number[] = [];
    let letters = 0;
    let breakCount = 0;
    for (let i = 0; i < stream.length; i++) {
      const flags = stream.flags[i];
      if (!hasSymbols && flags & SymbolFlag.symbol) continue;
      let cp = stream.codePoints[i];
      if (cp === CAPITAL_I) cp = SMALL_I; // the term says which letter it means
      letters += flags & SymbolFlag.symbol ? 0 : flags & SymbolFlag.repeated ? 2 : 1;
      const isBreak = symbols.length > 0 && (flags & (hasSymbols ? SymbolFlag.gapAny : SymbolFlag.gapWord)) !== 0;
      if (isBreak) breakCount++;
      const id = idOf(cp);
      if (symbols.length > 0 && symbols[symbols.length - 1] === id) {
        // "club bar" collapses like the text will: the break stays allowed around the run.
        if (isBreak) breaks[breaks.length - 1] = 1;
        continue;
      }
      symbols.push(id);
      breaks.push(isBreak ? 1 : 0);
    }
    if (symbols.length === 0) {
      throw new LapwingError("LEXICON_INVALID", `Entry ${index}'s term ${JSON.stringify(entry.term)} has no letters, digits or emoji once normalised.`, {
        pointer: `/entries/${index}/term`,
      });
    }
    const trimmed = entry.term.trim();
    const isCompound = !hasSymbols && trimmed.codePointAt(0) === HASH && breakCount === 0;
    const isShort = !hasSymbols && letters <= resolved.shortTermMaxLetters;
    const isSpreadable = !hasSymbols && letters >= resolved.spacedMinLetters;
    const key = `${hasSymbols ? "s" : "w"}${isCompound ? "c" : ""}:${symbols.join(",")}:${breaks.join("")}:${letters}`;
    const existing = byKey.get(key);
    if (existing !== undefined) {
      (patterns[existing].entries as number[]).push(index);
      return;
    }
    byKey.set(key, patterns.length);
    patterns.push({
      symbols: Int32Array.from(symbols),
      breakBefore: Uint8Array.from(breaks),
      letters,
      isShort,
      isSpreadable,
      isCompound,
      hasSymbols,
      entries: [index],
    });
  });

  const alphabetSize = ids.size + 1;
  const wordPatterns: Int32Array[] = [];
  const symbolPatterns: Int32Array[] = [];
  // Automaton pattern numbers map back to `patterns` through these lists.
  const wordIndex: number[] = [];
  const symbolIndex: number[] = [];
  patterns.forEach((p, i) => {
    if (p.hasSymbols) {
      symbolPatterns.push(p.symbols);
      symbolIndex.push(i);
    } else {
      wordPatterns.push(p.symbols);
      wordIndex.push(i);
    }
  });
  const words = wordPatterns.length > 0 ? remapOutputs(buildAutomaton(wordPatterns, alphabetSize), wordIndex) : null;
  const symbolsAutomaton = symbolPatterns.length > 0 ? remapOutputs(buildAutomaton(symbolPatterns, alphabetSize), symbolIndex) : null;

  const asciiIds = new Int32Array(128);
  for (const [cp, id] of ids) if (cp < 128) asciiIds[cp] = id;

  const readings = new Map<number, Int32Array>();
  for (const [cp, alternatives] of LEET_READINGS) {
    if (!resolved.leetspeak && cp !== CAPITAL_I) continue;
    const list: number[] = [];
    const own = ids.get(cp);
    if (own !== undefined) list.push(own);
    for (const alt of alternatives) {
      const id = ids.get(alt);
      if (id !== undefined && !list.includes(id)) list.push(id);
    }
    readings.set(cp, Int32Array.from(list));
  }

  const asciiReadings: Array<Int32Array | undefined> = new Array(128).fill(undefined);
  for (const [cp, list] of readings) if (cp < 128) asciiReadings[cp] = list;
  const approximate = resolved.approximate ? compileApproximate({ patterns, asciiIds, ids, readings }, alphabetSize) : null;

  return Object.freeze({
    approximate,
    dictionary: { vocabulary: withNames(names, options?.vocabulary), sets: null },
    asciiReadings,
    options: resolved,
    entries,
    names: names ?? [],
    patterns: Object.freeze(patterns),
    words,
    symbols: symbolsAutomaton,
    asciiIds,
    ids,
    readings,
    idM: resolved.lookalikes ? (ids.get(0x6d) ?? 0) : 0,
    idD: resolved.lookalikes ? (ids.get(0x64) ?? 0) : 0,
    idW: resolved.lookalikes ? (ids.get(0x77) ?? 0) : 0,
    idR: resolved.lookalikes ? (ids.get(0x72) ?? 0) : 0,
    idN: resolved.lookalikes ? (ids.get(0x6e) ?? 0) : 0,
    idC: resolved.lookalikes ? (ids.get(0x63) ?? 0) : 0,
    idL: resolved.lookalikes ? (ids.get(0x6c) ?? 0) : 0,
    idV: resolved.lookalikes ? (ids.get(0x76) ?? 0) : 0,
  });
}

/** Rewrites an automaton's output pattern numbers to indices into `patterns`. */
function remapOutputs(automaton: Automaton, index: readonly number[]): Automaton {
  const out = automaton.outPatterns;
  for (let i = 0; i < out.length; i++) out[i] = index[out[i]];
  return automaton;
}

/**
 * The vocabulary of one lexicon: its own allow-list of names, each cut into
 * words as the matcher reads a text ("Acme Corp": "Acme", "Corp"), then the
 * shared vocabulary (iterated lazily, when the guard is first needed).
 */
function withNames(names: readonly string[] | undefined, vocabulary: Iterable<string> | undefined): Iterable<string> {
  if (names === undefined || names.length === 0) return vocabulary ?? [];
  const words = names.flatMap((name) => name.split(/[^\p{L}\p{M}\p{N}]+/u).filter((word) => word !== ""));
  return {
    *[Symbol.iterator]() {
      yield* words;
      if (vocabulary !== undefined) yield* vocabulary;
    },
  };
}
