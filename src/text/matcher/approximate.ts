import { SymbolFlag, type TextStream } from "../normalize/stream.js";
import { foldedWord, isVocabularyWord, NO_WORDS, type DictionarySets } from "./dictionary.js";
import { buildAutomaton, step, ROOT, type Automaton } from "./automaton.js";
import type { Pattern } from "./compile.js";

/**
 * The approximate stage (issue 9): misspellings of long terms, found after
 * exact matching by a verified-candidate scheme. A term of m symbols within k
 * edits of a text has, by pigeonhole, one of its k+1 pieces written exactly;
 * one Aho–Corasick automaton over all pieces finds those places, and a banded
 * edit-distance (insertions, deletions, substitutions, adjacent
 * transpositions) verifies each, reading each text symbol as any of its
 * readings (leetspeak, look-alikes). A hit inside a vocabulary word (a
 * dictionary word one edit from a term) is no hit.
 */
export interface ApproximateTables {
  /** Automaton over the pieces; its outputs index `pieces`. */
  readonly automaton: Automaton;
  readonly pieces: ReadonlyArray<{ readonly pattern: number; readonly offset: number; readonly length: number }>;
  /** Edits allowed per pattern index (0: not matched approximately). */
  readonly maxEdits: Int32Array;
  /** 1 for phrases: their words are read one by one (one word misspelt, the others as written). */
  readonly isPhrase: Uint8Array;
}

/** What the approximate stage needs from the compiled lexicon. */
export interface ApproximateContext {
  readonly patterns: readonly Pattern[];
  readonly asciiIds: Int32Array;
  readonly ids: ReadonlyMap<number, number>;
  readonly readings: ReadonlyMap<number, Int32Array>;
}

/** One approximate hit: pattern, stream span and distance. */
export interface ApproximateHit {
  readonly pattern: number;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly distance: number;
  readonly isWholeWord: boolean;
  /** Stream span (inclusive) of the misspelt word: the hit itself, or for a phrase the one word that differs. */
  readonly misspeltStart: number;
  readonly misspeltEnd: number;
  readonly isPhrase: boolean;
}

/** Terms with at least this many letters match within one edit; with `TWO_EDITS_LETTERS`, two. */
export const ONE_EDIT_LETTERS = 6;
export const TWO_EDITS_LETTERS = 10;
/** The shortest piece: pieces of one or two letters occur in most ordinary words, and each occurrence costs a verification. */
const MIN_PIECE = 3;
/**
 * Edit-distance cells computed per text at most: a hostile text full of
 * near-pieces (a megabyte of "vornvorn...") costs a bounded amount, like the
 * exact stage's step budget; an ordinary text uses a tiny part of it.
 */
const CELL_BUDGET = 1_000_000;

/** Builds the piece automaton. */
export function compileApproximate(context: ApproximateContext, alphabetSize: number): ApproximateTables | null {
  const pieces: Array<{ pattern: number; offset: number; length: number }> = [];
  const pieceSymbols: Int32Array[] = [];
  const maxEdits = new Int32Array(context.patterns.length);
  const isPhrase = new Uint8Array(context.patterns.length);
  context.patterns.forEach((p, index) => {
    if (p.hasSymbols || p.isShort || p.letters < ONE_EDIT_LETTERS) return;
    if (p.breakBefore.some((b) => b === 1)) {
      // A phrase: one word misspelt and the others as written, so every other word is a piece
      // written exactly (pigeonhole over words); words of one or two letters are no pieces.
      const words = wordsOf(p.breakBefore);
      const eligible = words.filter(([from, to]) => to - from >= MIN_PIECE);
      if (eligible.length < 2) return;
      isPhrase[index] = 1;
      maxEdits[index] = words.some(([from, to]) => to - from >= TWO_EDITS_LETTERS) ? 2 : 1;
      for (const [from, to] of eligible) {
        pieces.push({ pattern: index, offset: from, length: to - from });
        pieceSymbols.push(p.symbols.slice(from, to));
      }
      return;
    }
    // Hashtag compounds ("#mossyteacup") are read as the one word they are written as, with one edit:
    // they are several words whose breaks are unknown, and a phrase gets one edit in one word.
    const k = p.letters >= TWO_EDITS_LETTERS && !p.isCompound ? 2 : 1;
    const m = p.symbols.length;
    if (m < MIN_PIECE * (k + 1)) return; // shorter pieces would make every ordinary word a candidate
    maxEdits[index] = k;
    // A transposition is one edit that touches two symbols, maybe in two pieces: 2k+1 pieces keep
    // one intact whenever the term is long enough for pieces of three symbols or more.
    const count = m >= MIN_PIECE * (2 * k + 1) ? 2 * k + 1 : k + 1;
    for (let piece = 0; piece < count; piece++) {
      const from = Math.floor((piece * m) / count);
      const to = Math.floor(((piece + 1) * m) / count);
      pieces.push({ pattern: index, offset: from, length: to - from });
      pieceSymbols.push(p.symbols.slice(from, to));
    }
  });
  if (pieces.length === 0) return null;
  const automaton = buildAutomaton(pieceSymbols, alphabetSize);
  return { automaton, pieces, maxEdits, isPhrase };
}

/** The words of a pattern as [from, to) symbol ranges, cut where `breakBefore` is 1. */
function wordsOf(breakBefore: Uint8Array): Array<[number, number]> {
  const words: Array<[number, number]> = [];
  let from = 0;
  for (let j = 1; j <= breakBefore.length; j++) {
    if (j === breakBefore.length || breakBefore[j] === 1) {
      words.push([from, j]);
      from = j;
    }
  }
  return words;
}

/** Whether the approximate stage flags `word` (read as a text of its own), no guard applied: the dictionary's test. */
export function isApproximateWord(context: ApproximateContext, tables: ApproximateTables, word: string, streamOf: () => TextStream): boolean {
  return word.length >= ONE_EDIT_LETTERS - 1 && mayHavePiece(context, tables, word) && findApproximate(context, tables, streamOf(), 1, () => NO_WORDS).length > 0;
}

/** A cheap filter for plain ASCII words: whether any piece occurs in the word as written. Other words pass. */
function mayHavePiece(context: ApproximateContext, tables: ApproximateTables, word: string): boolean {
  let state = ROOT;
  for (let i = 0; i < word.length; i++) {
    let c = word.charCodeAt(i);
    if (c >= 128) return true;
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    const id = context.asciiIds[c];
    state = id === 0 ? ROOT : step(tables.automaton, state, id);
    if (tables.automaton.outStart[state] < tables.automaton.outStart[state + 1] || tables.automaton.dictLink[state] >= 0) return true;
  }
  return false;
}

/**
 * Approximate hits in `stream`, at most `limit`: each a pattern within its
 * allowed edits of a stretch of one word, with at least one edit (exact
 * readings are the exact stage's), outside the vocabulary guard.
 */
export function findApproximate(context: ApproximateContext, tables: ApproximateTables, stream: TextStream, limit: number, guard: () => DictionarySets): ApproximateHit[] {
  const hits: ApproximateHit[] = [];
  const { automaton, pieces } = tables;
  const { codePoints, flags, length } = stream;
  const tried = new Set<number>();
  let budget = CELL_BUDGET;
  let wordStart = 0;
  let wordEnd = -1;
  let state = ROOT;
  for (let i = 0; i < length; i++) {
    const f = flags[i];
    if (f & SymbolFlag.symbol || f & SymbolFlag.gapWord) {
      state = ROOT;
      wordStart = i;
      if (f & SymbolFlag.symbol) {
        wordStart = i + 1;
        continue;
      }
    }
    if (i >= wordEnd) wordEnd = endOfWord(stream, i);
    const id = primaryId(context, codePoints[i]);
    state = id === 0 ? ROOT : step(automaton, state, id);
    for (let o = automaton.outStart[state] < automaton.outStart[state + 1] ? state : automaton.dictLink[state]; o >= 0; o = automaton.dictLink[o]) {
      for (let q = automaton.outStart[o]; q < automaton.outStart[o + 1]; q++) {
        const piece = pieces[automaton.outPatterns[q]];
        const k = tables.maxEdits[piece.pattern];
        const m = context.patterns[piece.pattern].symbols.length;
        const expectedStart = i - piece.length + 1 - piece.offset;
        const isPhrase = tables.isPhrase[piece.pattern] === 1;
        // A word shorter than the term less its edits cannot hold it (a phrase spans several words).
        if (!isPhrase && wordEnd - wordStart < m - k) continue;
        // A phrase word written exactly is common ("time", "club"): look at its neighbour first.
        if (isPhrase && !neighbourMayFollow(context, stream, piece, i)) continue;
        const key = piece.pattern * 67_108_864 + Math.max(0, expectedStart + 8);
        if (tried.has(key)) continue;
        tried.add(key);
        const cells = (m + 1) * (m + 3 * k + 1);
        if ((budget -= cells) < 0) return hits;
        const hit = isPhrase
          ? verify(context, stream, piece.pattern, k, phraseFrom(stream, i - piece.length + 1, expectedStart - k), phraseTo(stream, i), -1, guard)
          : verify(context, stream, piece.pattern, k, Math.max(wordStart, expectedStart - k), wordEnd, wordStart, guard);
        if (hit === null) continue;
        hits.push(hit);
        if (hits.length >= limit) return hits;
      }
    }
  }
  return hits;
}

/**
 * Whether the phrase word next to `piece` (which ends at stream index `end`)
 * may be there within one or two edits: one of its first two symbols (for the
 * last piece, the word before it and its last two) is read at one of the two
 * text positions next to the piece. Any one or two edits leave that much, and
 * most other words fail it, so most candidates cost no edit distance.
 */
function neighbourMayFollow(context: ApproximateContext, stream: TextStream, piece: { readonly pattern: number; readonly offset: number; readonly length: number }, end: number): boolean {
  const symbols = context.patterns[piece.pattern].symbols;
  const after = piece.offset + piece.length;
  const isLast = after >= symbols.length;
  const step = isLast ? -1 : 1;
  const at = isLast ? end - piece.length : end + 1;
  const near = isLast ? piece.offset - 1 : after;
  if (near < 0 || near >= symbols.length) return true;
  const a = symbols[near];
  const b = near + step >= 0 && near + step < symbols.length ? symbols[near + step] : a;
  for (let t = at, n = 0; n < 2 && t >= 0 && t < stream.length && !(stream.flags[t] & SymbolFlag.symbol); t += step, n++) {
    const cp = stream.codePoints[t];
    if (reads(context, cp, a) || reads(context, cp, b)) return true;
  }
  return false;
}

/** Where a phrase's window may start: `want`, or later when an emoji or the text's start stands between it and `from`. */
function phraseFrom(stream: TextStream, from: number, want: number): number {
  let a = from;
  while (a > want && a > 0 && !(stream.flags[a - 1] & SymbolFlag.symbol)) a--;
  return a;
}

/** The first index after `i` that a phrase's window may not reach: the next emoji, or the end. */
function phraseTo(stream: TextStream, i: number): number {
  let e = i + 1;
  while (e < stream.length && !(stream.flags[e] & SymbolFlag.symbol)) e++;
  return e;
}

/** The first index after the word holding `i` (the next gap or emoji, or the end). */
function endOfWord(stream: TextStream, i: number): number {
  let e = i + 1;
  while (e < stream.length && !(stream.flags[e] & (SymbolFlag.gapWord | SymbolFlag.symbol))) e++;
  return e;
}

function primaryId(context: ApproximateContext, cp: number): number {
  const own = cp < 128 ? context.asciiIds[cp] : (context.ids.get(cp) ?? 0);
  if (own !== 0) return own;
  const multi = context.readings.get(cp);
  return multi !== undefined && multi.length > 0 ? multi[0] : 0;
}

function reads(context: ApproximateContext, cp: number, id: number): boolean {
  if ((cp < 128 ? context.asciiIds[cp] : context.ids.get(cp)) === id) return true;
  const multi = context.readings.get(cp);
  return multi !== undefined && multi.includes(id);
}

// Edit-distance tables reused from one verification to the next (matching is synchronous).
let scratchD = new Int32Array(1024);
let scratchStart = new Int32Array(1024);

/**
 * Optimal-string-alignment distance of pattern `p` against any stretch of
 * `stream[from, to)` (free start and end), banded by the window; returns the
 * best stretch when within `k` edits and at least one, else null. For a
 * single word the window is one word (`wordStart` its start); for a phrase
 * (`wordStart` -1) it may cross separators, but only where the term has a
 * word break, and the stretch must be whole words with one word misspelt.
 */
function verify(context: ApproximateContext, stream: TextStream, p: number, k: number, from: number, wordEnd: number, wordStart: number, sets: () => DictionarySets): ApproximateHit | null {
  const pattern = context.patterns[p];
  const symbols = pattern.symbols;
  const breakBefore = pattern.breakBefore;
  const isPhrase = wordStart < 0;
  const m = symbols.length;
  const to = Math.min(wordEnd, from + m + 2 * k);
  const width = to - from;
  if (width < m - k) return null;
  // rows: pattern prefix length 0..m; columns: text positions from..to (width+1)
  const cols = width + 1;
  const d = scratchD.length >= (m + 1) * cols ? scratchD : (scratchD = new Int32Array((m + 1) * cols * 2));
  const start = scratchStart.length >= (m + 1) * cols ? scratchStart : (scratchStart = new Int32Array((m + 1) * cols * 2));
  for (let c = 0; c < cols; c++) {
    d[c] = 0;
    start[c] = from + c;
  }
  const cps = stream.codePoints;
  const flags = stream.flags;
  const FAR = 1 << 20;
  for (let r = 1; r <= m; r++) {
    const id = symbols[r - 1];
    d[r * cols] = r;
    start[r * cols] = from;
    for (let c = 1; c < cols; c++) {
      const at = r * cols + c;
      // In a phrase, a separator before this text symbol must fall at one of the term's word breaks.
      const isGap = isPhrase && (flags[from + c - 1] & SymbolFlag.gapWord) !== 0;
      const cost = reads(context, cps[from + c - 1], id) ? 0 : 1;
      let best = isGap && r > 1 && breakBefore[r - 1] !== 1 ? FAR : d[(r - 1) * cols + c - 1] + cost;
      let origin = start[(r - 1) * cols + c - 1];
      if (d[(r - 1) * cols + c] + 1 < best) {
        best = d[(r - 1) * cols + c] + 1;
        origin = start[(r - 1) * cols + c];
      }
      if (!isGap && d[r * cols + c - 1] + 1 < best) {
        best = d[r * cols + c - 1] + 1;
        origin = start[r * cols + c - 1];
      }
      if (!isGap && r >= 2 && c >= 2 && reads(context, cps[from + c - 2], id) && reads(context, cps[from + c - 1], symbols[r - 2]) && d[(r - 2) * cols + c - 2] + 1 < best) {
        best = d[(r - 2) * cols + c - 2] + 1;
        origin = start[(r - 2) * cols + c - 2];
      }
      d[at] = best;
      start[at] = origin;
    }
  }
  let bestCol = -1;
  for (let c = 1; c < cols; c++) {
    const v = d[m * cols + c];
    // Prefer the smallest distance, then the longest stretch (a word's own end).
    if (v <= k && (bestCol < 0 || v < d[m * cols + bestCol] || (v === d[m * cols + bestCol] && c > bestCol))) bestCol = c;
  }
  if (bestCol < 0) return null;
  const distance = d[m * cols + bestCol];
  if (distance === 0) return null;
  const startIndex = start[m * cols + bestCol];
  const endIndex = from + bestCol - 1;
  if (endIndex < startIndex) return null;
  if (isPhrase) return phraseHit(context, stream, p, startIndex, endIndex, distance, sets);
  const wordEndIndex = wordEnd - 1;
  const isWholeWord = startIndex === wordStart && endIndex === wordEndIndex;
  // Two edits are a misspelling only in a word of its own and not as two letters swapped for others:
  // "spindreljaq" or "spindrelight" are other words that share most of a term's letters.
  if (distance === 2 && (!isWholeWord || isTwoSubstitutions(context, symbols, stream, startIndex, endIndex))) return null;
  const guard = sets().approximate;
  if (guard.has(foldedWord(stream, startIndex, endIndex)) || guard.has(foldedWord(stream, wordStart, wordEndIndex))) return null;
  return { pattern: p, startIndex, endIndex, distance, isWholeWord, misspeltStart: startIndex, misspeltEnd: endIndex, isPhrase: false };
}

/**
 * A phrase within its edits of `stream[startIndex..endIndex]`, judged word by
 * word: the stretch is whole words; written with its words apart, exactly one
 * word differs from the term's (of three letters or more, two edits only in a
 * word of ten or more, and no vocabulary word: "velvet lanterns club" is other
 * words); written joined, the joined word is read as one misspelt word.
 */
function phraseHit(context: ApproximateContext, stream: TextStream, p: number, startIndex: number, endIndex: number, distance: number, sets: () => DictionarySets): ApproximateHit | null {
  const flags = stream.flags;
  const isStart = startIndex === 0 || (flags[startIndex] & SymbolFlag.gapWord) !== 0 || (flags[startIndex - 1] & SymbolFlag.symbol) !== 0;
  const isEnd = endIndex === stream.length - 1 || (flags[endIndex + 1] & (SymbolFlag.gapWord | SymbolFlag.symbol)) !== 0;
  if (!isStart || !isEnd) return null;
  const symbols = context.patterns[p].symbols;
  const termWords = wordsOf(context.patterns[p].breakBefore);
  const textWords: Array<[number, number]> = [];
  for (let i = startIndex, s = startIndex; i <= endIndex + 1; i++) {
    if (i === endIndex + 1 || (i > s && flags[i] & SymbolFlag.gapWord)) {
      textWords.push([s, i]);
      s = i;
    }
  }
  let misspelt: [number, number] | null = null;
  let misspeltLength = 0;
  if (textWords.length === termWords.length) {
    for (let w = 0; w < termWords.length; w++) {
      const [ts, te] = textWords[w];
      const [ps, pe] = termWords[w];
      let same = te - ts === pe - ps;
      for (let i = 0; same && i < pe - ps; i++) same = reads(context, stream.codePoints[ts + i], symbols[ps + i]);
      if (same) continue;
      if (misspelt !== null) return null;
      misspelt = [ts, te - 1];
      misspeltLength = pe - ps;
    }
    if (misspelt === null || misspeltLength < MIN_PIECE || (distance === 2 && misspeltLength < TWO_EDITS_LETTERS)) return null;
  } else {
    if (distance === 2) return null;
    misspelt = [startIndex, endIndex];
  }
  if (isVocabularyWord(sets(), foldedWord(stream, misspelt[0], misspelt[1]))) return null;
  return { pattern: p, startIndex, endIndex, distance, isWholeWord: true, misspeltStart: misspelt[0], misspeltEnd: misspelt[1], isPhrase: true };
}

/** Whether `stream[from..to]` is the pattern with exactly two of its symbols replaced (same length, two mismatches). */
function isTwoSubstitutions(context: ApproximateContext, symbols: Int32Array, stream: TextStream, from: number, to: number): boolean {
  if (to - from + 1 !== symbols.length) return false;
  let mismatches = 0;
  for (let i = 0; i < symbols.length; i++) if (!reads(context, stream.codePoints[from + i], symbols[i])) mismatches++;
  return mismatches === 2;
}
