import { normalizeText } from "../text/index.js";
import { mix32, sortedUnique } from "./hashing.js";

/** Shingle width in characters: long enough to carry a word's identity, short enough to survive an edit. */
const SHINGLE_CHARS = 4;

/**
 * The character 4-gram shingles of a display name and bio, as sorted distinct
 * hashes. The text is read by the text normaliser first (look-alike letters,
 * invisible characters, case, repeated letters, separators as one space), so
 * that a copy with a few letters swapped for look-alikes still shares its
 * shingles. Name and bio are shingled apart, so no shingle spans the two.
 */
export function profileShingles(parts: readonly string[], maxChars: number): Uint32Array {
  const hashes: number[] = [];
  for (const part of parts) {
    const folded = normalizeText(part, maxChars).text.trim();
    if (folded.length === 0) continue;
    const codePoints: number[] = [0x20];
    for (const ch of folded) codePoints.push(ch.codePointAt(0)!);
    codePoints.push(0x20);
    // A shingle's hash mixes its code points in order; no substring is built.
    const last = Math.max(0, codePoints.length - SHINGLE_CHARS);
    for (let i = 0; i <= last; i++) {
      let h = 0x811c9dc5;
      for (let k = i; k < Math.min(i + SHINGLE_CHARS, codePoints.length); k++) h = Math.imul(h ^ codePoints[k], 0x01000193);
      hashes.push(mix32(h));
    }
  }
  return sortedUnique(hashes);
}
