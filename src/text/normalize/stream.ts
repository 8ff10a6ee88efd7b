import { readingOrder } from "./bidi.js";
import { CharClass, classOf, foldOf, UPPER_BIT } from "./fold.js";
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
export function buildStream(text: string, maxChars: number): TextStream {
  let n = Math.min(text.length, maxChars);
  if (n < text.length && n > 0) {
    const last = text.charCodeAt(n - 1);
    if (last >= 0xd800 && last <= 0xdbff) n--;
  }

  // Decode code points with their offsets.
  const cps = new Int32Array(n);
  const offsets = new Int32Array(n + 1);
  let count = 0;
  for (let i = 0; i < n; ) {
    let cp = text.charCodeAt(i);
    let width = 1;
    if (cp >= 0xd800 && cp <= 0xdfff) {
      const next = i + 1 < n ? text.charCodeAt(i + 1) : 0;
      if (cp <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        cp = ((cp - 0xd800) << 10) + (next - 0xdc00) + 0x10000;
        width = 2;
      } else cp = REPLACEMENT;
    }
    cps[count] = cp;
    offsets[count] = i;
    count++;
    i += width;
  }
  offsets[count] = n;

  const order = readingOrder(cps, count);

  // A code point folds to at most a few symbols; NFKD of one code point is at
  // most 18 (U+FDFA), so grow on demand rather than allocate 18x up front.
  let capacity = Math.max(16, count + (count >> 2));
  let codePoints = new Int32Array(capacity);
  let starts = new Int32Array(capacity);
  let ends = new Int32Array(capacity);
  let flags = new Uint8Array(capacity);
  let length = 0;

  let gapWord = false;
  let gapAny = false;
  let lastIsWord = false;

  const grow = () => {
    capacity *= 2;
    const c = new Int32Array(capacity);
    c.set(codePoints);
    codePoints = c;
    const s = new Int32Array(capacity);
    s.set(starts);
    starts = s;
    const e = new Int32Array(capacity);
    e.set(ends);
    ends = e;
    const f = new Uint8Array(capacity);
    f.set(flags);
    flags = f;
  };

  const emit = (cp: number, start: number, end: number, flag: number) => {
    const isWord = (flag & SymbolFlag.symbol) === 0;
    // Collapse a run of one character ("vorrrnaxle"), never across a separator,
    // and never for a symbol that reads as two letters ("11" may be "il").
    if (length > 0 && codePoints[length - 1] === cp && !gapAny && (isWord ? !gapWord && lastIsWord : !lastIsWord) && !isAmbiguous(cp)) {
      if (end > ends[length - 1]) ends[length - 1] = end;
      if (start < starts[length - 1]) starts[length - 1] = start;
      flags[length - 1] |= SymbolFlag.repeated;
      return;
    }
    if (length === capacity) grow();
    codePoints[length] = cp;
    starts[length] = start;
    ends[length] = end;
    flags[length] = flag | (gapAny ? SymbolFlag.gapAny : 0) | (isWord && gapWord ? SymbolFlag.gapWord : 0);
    length++;
    gapAny = false;
    if (isWord) gapWord = false;
    else gapWord = true;
    lastIsWord = isWord;
  };

  for (let k = 0; k < count; k++) {
    const index = order === null ? k : order[k];
    const cp = cps[index];
    const start = offsets[index];
    const end = offsets[index + 1];
    const cls = classOf(cp);
    const base = cls & 7;
    if (base === CharClass.invisible) continue;
    if (base === CharClass.attached) {
      // A mark, variation selector or skin tone belongs to what precedes it.
      if (length > 0 && !gapAny && end > ends[length - 1]) ends[length - 1] = end;
      continue;
    }
    if (base === CharClass.separator) {
      const folded = foldOf(cp) as number;
      // Leet punctuation is a symbol that may read as a letter or as nothing;
      // the matcher also treats it as a word edge ("xpl!", "@xpl").
      if (SOFT_LEET.has(folded)) emit(folded, start, end, SymbolFlag.soft);
      else gapWord = gapAny = true;
      continue;
    }
    if (base === CharClass.symbol) {
      emit(cp, start, end, SymbolFlag.symbol);
      continue;
    }
    const upper = cls & UPPER_BIT ? SymbolFlag.upper : 0;
    const folded = foldOf(cp);
    if (typeof folded === "number") emit(folded, start, end, upper | letterFlag(folded));
    else for (let f = 0; f < folded.length; f++) emit(folded[f], start, end, (f === 0 ? upper : 0) | letterFlag(folded[f]));
  }

  return {
    length,
    codePoints,
    starts,
    ends,
    flags,
    isTruncated: n < text.length,
    scannedChars: n,
  };
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
