import { existsSync, readFileSync } from "node:fs";

/**
 * Debian's word lists (packages wamerican, wbritish, wfrench, wngerman,
 * wspanish): ordinary words in five languages. The text matcher's
 * approximate stage never reports a misspelling that is one of these words
 * (a dictionary word one edit from a term is no hit).
 */
export const DEBIAN_WORD_LISTS: readonly string[] = ["american-english", "british-english", "french", "ngerman", "spanish"].map((name) => `/usr/share/dict/${name}`);

/**
 * The words of every list that exists (lists that are not installed are
 * skipped: the guard is then weaker, never wrong). Read afresh on each call,
 * so the million words are not kept in memory between compiles.
 */
export function readVocabulary(paths: readonly string[] = DEBIAN_WORD_LISTS): string[] {
  const words: string[] = [];
  for (const path of paths) {
    if (existsSync(path)) for (const word of readFileSync(path, "utf8").split("\n")) if (word !== "") words.push(word);
  }
  return words;
}
