import { SOFT_LEET } from "../normalize/leet.js";
import { SymbolFlag, type TextStream } from "../normalize/stream.js";

/**
 * When a misspelling is read as a name (issue 9). Brands, places and people
 * are the open class of words no word list holds, and one of them may be one
 * edit from a term ("Spotify" and a term "spotifly"); a writer marks them with
 * a capital. But a capital is evidence of a name only where the writer chose
 * it: at the start of a text, a sentence, a line, a list item or a hashtag
 * segment, convention puts it there whatever the word, so "Crandovle pics, DM
 * me" is the misspelt term at a sentence's start, not a name. Nor is a word a
 * name as written when its letters are disguised (leetspeak, look-alikes from
 * other scripts or styled alphabets, invisible characters, a flood of marks,
 * a letter tripled): that is how terms are hidden, not how names are spelt.
 */

/**
 * Whether the word at stream symbols `[a, b]` (a whole word: separators,
 * emoji or the text's ends on both sides) is written as a name: its first
 * letter a capital and no other, in plain letters, and not where convention
 * capitalises every word. `[hitStart, hitEnd]` is the misspelling in it. A
 * digit or a letter drawn with symbols is a disguise between the letters
 * ("Cr4ndovle") and at their edges when the misspelling reads it ("Crandovl3");
 * leet punctuation is a disguise between the letters only: at their edges it
 * is punctuation ("@Spotify!").
 */
export function isWrittenAsName(text: string, stream: TextStream, a: number, b: number, hitStart: number, hitEnd: number): boolean {
  const { flags, starts } = stream;
  const isLetter = (i: number) => (flags[i] & (SymbolFlag.letter | SymbolFlag.soft | SymbolFlag.symbol)) === SymbolFlag.letter;
  const isPunctuation = (i: number) => (flags[i] & SymbolFlag.symbol) !== 0 || SOFT_LEET.has(stream.codePoints[i]) || i < hitStart || i > hitEnd;
  let first = a;
  let last = b;
  for (; first <= last && !isLetter(first); first++) if (!isPunctuation(first)) return false;
  for (; last >= first && !isLetter(last); last--) if (!isPunctuation(last)) return false;
  let letters = 0;
  let start = Infinity;
  let end = -1;
  for (let i = first; i <= last; i++) {
    if (!isLetter(i)) return false;
    if (((flags[i] & SymbolFlag.upper) !== 0) !== (letters === 0)) return false;
    if (!isPlainlyWritten(text, stream, i, i < last ? starts[i + 1] : -1)) return false;
    letters++;
    // In reading order (bidi) a word's symbols may run backwards through the text.
    start = Math.min(start, starts[i]);
    end = Math.max(end, stream.ends[i]);
  }
  return letters >= 2 && !hasInvisibleEdge(text, start, end) && !isCapitalisedByConvention(text, start);
}

/** Invisible characters that hide a word's letters; direction controls, which platforms put round names, are layout. */
const HIDING = /(?![\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069])\p{Cf}/u;

/** Whether an invisible character touches the letters `[start, end)` from either side ("Crandovle\u200b"). */
function hasInvisibleEdge(text: string, start: number, end: number): boolean {
  return (start > 0 && HIDING.test(String.fromCodePoint(before(text, start)[0]))) || (end < text.length && HIDING.test(String.fromCodePoint(text.codePointAt(end) as number)));
}

/** Plain Latin letters as a name is written: ASCII, Latin-1, Latin Extended-A/B and the precomposed Vietnamese block. */
function isPlainLetter(cp: number): boolean {
  if ((cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)) return true;
  if (cp < 0xc0 || cp === 0xd7 || cp === 0xf7) return false;
  return cp < 0x250 || (cp >= 0x1e00 && cp <= 0x1eff);
}

const MARK = /\p{M}/u;
/** UTF-16 units of one plain symbol at most: a doubled letter with an accent or two each. */
const MAX_LETTER_CHARS = 8;
const LETTERS_ONLY = /^\p{L}+$/u;

/**
 * Whether stream symbol `i` comes from plain letters: at most two of one
 * letter (a name may double a letter, not triple it), each a plain Latin
 * letter with at most the marks that compose into one accented letter, and
 * nothing hidden between it and the next symbol of the word, which starts at
 * `next` (-1: none).
 */
function isPlainlyWritten(text: string, stream: TextStream, i: number, next: number): boolean {
  const end = stream.ends[i];
  if (next >= 0 && next > end) return false; // an invisible character left a hole
  if (end - stream.starts[i] > MAX_LETTER_CHARS) return false;
  const written = text.slice(stream.starts[i], end);
  let count = 0;
  let letter = "";
  const settle = (): boolean => {
    if (letter === "") return true;
    const composed = letter.normalize("NFC");
    const cp = composed.codePointAt(0) as number;
    count++;
    return composed.length === (cp > 0xffff ? 2 : 1) && isPlainLetter(cp) && LETTERS_ONLY.test(composed);
  };
  for (const ch of written) {
    if (MARK.test(ch)) {
      if (letter === "") return false;
      letter += ch;
      continue;
    }
    if (!settle()) return false;
    letter = ch;
  }
  return settle() && count <= 2;
}

const LINE_BREAK = /[\n\v\f\r\u0085\u2028\u2029]/u;
/** Between a sentence's end and its first word: spaces, quotes, brackets, invisible characters, marks, "¡" and "¿". */
const LEAD_IN = /[\p{Zs}\t\p{Ps}\p{Pe}\p{Pi}\p{Pf}"'`¡¿\p{Cf}\p{M}\u{1F3FB}-\u{1F3FF}]/u;
const CLOSING = /[\p{Pe}]/u;
/** Sentence terminators of every script (".", "!", "?", "。", "؟", "।", ...), and the ellipsis. */
const TERMINATOR = /[\p{Sentence_Terminal}\u2026\u22ef]/u;
/** Emoji end sentences in social posts; ©, ® and ™ mark a name instead. */
const EMOJI = /\p{Extended_Pictographic}/u;
const TRADEMARKS = new Set([0xa9, 0xae, 0x2122]);
/** List bullets and the marks set between the items of a bio ("dog mum | Crandovle | DM"). */
const ITEM_MARK = /[\p{Pd}\p{Sm}\p{So}•‣·∙*/\\]/u;
const DIGIT = /\p{Nd}/u;
const WORD_CHAR = /[\p{L}\p{N}\p{M}\p{Pc}]/u;
const HASH = new Set([0x23, 0xff03]);
/** Titles whose full stop ends no sentence: the capital after them marks a name ("Dr. Crandovle"). */
const TITLES = new Set(["mr", "mrs", "ms", "mx", "dr", "prof", "st", "mt", "sr", "sra", "srta", "jr", "hr", "fr", "vs"]);

/** The code point ending just before UTF-16 offset `i`, with its start. */
function before(text: string, i: number): [number, number] {
  const low = text.charCodeAt(i - 1);
  if (low >= 0xdc00 && low <= 0xdfff && i >= 2) {
    const high = text.charCodeAt(i - 2);
    if (high >= 0xd800 && high <= 0xdbff) return [text.codePointAt(i - 2) as number, i - 2];
  }
  return [low, i - 1];
}

/** Characters read before a word: a hostile text costs the same per word however long it is. */
const LOOK_BEHIND = 64;

/**
 * Whether a word starting at UTF-16 offset `at` stands where convention
 * capitalises it: the text's start, after a sentence terminator (any script's,
 * or an emoji), a line break, a list bullet or an item mark between spaces,
 * or "#" and "_" inside a hashtag. After a comma, a colon, a word or a title's
 * full stop ("Dr."), a capital is the writer's choice. Only the
 * `LOOK_BEHIND` characters before the word are read; when those are all
 * spaces, marks or one hashtag, the word counts as a start.
 */
export function isCapitalisedByConvention(fullText: string, wordStart: number): boolean {
  const cut = Math.max(0, wordStart - LOOK_BEHIND);
  const text = fullText.slice(cut, wordStart);
  const at = text.length;
  let i = at;
  let spaced = false;
  let closed = false;
  let cp = 0;
  let j = 0;
  for (;;) {
    if (i <= 0) return true;
    [cp, j] = before(text, i);
    const ch = String.fromCodePoint(cp);
    if (LINE_BREAK.test(ch)) return true;
    if (!LEAD_IN.test(ch)) break;
    if (/\s/u.test(ch)) spaced = true;
    if (CLOSING.test(ch)) closed = true;
    i = j;
  }
  const ch = String.fromCodePoint(cp);
  if (TERMINATOR.test(ch)) return cp !== 0x2e || !isAbbreviation(text, j);
  if (HASH.has(cp)) return true;
  if (EMOJI.test(ch) && !TRADEMARKS.has(cp)) return true;
  if (cp === 0x5f) return isInHashtag(text, j, cut > 0);
  // A numbered list item: "1) Crandovle".
  if (DIGIT.test(ch) && closed) return isLineStart(text, skipBack(text, j + 1, DIGIT));
  if (ITEM_MARK.test(ch)) {
    const from = skipBack(text, j + 1, ITEM_MARK);
    if (isLineStart(text, from)) return true;
    return spaced && from > 0 && /\s/u.test(String.fromCodePoint(before(text, from)[0]));
  }
  return false;
}

/** The start of the run of characters matching `re` that ends at offset `i`. */
function skipBack(text: string, i: number, re: RegExp): number {
  while (i > 0) {
    const [cp, j] = before(text, i);
    if (!re.test(String.fromCodePoint(cp))) break;
    i = j;
  }
  return i;
}

/** Whether only spaces stand between offset `i` and the text's start or a line break. */
function isLineStart(text: string, i: number): boolean {
  for (;;) {
    if (i <= 0) return true;
    const [cp, j] = before(text, i);
    const ch = String.fromCodePoint(cp);
    if (LINE_BREAK.test(ch)) return true;
    if (!/[\p{Zs}\t]/u.test(ch)) return false;
    i = j;
  }
}

/** Whether the "_" at offset `j` joins the segments of a hashtag ("#best_Crandovle"); `isCut`: the text read is the end of a longer one. */
function isInHashtag(text: string, j: number, isCut: boolean): boolean {
  const from = skipBack(text, j, WORD_CHAR);
  return from > 0 ? HASH.has(before(text, from)[0]) : isCut;
}

/** Whether the full stop at offset `j` closes a title ("Dr.") or an initial ("J.", "e.g."), not a sentence. */
function isAbbreviation(text: string, j: number): boolean {
  const from = skipBack(text, j, /\p{L}/u);
  const word = text.slice(from, j);
  return word.length === 1 || TITLES.has(word.toLowerCase());
}
