import { displayCodePoint } from "./glyphs.js";
import { readStream, SymbolFlag } from "./stream.js";

/** What the matcher reads: the folded text and, per folded character, its span in the original. */
export interface NormalizedText {
  /** Folded symbols in reading order; a single space stands for any separator. "I" means i or l. */
  readonly text: string;
  /** For each code point of `text` (spaces excluded), `[start, end)` in the original, in UTF-16 code units. */
  readonly spans: ReadonlyArray<readonly [number, number]>;
  readonly isTruncated: boolean;
}

/**
 * Runs the normalisation pipeline alone, for tests, debugging and showing a
 * reviewer what the matcher saw: reading order (bidi controls resolved),
 * NFKC, invisible characters and combining marks removed, TR39 confusables,
 * lower case, runs of one character collapsed. Leetspeak and look-alikes
 * ("rn") are not applied here: they are readings the matcher tries.
 *
 * @example
 * ```ts
 * normalizeText("Ｖ\u200Bоrrrn𝐚xIe!").text; // "vornaxIe!" (Cyrillic о, bold a; "I" reads as i or l)
 * ```
 */
export function normalizeText(text: string, maxChars = 100_000): NormalizedText {
  return readStream(text, maxChars, (stream) => {
    let out = "";
    const spans: Array<readonly [number, number]> = [];
    for (let i = 0; i < stream.length; i++) {
      if (i > 0 && stream.flags[i] & SymbolFlag.gapAny) out += " ";
      out += String.fromCodePoint(displayCodePoint(stream.codePoints[i]));
      spans.push([stream.starts[i], stream.ends[i]]);
    }
    return { text: out, spans, isTruncated: stream.isTruncated };
  });
}
