import { readingOrder } from "./bidi.js";
import { CharClass, classOf, foldOf, UPPER_BIT } from "./fold.js";
import { matchGlyph, mayStartGlyph } from "./glyphs.js";
import { LEET_READINGS, SOFT_LEET } from "./leet.js";

/** Flag bits of a {@link TextStream} symbol. */
export const SymbolFlag = {
  /** An emoji or other symbol; without it the symbol is a word character. */
  symbol: 1,
  /** Leet punctuation read as a letter inside a word ("$", "@", "!"): may also be skipped. */
  soft: 2,
  /** Written upper-case (for CamelCase word boundaries). */
  upper: 4,
  /** A separator or a symbol stands between the previous word character and this one. */
  gapWord: 8,
  /** A separator stands between the previous symbol (of either kind) and this one. */
  gapAny: 16,
  /** A letter (not a digit, not soft punctuation). */
  letter: 32,
  /** Stands for a run of two or more equal characters ("vvv"). */
  repeated: 64,
} as const;

/**
 * Text after normalisation: one entry per symbol in reading order, each with
 * the UTF-16 span of the original text it came from. Invisible characters and
 * combining marks are gone (a mark's span joins its base letter), runs of one
 * character are one symbol, and the separators between symbols survive only
 * as the `gapWord` / `gapAny` flags.
 */
export interface TextStream {
  /** Number of symbols. */
  readonly length: number;
  /** Folded code point of each symbol (lower-case, confusables resolved; "I" means i-or-l). */
  readonly codePoints: Int32Array;
  /** Start of each symbol in the original text, in UTF-16 code units. */
  readonly starts: Int32Array;
  /** End (exclusive) of each symbol in the original text, in UTF-16 code units. */
  readonly ends: Int32Array;
  /** {@link SymbolFlag} bits of each symbol. */
  readonly flags: Uint8Array;
  /** Whether the input was longer than `maxChars` and only its beginning was read. */
  readonly isTruncated: boolean;
  /** How many UTF-16 code units of the input were read. */
  readonly scannedChars: number;
}

// A lone surrogate is invalid UTF-16: it reads as a space (a word break).
const REPLACEMENT = 0x20;

/**
 * Normalises `text` into a {@link TextStream}: reading order (bidi controls
 * resolved), then per code point NFKC/NFKD, removal of invisible characters and
 * combining marks, TR39 confusables, lower-casing, and collapse of repeated
 * characters. Lone surrogates read as a separator.
 *
 * Only the first `maxChars` UTF-16 code units are read (never splitting a
 * surrogate pair); `isTruncated` tells when that cut anything.
 */
export function buildStream(text: string, maxChars: number, scratch?: StreamScratch): TextStream {
  const n = readLength(text, maxChars);
  const writer = scratch?.writer ?? new StreamWriter();
  writer.reset(n);

  // Directional controls are rare: only then decode everything up front and reorder.
  let hasControls = false;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) {
      hasControls = true;
      break;
    }
  }
  if (!hasControls) {
    for (let i = 0; i < n; ) {
      // A letter drawn with symbols ("|_|", "\/\/", "¥") is one soft symbol.
      if (mayStartGlyph(text.charCodeAt(i))) {
        const glyph = matchGlyph(text, i, n);
        if (glyph !== null) {
          writer.addGlyph(glyph.codePoint, i, glyph.next);
          i = glyph.next;
          continue;
        }
      }
      const cp = codePointAt(text, i, n);
      const width = cp > 0xffff ? 2 : 1;
      writer.add(cp, i, i + width);
      i += width;
    }
  } else {
    const cps = new Int32Array(n);
    const offsets = new Int32Array(n + 1);
    let count = 0;
    for (let i = 0; i < n; ) {
      const cp = codePointAt(text, i, n);
      cps[count] = cp;
      offsets[count++] = i;
      i += cp > 0xffff ? 2 : 1;
    }
    offsets[count] = n;
    const order = readingOrder(cps, count);
    for (let k = 0; k < count; k++) {
      const index = order === null ? k : order[k];
      writer.add(cps[index], offsets[index], offsets[index + 1]);
    }
  }

  return {
    length: writer.length,
    codePoints: writer.codePoints,
    starts: writer.starts,
    ends: writer.ends,
    flags: writer.flags,
    isTruncated: n < text.length,
    scannedChars: n,
  };
}

/** How many UTF-16 code units of `text` a stream of at most `maxChars` reads: never half a surrogate pair. */
function readLength(text: string, maxChars: number): number {
  let n = Math.min(text.length, maxChars);
  if (n < text.length && n > 0) {
    const last = text.charCodeAt(n - 1);
    if (last >= 0xd800 && last <= 0xdbff) n--;
  }
  return n;
}

/** The code point at `i`; a lone surrogate reads as {@link REPLACEMENT}. */
function codePointAt(text: string, i: number, n: number): number {
  const c = text.charCodeAt(i);
  if (c < 0xd800 || c > 0xdfff) return c;
  if (c <= 0xdbff && i + 1 < n) {
    const next = text.charCodeAt(i + 1);
    if (next >= 0xdc00 && next <= 0xdfff) return ((c - 0xd800) << 10) + (next - 0xdc00) + 0x10000;
  }
  return REPLACEMENT;
}

/**
 * Runs `read` over the stream of `text`, normalised once for every reader in a
 * row: a text is read by each lexicon of its surface, by the advert
 * vocabulary and by the advert score's folded view, and building the stream
 * was a third of the matcher's time when each built its own. The process
 * keeps the last text's stream (matching is synchronous, so nothing else
 * runs between two readers of one text); a reader nested in another gets a
 * stream of its own. The stream is only valid inside `read`.
 */
export function readStream<T>(text: string, maxChars: number, read: (stream: TextStream) => T): T {
  if (lastRead.isBusy) return read(buildStream(text, maxChars));
  lastRead.isBusy = true;
  try {
    // The stream depends only on the text and how much of it is read (readers differ in `maxChars`).
    const length = readLength(text, maxChars);
    if (lastRead.stream === undefined || lastRead.length !== length || lastRead.text !== text) {
      lastRead.stream = undefined;
      lastRead.stream = buildStream(text, length, lastRead.scratch);
      lastRead.text = text;
      lastRead.length = length;
    }
    return read(lastRead.stream);
  } finally {
    lastRead.isBusy = false;
  }
}

/**
 * Buffers reused from one {@link buildStream} call to the next, so that short
 * texts cost no allocation. The stream a call returns is only valid until the
 * next call with the same scratch.
 */
export class StreamScratch {
  readonly writer = new StreamWriter();
}

/** Appends folded symbols, tracking the separators between them. */
class StreamWriter {
  codePoints = new Int32Array(0);
  starts = new Int32Array(0);
  ends = new Int32Array(0);
  flags = new Uint8Array(0);
  length = 0;
  #capacity = 0;
  #gapWord = false;
  #gapAny = false;
  #lastIsWord = false;

  reset(chars: number): void {
    // Most code points fold to one symbol; grow for the rest ("ﬁ", "㎏").
    const wanted = Math.max(64, chars + (chars >> 3));
    // Keep buffers up to 4x what this text needs; give back a huge one.
    if (wanted > this.#capacity || this.#capacity > 4 * wanted + 4096) {
      this.#capacity = wanted;
      this.codePoints = new Int32Array(wanted);
      this.starts = new Int32Array(wanted);
      this.ends = new Int32Array(wanted);
      this.flags = new Uint8Array(wanted);
    }
    this.length = 0;
    this.#gapWord = this.#gapAny = this.#lastIsWord = false;
  }

  /** Reads one original code point spanning `[start, end)`. */
  add(cp: number, start: number, end: number): void {
    const cls = classOf(cp);
    const base = cls & 7;
    if (base === CharClass.word) {
      const upper = cls & UPPER_BIT ? SymbolFlag.upper : 0;
      const folded = foldOf(cp);
      if (typeof folded === "number") this.#emit(folded, start, end, upper | letterFlag(folded));
      else for (let f = 0; f < folded.length; f++) this.#emit(folded[f], start, end, (f === 0 ? upper : 0) | letterFlag(folded[f]));
    } else if (base === CharClass.separator) {
      const folded = foldOf(cp) as number;
      // Leet punctuation is a symbol that may read as a letter or as nothing;
      // the matcher also treats it as a word edge ("xpl!", "@xpl").
      if (SOFT_LEET.has(folded)) this.#emit(folded, start, end, SymbolFlag.soft);
      else this.#gapWord = this.#gapAny = true;
    } else if (base === CharClass.symbol) {
      this.#emit(cp, start, end, SymbolFlag.symbol);
    } else if (base === CharClass.attached) {
      // A mark, variation selector or skin tone belongs to what precedes it.
      const last = this.length - 1;
      if (last >= 0 && !this.#gapAny && end > this.ends[last]) this.ends[last] = end;
    }
    // CharClass.invisible: gone without a trace.
  }

  /** Reads a letter drawn with symbols (see glyphs.ts) spanning `[start, end)`: a soft symbol, as leet punctuation is. */
  addGlyph(glyphCodePoint: number, start: number, end: number): void {
    this.#emit(glyphCodePoint, start, end, SymbolFlag.soft);
  }

  #emit(cp: number, start: number, end: number, flag: number): void {
    const isWord = (flag & SymbolFlag.symbol) === 0;
    const last = this.length - 1;
    // Collapse a run of one character ("vorrrnaxle"), never across a separator,
    // and never for a symbol that reads as two letters ("11" may be "il").
    if (
      last >= 0 &&
      this.codePoints[last] === cp &&
      !this.#gapAny &&
      (isWord ? !this.#gapWord && this.#lastIsWord : !this.#lastIsWord) &&
      !isAmbiguous(cp)
    ) {
      if (end > this.ends[last]) this.ends[last] = end;
      if (start < this.starts[last]) this.starts[last] = start;
      this.flags[last] |= SymbolFlag.repeated;
      return;
    }
    if (this.length === this.#capacity) this.#grow();
    const at = this.length++;
    this.codePoints[at] = cp;
    this.starts[at] = start;
    this.ends[at] = end;
    this.flags[at] = flag | (this.#gapAny ? SymbolFlag.gapAny : 0) | (isWord && this.#gapWord ? SymbolFlag.gapWord : 0);
    this.#gapAny = false;
    this.#gapWord = !isWord;
    this.#lastIsWord = isWord;
  }

  #grow(): void {
    this.#capacity *= 2;
    const grow32 = (a: Int32Array) => {
      const b = new Int32Array(this.#capacity);
      b.set(a);
      return b;
    };
    this.codePoints = grow32(this.codePoints);
    this.starts = grow32(this.starts);
    this.ends = grow32(this.ends);
    const flags = new Uint8Array(this.#capacity);
    flags.set(this.flags);
    this.flags = flags;
  }
}

function letterFlag(cp: number): number {
  if (cp >= 0x30 && cp <= 0x39) return 0;
  if (cp < 0x80) return cp >= 0x61 && cp <= 0x7a || cp === 0x49 ? SymbolFlag.letter : 0;
  return SymbolFlag.letter;
}

function isAmbiguous(cp: number): boolean {
  const readings = LEET_READINGS.get(cp);
  return readings !== undefined && readings.length > 1;
}

/** What {@link readStream} read last. */
const lastRead: { scratch: StreamScratch; text: string | undefined; length: number; stream: TextStream | undefined; isBusy: boolean } = {
  scratch: new StreamScratch(),
  text: undefined,
  length: 0,
  stream: undefined,
  isBusy: false,
};
