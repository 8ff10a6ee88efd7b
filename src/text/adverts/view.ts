import { displayCodePoint } from "../normalize/glyphs.js";
import { readStream, SymbolFlag } from "../normalize/stream.js";

/**
 * A string the feature patterns read, with every UTF-16 unit mapped back to a
 * span of the original text. Units that stand for nothing in the original (a
 * separator the normaliser wrote as one space) map to -1.
 */
export interface TextView {
  readonly text: string;
  /** Start in the original text of the unit at each index, or -1; null when the view is the original itself. */
  readonly starts: Int32Array | null;
  /** End (exclusive) in the original text of the unit at each index, or -1; null when the view is the original itself. */
  readonly ends: Int32Array | null;
}

/** A span of the original text, in UTF-16 code units, with the text it covers. */
export interface OriginalSpan {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** The raw text itself: URLs, numbers and case survive here. */
export function rawView(text: string): TextView {
  return { text, starts: null, ends: null };
}

// A visible character of the original: what a collapsed run is counted in (marks, joiners, skin tones are not).
const VISIBLE = /[\p{L}\p{N}\p{So}\p{Sc}\p{Sm}\p{P}]/u;
const DIGIT = /[0-9]/;

/**
 * The normaliser's reading (look-alikes folded, invisible characters gone,
 * lower case, separators as single spaces), lower-cased once more so that the
 * normaliser's ambiguous "I" (i or l) reads as "i".
 *
 * The normaliser collapses runs ("vorrrn" is "vorn"), which is right for
 * lexicon terms but wrong here: "$100" must not read "$10", nor "33 y/o" read
 * "3 y/o", nor "middle" read "midle". So runs are restored: digits in full,
 * other characters up to two ("fourteeeen" still reads "fourteen").
 */
export function foldedView(text: string, maxChars: number): TextView {
  // Read from the normaliser's stream (shared with the lexicon scans of the same text), as `normalizeText` would write it.
  return readStream(text, maxChars, (stream) => {
    let out = "";
    const starts: number[] = [];
    const ends: number[] = [];
    for (let symbol = 0; symbol < stream.length; symbol++) {
      if (symbol > 0 && stream.flags[symbol] & SymbolFlag.gapAny) {
        out += " ";
        starts.push(-1);
        ends.push(-1);
      }
      const cp = displayCodePoint(stream.codePoints[symbol]);
      const width = cp > 0xffff ? 2 : 1;
      const start = stream.starts[symbol];
      const end = stream.ends[symbol];
      // "I" is the normaliser's i-or-l; read it as i.
      const ch = cp === 0x49 ? "i" : String.fromCodePoint(cp);
      let copies = 1;
      if (end - start > width) {
        let visible = 0;
        for (const c of text.slice(start, end)) if (VISIBLE.test(c)) visible++;
        copies = DIGIT.test(ch) ? Math.max(1, visible) : Math.min(2, Math.max(1, visible));
      }
      for (let k = 0; k < copies; k++) {
        out += ch;
        for (let u = 0; u < ch.length; u++) {
          starts.push(start);
          ends.push(end);
        }
      }
    }
    return { text: out, starts: Int32Array.from(starts), ends: Int32Array.from(ends) };
  });
}

/**
 * Joins runs of at least three one-character words ("f o u r t e e n",
 * "1 4 y o") so that letters spread out by spaces read as the word they spell.
 * Other spaces stay.
 */
export function despacedView(view: TextView): TextView {
  const { text } = view;
  if (view.starts === null || view.ends === null) throw new TypeError("despacedView reads a folded view, not the raw text");
  const keep = new Uint8Array(text.length).fill(1);
  let changed = false;
  // Current run of one-character tokens, each joined to the previous by exactly one space.
  let runLength = 0;
  let runFirstSpace = -1;
  let previousEnd = -2;
  const flush = () => {
    if (runLength >= 3) {
      for (let k = runFirstSpace; k < previousEnd; k++) if (text.charCodeAt(k) === 0x20) keep[k] = 0;
      changed = true;
    }
    runLength = 0;
  };
  for (let i = 0; i < text.length; ) {
    if (text.charCodeAt(i) === 0x20) {
      i++;
      continue;
    }
    let j = i;
    while (j < text.length && text.charCodeAt(j) !== 0x20) j++;
    const isSingle = j - i === (text.codePointAt(i)! > 0xffff ? 2 : 1);
    if (isSingle && runLength > 0 && i === previousEnd + 1) {
      runLength++;
    } else {
      flush();
      if (isSingle) {
        runLength = 1;
        runFirstSpace = j;
      }
    }
    previousEnd = j;
    i = j;
  }
  flush();
  if (!changed) return view;
  let out = "";
  const starts: number[] = [];
  const ends: number[] = [];
  for (let k = 0; k < text.length; k++) {
    if (!keep[k]) continue;
    out += text[k];
    starts.push(view.starts[k]);
    ends.push(view.ends[k]);
  }
  return { text: out, starts: Int32Array.from(starts), ends: Int32Array.from(ends) };
}

/**
 * The original span covered by `[start, end)` of a view, trimmed of units that
 * map to nothing. Undefined when the range covers no original text.
 */
export function toOriginal(view: TextView, original: string, start: number, end: number): OriginalSpan | undefined {
  if (view.starts === null || view.ends === null) return start < end ? { start, end, text: original.slice(start, end) } : undefined;
  let first = -1;
  let last = -1;
  for (let i = start; i < end; i++) {
    if (view.starts[i] < 0) continue;
    if (first < 0 || view.starts[i] < first) first = view.starts[i];
    if (view.ends[i] > last) last = view.ends[i];
  }
  if (first < 0) return undefined;
  return { start: first, end: last, text: original.slice(first, last) };
}
