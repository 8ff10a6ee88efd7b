import { LapwingError } from "../../errors/index.js";
import { readStream, SymbolFlag, type TextStream } from "../normalize/stream.js";
import { findApproximate, isApproximateWord, type ApproximateTables } from "./approximate.js";
import { dictionarySets, isInsideOrdinaryWord, type DictionarySets } from "./dictionary.js";
import { isWrittenAsName } from "./names.js";
import { ROOT, step, type Automaton } from "./automaton.js";
import type { CompiledTables, Pattern } from "./compile.js";
import type { TextHit, TextScan, TextView } from "./types.js";

/** Readings followed at once; more are dropped (only adversarial text gets near it). */
const MAX_ACTIVE = 16;
/** Steps of one match verification, and of all verifications of one text. */
const VERIFY_STEPS = 4_000; // also bounds the recursion depth of a verification
const SCAN_STEPS = 2_000_000;
/** Dictionary look-ups of one text for words around inside-word hits (`isInsideCoveringWord`). */
const COVERING_LOOKUPS = 200_000;
/** Longest word judged as written as a name. */
const NAME_REACH = 64;

const CP_R = 0x72;
const CP_N = 0x6e;
const CP_C = 0x63;
const CP_L = 0x6c;
const CP_V = 0x76;
const CP_M = 0x6d;
const CP_D = 0x64;
const CP_W = 0x77;

const GAP_PHRASE = 1;
const GAP_SPACED = 2;

/**
 * Scans `text` for every lexicon term (or stops at the first when
 * `stopAtFirst`). Two passes over one normalised stream: letters and digits
 * through the word automaton (emoji count as separators there), then, when the
 * lexicon has emoji codes and the text has emoji, everything through the
 * symbol automaton. Each automaton end-of-term is then verified backwards
 * against the stream, which is where the rules live: whole words for short
 * terms, where a separator may fall, and the span in the original text.
 */
export function scanText(tables: CompiledTables, text: string, stopAtFirst: boolean): TextScan {
  if (typeof text !== "string") {
    throw new LapwingError("VALIDATION_FAILED", `Text to match must be a string (got ${text === null ? "null" : typeof text}).`);
  }
  const { maxChars, onTooLong } = tables.options;
  if (text.length > maxChars && onTooLong === "reject") {
    throw textTooLong(text.length, maxChars);
  }
  // The text's stream is shared with the other lexicons and views reading the same text (see readStream).
  return readStream(text, maxChars, (stream) => {
    const scan = new Scan(tables, stream, text, stopAtFirst);
    if (tables.words) scan.run(tables.words, false);
    if (tables.symbols && !scan.isDone() && hasSymbols(stream)) scan.run(tables.symbols, true);
    if (tables.approximate && !scan.isDone()) scan.approximate(tables.approximate);
    const hits = scan.hits.sort((a, b) => a.start - b.start || a.end - b.end || a.entryIndex - b.entryIndex);
    return { hits, isTruncated: stream.isTruncated, scannedChars: stream.scannedChars };
  });
}

/**
 * What the vocabulary says for this lexicon (see `DictionarySets`), built on
 * first need: each vocabulary word is hashed and read as a text of its own by
 * the approximate stage, without the vocabulary's rules.
 */
export function dictionaryOf(tables: CompiledTables): DictionarySets {
  if (tables.dictionary.sets !== null) return tables.dictionary.sets;
  const approximate = tables.approximate;
  return dictionarySets(tables.dictionary, (word, streamOf) => approximate !== null && isApproximateWord(tables, approximate, word, streamOf));
}

/** The `TEXT_TOO_LONG` error for a text of `length` UTF-16 code units when at most `maxChars` are read. */
export function textTooLong(length: number, maxChars: number): LapwingError {
  return new LapwingError("TEXT_TOO_LONG", `The text has ${length} characters (UTF-16 code units); at most ${maxChars} are checked at once. Split it into parts of at most ${maxChars} and check each.`, {
    details: { length, maxChars },
  });
}

/** One automaton move; reading the letter just read changes nothing (repeated letters collapse). */
function move(automaton: Automaton, state: number, id: number): number {
  if (id === 0) return ROOT;
  if (state !== ROOT && automaton.lastSymbol[state] === id) return state;
  return step(automaton, state, id);
}

/** A term or match as a reader compares them for "exact": case and a leading "#" aside. */
function asWritten(text: string): string {
  return text.normalize("NFC").toLowerCase().replace(/^#/, "");
}

function hasSymbols(stream: TextStream): boolean {
  for (let i = 0; i < stream.length; i++) if (stream.flags[i] & SymbolFlag.symbol) return true;
  return false;
}

class Scan {
  readonly hits: TextHit[] = [];
  readonly #seen = new Set<string>();
  /** [pattern, start, end] stream spans of exact-stage hits. */
  readonly #exactSpans: Array<[number, number, number]> = [];
  #budget = SCAN_STEPS;
  #steps = 0;
  #isSymbolPass = false;
  #gapFlag: number = SymbolFlag.gapWord;
  #pattern!: Pattern;
  #memo = new Set<number>();
  #gapBits = 0;
  #next = new Int32Array(MAX_ACTIVE);
  #nextCount = 0;
  readonly #coveringBudget = { left: COVERING_LOOKUPS };

  constructor(
    readonly tables: CompiledTables,
    readonly stream: TextStream,
    readonly text: string,
    readonly stopAtFirst: boolean,
  ) {}

  isDone(): boolean {
    return this.stopAtFirst && this.hits.length > 0;
  }

  /** Feeds the stream through `automaton`, following every reading of ambiguous symbols at once. */
  run(automaton: Automaton, isSymbolPass: boolean): void {
    this.#isSymbolPass = isSymbolPass;
    this.#gapFlag = isSymbolPass ? SymbolFlag.gapAny : SymbolFlag.gapWord;
    const { codePoints, flags, length } = this.stream;
    const { asciiIds, asciiReadings, ids, readings, idM, idD, idW, idR, idN, idC, idL, idV } = this.tables;
    const { outStart, outPatterns, dictLink } = automaton;
    const gapFlag = this.#gapFlag;
    // The states before the previous symbol are kept for two-letter look-alikes ("rn" read as m).
    let active = new Int32Array(MAX_ACTIVE);
    let before = new Int32Array(MAX_ACTIVE);
    let activeCount = 1;
    let beforeCount = 0;
    let previous = -1;
    const tried = new Map<number, number>();
    this.#next = new Int32Array(MAX_ACTIVE);

    for (let i = 0; i < length; i++) {
      const f = flags[i];
      if (!isSymbolPass && f & SymbolFlag.symbol) continue;
      const cp = codePoints[i];
      this.#nextCount = 0;
      if (f & SymbolFlag.soft) for (let a = 0; a < activeCount; a++) this.#push(active[a]);
      const multi = cp < 128 ? asciiReadings[cp] : readings.get(cp);
      if (multi !== undefined) {
        for (let a = 0; a < activeCount; a++) for (let r = 0; r < multi.length; r++) this.#push(move(automaton, active[a], multi[r]));
      } else {
        const id = cp < 128 ? asciiIds[cp] : (ids.get(cp) ?? 0);
        if (activeCount === 1 && this.#nextCount === 0) this.#next[this.#nextCount++] = move(automaton, active[0], id);
        else for (let a = 0; a < activeCount; a++) this.#push(move(automaton, active[a], id));
      }
      if (previous >= 0 && !(f & (gapFlag | SymbolFlag.soft)) && !(flags[previous] & SymbolFlag.soft)) {
        const pcp = codePoints[previous];
        const pairId = pcp === CP_R && cp === CP_N ? idM : pcp === CP_C && cp === CP_L ? idD : 0;
        if (pairId !== 0) for (let b = 0; b < beforeCount; b++) this.#push(move(automaton, before[b], pairId));
      }
      if (idW !== 0 && cp === CP_V && f & SymbolFlag.repeated) for (let a = 0; a < activeCount; a++) this.#push(move(automaton, active[a], idW));
      // Both ways: the text's "m", "d", "w" may stand for the term's "rn", "cl", "vv" (one v, runs collapse).
      if (!(f & SymbolFlag.soft)) {
        const first = cp === CP_M ? idR : cp === CP_D ? idC : 0;
        const second = cp === CP_M ? idN : cp === CP_D ? idL : 0;
        if (first !== 0 && second !== 0) for (let a = 0; a < activeCount; a++) this.#push(move(automaton, move(automaton, active[a], first), second));
        if (idV !== 0 && cp === CP_W) for (let a = 0; a < activeCount; a++) this.#push(move(automaton, active[a], idV));
      }
      const next = this.#next;
      if (this.#nextCount === 0) next[this.#nextCount++] = ROOT;
      const nextCount = this.#nextCount;

      for (let k = 0; k < nextCount; k++) {
        const s = next[k];
        let o = outStart[s] < outStart[s + 1] ? s : dictLink[s];
        while (o >= 0) {
          for (let p = outStart[o]; p < outStart[o + 1]; p++) {
            this.#candidate(outPatterns[p], i, tried);
            if (this.isDone()) return;
          }
          o = dictLink[o];
        }
      }

      const spare = before;
      before = active;
      beforeCount = activeCount;
      active = next;
      activeCount = nextCount;
      this.#next = spare;
      previous = i;
    }
  }

  #push(state: number): void {
    const next = this.#next;
    const count = this.#nextCount;
    for (let k = 0; k < count; k++) if (next[k] === state) return;
    if (count < MAX_ACTIVE) next[this.#nextCount++] = state;
  }

  #candidate(patternIndex: number, endIndex: number, tried: Map<number, number>): void {
    const pattern = this.tables.patterns[patternIndex];
    const lastId = pattern.symbols[pattern.symbols.length - 1];
    // Let the match end after a run of its last letter ("vornaxlee e").
    let end = endIndex;
    for (let n = 0; n < 64; n++) {
      const k = this.#nextIndex(end);
      if (k < 0 || this.stream.flags[k] & this.#gapFlag || !this.#reads(k, lastId)) break;
      end = k;
    }
    if (tried.get(patternIndex) === end) return;
    tried.set(patternIndex, end);

    this.#pattern = pattern;
    this.#memo.clear();
    this.#gapBits = 0;
    this.#steps = Math.min(VERIFY_STEPS, this.#budget);
    let start = this.#read(pattern.symbols.length - 1, end, pattern.symbols.length);
    this.#budget -= Math.min(VERIFY_STEPS, this.#budget) - this.#steps;
    if (start === -2) start = this.#approximateStart(end, pattern.symbols.length); // out of budget: keep the hit
    if (start < 0) return;

    const isWhole = this.#isWordStart(start) && this.#isWordEnd(end);
    if (pattern.isShort && !isWhole) return;
    let view: TextView;
    if (this.#isSymbolPass) view = "emoji";
    else if (this.#gapBits & GAP_SPACED) view = "spaced";
    else if (this.#gapBits & GAP_PHRASE) view = "phrase";
    else view = isWhole ? "word" : "inside-word";
    // A term inside an ordinary word the text spells out around it ("carpenter" round "arpente") is the word.
    if (view === "inside-word" && this.#isInOrdinaryWord(start, end)) return;
    this.#addHits(pattern, start, end, view);
  }

  /** The approximate stage: misspellings of long single-word terms that no exact reading found. */
  approximate(approximate: ApproximateTables): void {
    const found = findApproximate(this.tables, approximate, this.stream, this.stopAtFirst ? 1 : Number.POSITIVE_INFINITY, () => dictionaryOf(this.tables));
    for (const hit of found) {
      const pattern = this.tables.patterns[hit.pattern];
      // A misspelling written as a name ("new Crandovle trainers") reads as one: brands, places and people
      // are the open class of words no word list holds. An exact reading is still a hit.
      if (this.#isWrittenAsName(hit.misspeltStart, hit.misspeltEnd)) continue;
      if (!hit.isWholeWord && this.#isInOrdinaryWord(hit.startIndex, hit.endIndex)) continue;
      // An exact reading of the same term over the same place says more.
      if (this.#exactSpans.some(([p, s, e]) => p === hit.pattern && s <= hit.endIndex && hit.startIndex <= e)) continue;
      this.#addHits(pattern, hit.startIndex, hit.endIndex, hit.isPhrase ? "phrase" : hit.isWholeWord ? "word" : "inside-word", hit.distance);
    }
  }

  #addHits(pattern: Pattern, startIndex: number, endIndex: number, view: TextView, distance = 0): void {
    if (distance === 0) this.#exactSpans.push([this.tables.patterns.indexOf(pattern), startIndex, endIndex]);
    const { starts, ends } = this.stream;
    let start = Infinity;
    let end = -Infinity;
    // In reading order a span may be out of logical order (bidi), hence min/max.
    for (let i = startIndex; i <= endIndex; i++) {
      if (starts[i] < start) start = starts[i];
      if (ends[i] > end) end = ends[i];
    }
    for (const entryIndex of pattern.entries) {
      const key = `${entryIndex}:${start}:${end}`;
      if (this.#seen.has(key)) continue;
      this.#seen.add(key);
      const entry = this.tables.entries[entryIndex];
      const matched = this.text.slice(start, end);
      this.hits.push({
        term: entry.term,
        category: entry.category,
        severity: entry.severity,
        entryIndex,
        view,
        start,
        end,
        matched,
        how: distance > 0 ? "approximate" : asWritten(matched) === asWritten(entry.term) ? "exact" : "folded",
        distance,
      });
    }
  }

  /**
   * Reads pattern symbol `j` ending at stream index `k`, going backwards;
   * `later` is the pattern symbol read at the next index after `k`
   * (`symbols.length` when `k` is the match's end). Returns the stream index
   * where the match starts, -1 when this path fails, -2 when out of steps.
   */
  #read(j: number, k: number, later: number): number {
    if (k < 0) return -1;
    if (--this.#steps < 0) return -2;
    const pattern = this.#pattern;
    const m = pattern.symbols.length;
    const key = (j * (m + 1) + later) * (this.stream.length + 1) + k;
    if (this.#memo.has(key)) return -1;
    this.#memo.add(key);

    let gapBit = 0;
    if (later < m) {
      const after = this.#nextIndex(k);
      if (this.stream.flags[after] & this.#gapFlag) {
        gapBit = this.#gapAllowed(later, k, after);
        if (gapBit === 0) return -1;
      }
    }
    const flags = this.stream.flags[k];
    const id = pattern.symbols[j];

    // k reads as symbol j; then either k-1 reads j again (a run), or j-1, or the match starts at k.
    if (this.#reads(k, id)) {
      const r = this.#continue(j, k, this.#previousIndex(k));
      if (r !== -1) return this.#track(r, gapBit);
    }
    // k-1 and k together read as symbol j ("rn" as m).
    const p = this.#previousIndex(k);
    if (p >= 0 && !(flags & this.#gapFlag) && this.#readsPair(p, k, id)) {
      const r = this.#continue(j, p, this.#previousIndex(p));
      if (r !== -1) return this.#track(r, gapBit);
    }
    // k alone reads as symbols j-1 and j ("m" as r, n).
    if (j > 0 && this.#readsSplit(k, pattern.symbols[j - 1], id)) {
      const r = j === 1 ? k : this.#read(j - 2, p, j - 1);
      if (r !== -1) return this.#track(r, gapBit);
    }
    // Soft leet punctuation inside the match may be nothing at all ("cr4v@l" as "crav" + "l").
    if (flags & SymbolFlag.soft && later < m && p >= 0) {
      const r = this.#read(j, p, later);
      if (r !== -1) return this.#track(r, gapBit);
    }
    return -1;
  }

  #continue(j: number, k: number, p: number): number {
    let r = this.#read(j, p, j);
    if (r !== -1) return r;
    if (j === 0) return k;
    r = this.#read(j - 1, p, j);
    return r;
  }

  #track(result: number, gapBit: number): number {
    if (result >= 0) this.#gapBits |= gapBit;
    return result;
  }

  /** Whether a separator may stand between stream indices `left` and `right`, where `right` reads pattern symbol `later`. */
  #gapAllowed(later: number, left: number, right: number): number {
    const pattern = this.#pattern;
    if (pattern.breakBefore[later] || pattern.isCompound) return GAP_PHRASE;
    if (pattern.isSpreadable) {
      const max = this.tables.options.spacedMaxPieceLetters;
      if (this.#pieceLetters(left, max) <= max && this.#pieceLetters(right, max) <= max) return GAP_SPACED;
    }
    return 0;
  }

  /**
   * Letters in the word around stream index `k`, counted up to `max + 1`;
   * soft leet punctuation counts none, and a run of one letter ("III") one.
   */
  #pieceLetters(k: number, max: number): number {
    const { flags, codePoints } = this.stream;
    let count = flags[k] & SymbolFlag.soft ? 0 : 1;
    for (let i = k; count <= max && !(flags[i] & this.#gapFlag); ) {
      const p = this.#previousIndex(i);
      if (p < 0) break;
      if (!(flags[p] & SymbolFlag.soft) && codePoints[p] !== codePoints[i]) count++;
      i = p;
    }
    for (let i = k, n = this.#nextIndex(k); count <= max && n >= 0 && !(flags[n] & this.#gapFlag); i = n, n = this.#nextIndex(n)) {
      if (!(flags[n] & SymbolFlag.soft) && codePoints[n] !== codePoints[i]) count++;
    }
    return count;
  }

  #reads(k: number, id: number): boolean {
    const cp = this.stream.codePoints[k];
    const { asciiIds, ids, readings, idW } = this.tables;
    if ((cp < 128 ? asciiIds[cp] : ids.get(cp)) === id) return true;
    const multi = readings.get(cp);
    if (multi !== undefined && multi.includes(id)) return true;
    if (id === idW && idW !== 0 && cp === CP_V && (this.stream.flags[k] & SymbolFlag.repeated) !== 0) return true;
    return id === this.tables.idV && id !== 0 && cp === CP_W && (this.stream.flags[k] & SymbolFlag.soft) === 0;
  }

  /** Whether the single symbol at `k` reads as the two pattern symbols `a`, `b` ("m" as "rn", "d" as "cl"). */
  #readsSplit(k: number, a: number, b: number): boolean {
    if (this.stream.flags[k] & SymbolFlag.soft) return false;
    const cp = this.stream.codePoints[k];
    const { idR, idN, idC, idL } = this.tables;
    return (cp === CP_M && idR !== 0 && a === idR && b === idN) || (cp === CP_D && idC !== 0 && a === idC && b === idL);
  }

  #readsPair(p: number, k: number, id: number): boolean {
    const { codePoints, flags } = this.stream;
    if ((flags[p] | flags[k]) & SymbolFlag.soft) return false;
    const a = codePoints[p];
    const b = codePoints[k];
    const { idM, idD } = this.tables;
    return (id === idM && idM !== 0 && a === CP_R && b === CP_N) || (id === idD && idD !== 0 && a === CP_C && b === CP_L);
  }

  #isWordStart(k: number): boolean {
    const flags = this.stream.flags;
    if (flags[k] & this.#gapFlag) return true;
    const p = this.#previousIndex(k);
    return p < 0 || (flags[p] & SymbolFlag.soft) !== 0 || this.#isCamelBreak(p, k);
  }

  #isWordEnd(k: number): boolean {
    const flags = this.stream.flags;
    const n = this.#nextIndex(k);
    return n < 0 || (flags[n] & (this.#gapFlag | SymbolFlag.soft)) !== 0 || this.#isCamelBreak(k, n);
  }

  /** CamelCase word break between adjacent `p` and `k`: "loveXpl", "XMLHttp". */
  #isCamelBreak(p: number, k: number): boolean {
    const flags = this.stream.flags;
    const upper = (i: number) => (flags[i] & (SymbolFlag.letter | SymbolFlag.upper)) === (SymbolFlag.letter | SymbolFlag.upper);
    const lower = (i: number) => (flags[i] & (SymbolFlag.letter | SymbolFlag.upper)) === SymbolFlag.letter;
    if (lower(p) && upper(k)) return true;
    if (!upper(p) || !upper(k)) return false;
    const n = this.#nextIndex(k);
    return n >= 0 && !(flags[n] & this.#gapFlag) && lower(n);
  }

  /** Whether an ordinary (vocabulary) word spelt out in the text holds stream span `[start, end]` and reaches past it. */
  #isInOrdinaryWord(start: number, end: number): boolean {
    if (this.#coveringBudget.left <= 0) return false;
    const sets = dictionaryOf(this.tables);
    if (sets.hashes.length === 0) return false;
    const [wordStart, wordEnd] = this.#letterRun(start, end, true, sets.maxLength);
    return isInsideOrdinaryWord(sets, this.stream, start, end, wordStart, wordEnd, this.#coveringBudget);
  }

  /**
   * The run of word characters around stream span `[start, end]`: up to a
   * separator, emoji or the text's ends, and with `stopAtSoft` also leet
   * punctuation (`c@rpenter` is disguised, not spelt out); at most `reach`
   * symbols each side, so an endless word costs no more per hit than a short one.
   */
  #letterRun(start: number, end: number, stopAtSoft: boolean, reach: number): [number, number] {
    const flags = this.stream.flags;
    const stop = stopAtSoft ? SymbolFlag.soft : 0;
    let a = start;
    for (let p = this.#previousIndex(a), n = 0; n < reach && p >= 0 && !(flags[a] & SymbolFlag.gapWord) && !(flags[p] & stop); p = this.#previousIndex(a), n++) a = p;
    let b = end;
    for (let q = this.#nextIndex(b), n = 0; n < reach && q >= 0 && !(flags[q] & (SymbolFlag.gapWord | stop)); q = this.#nextIndex(b), n++) b = q;
    return [a, b];
  }

  /** Whether the word around `[start, end]` is written as a name (see names.ts; an endless word is none). */
  #isWrittenAsName(start: number, end: number): boolean {
    const [a, b] = this.#letterRun(start, end, false, NAME_REACH);
    const flags = this.stream.flags;
    const before = this.#previousIndex(a);
    const after = this.#nextIndex(b);
    if ((before >= 0 && !(flags[a] & SymbolFlag.gapWord)) || (after >= 0 && !(flags[after] & SymbolFlag.gapWord))) return false;
    return isWrittenAsName(this.text, this.stream, a, b, start, end);
  }

  #approximateStart(end: number, symbols: number): number {
    let k = end;
    for (let n = 1; n < symbols; n++) {
      const p = this.#previousIndex(k);
      if (p < 0) break;
      k = p;
    }
    return k;
  }

  #previousIndex(k: number): number {
    if (this.#isSymbolPass) return k - 1;
    const flags = this.stream.flags;
    let i = k - 1;
    while (i >= 0 && flags[i] & SymbolFlag.symbol) i--;
    return i;
  }

  #nextIndex(k: number): number {
    const { flags, length } = this.stream;
    let i = k + 1;
    if (!this.#isSymbolPass) while (i < length && flags[i] & SymbolFlag.symbol) i++;
    return i < length ? i : -1;
  }
}
