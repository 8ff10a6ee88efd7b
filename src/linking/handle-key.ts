import { normalizeText } from "../text/index.js";

// Format characters (zero-width joiners, bidi controls, soft hyphens) hide inside handles without changing how they look.
const INVISIBLE = /[\p{Cf}\p{Mn}\uFE00-\uFE0F]/gu;
const LEADING_AT = /^[@＠﹫]+/u;

/**
 * The exact key of a handle: without the leading "@", NFKC, invisible
 * characters removed, lower case. Two handles with the same key are the same
 * handle on a platform whose handles ignore case.
 *
 * @example
 * handleKey("@Mossy_Teacup"); // "mossy_teacup"
 */
export function handleKey(handle: string): string {
  return handle.normalize("NFKC").replace(INVISIBLE, "").trim().replace(LEADING_AT, "").toLowerCase();
}

// Digits and symbols by the letter a reader takes them for. Ambiguous ones pick one letter, and
// the letters they stand for fold to that letter too, so both spellings meet ("1", "l", "I" → "i").
const SKELETON_LETTER: Record<string, string> = {
  "0": "o", "1": "i", "2": "z", "3": "e", "4": "a", "5": "s", "6": "g", "7": "t", "8": "b", "9": "g",
  l: "i", I: "i", "@": "a", $: "s", "!": "i", "|": "i", "+": "t", "€": "e", "£": "i",
};
// Digits read as letters only inside a word ("m0ssy", "l33t"); a number beside a name
// ("teacup976") stays a number, or every "name" + digits would share a skeleton.
const LEET_DIGITS = /(?<=\p{L})[0-9]{1,2}(?=\p{L})/gu;

/**
 * The look-alike skeleton of a handle: the text normaliser's folding
 * (confusable letters, NFKC, invisible characters, repeated letters
 * collapsed), separators dropped, and leetspeak inside words read as letters,
 * with ambiguous readings merged ("1", "l", "I" all read "i"; "rn" reads "m",
 * "vv" reads "w"). Handles an evader makes to look like another
 * ("m0ssy.teacup" for "mossy_teacup", Cyrillic "о") share a skeleton. Other
 * handles can share one too, so a skeleton match is weaker evidence than a
 * key match.
 *
 * @example
 * handleSkeleton("m0ssy.teacup") === handleSkeleton("Mossy_Teacup"); // true
 */
export function handleSkeleton(handle: string): string {
  const key = handleKey(handle);
  const normalized = normalizeText(key, 200);
  // The normaliser collapses runs ("99" → "9"); letters may collapse, numbers must not ("teacup199" is not "teacup19").
  let folded = "";
  let symbol = 0;
  for (const ch of normalized.text) {
    if (ch === " ") continue;
    const [start, end] = normalized.spans[symbol++];
    folded += /[0-9]/u.test(ch) ? key.slice(start, end).replace(/[^0-9]/gu, "") || ch : ch;
  }
  const read = folded.replace(LEET_DIGITS, (digits) => [...digits].map((d) => SKELETON_LETTER[d]).join(""));
  let out = "";
  for (const ch of read) out += /[0-9]/u.test(ch) ? ch : (SKELETON_LETTER[ch] ?? ch);
  out = out.replace(/rn/gu, "m").replace(/vv/gu, "w").replace(/cl/gu, "d");
  // Leet readings can make new runs ("0o" → "oo"); collapse them as the normaliser does.
  return out.replace(/(\p{L})\1+/gu, "$1");
}

// What evaders add to a banned handle: backup words, "new", "real", numbers, separators.
const BACKUP_WORDS = "backup|bckup|bkup|bckp|bkp|back|bu|alt|new|real|the|its|official|og|main|again|acc|account|page|2nd|second|spare|reserve|v2";
const SUFFIX_WORD = new RegExp(`[._-]*(?:${BACKUP_WORDS})$`, "u");
const SUFFIX_NUMBER = /[._-]*(?:[0-9]+|ii+|x+)$/u;
const PREFIX_WORD = new RegExp(`^(?:${BACKUP_WORDS})(?:[._-]+|(?=[a-z0-9]{5,}))`, "u");
const MIN_STEM_CHARS = 5;
const MAX_STRIPS = 3;

/** A handle with an evader's affix removed, as a skeleton. */
export interface HandleStem {
  stem: string;
  /** A backup word was removed ("_bkp", "real."), not only a number: stronger evidence. */
  isBackupAffix: boolean;
}

/**
 * The handles an affixed handle may have been made from, as skeletons: one
 * affix removed at a time, up to three ("mossy_teacup976_bkp3" →
 * "mossy_teacup976" → "mossy_teacup"). Stems shorter than 5 characters are
 * dropped (too many handles share them).
 *
 * @example
 * handleStems("mossy_teacup_bkp2").map((s) => s.stem); // [skeleton of "mossy_teacup_bkp", of "mossy_teacup"]
 */
export function handleStems(handle: string): HandleStem[] {
  const out: HandleStem[] = [];
  let rest = handleKey(handle);
  let isBackupAffix = false;
  for (let i = 0; i < MAX_STRIPS; i++) {
    let next = rest.replace(SUFFIX_NUMBER, "");
    if (next === rest) {
      next = rest.replace(SUFFIX_WORD, "");
      if (next === rest) next = rest.replace(PREFIX_WORD, "");
      if (next !== rest) isBackupAffix = true;
    }
    if (next === rest || next.length === 0) break;
    rest = next;
    const stem = handleSkeleton(rest);
    if (stem.length >= MIN_STEM_CHARS) out.push({ stem, isBackupAffix });
  }
  return out;
}

/** A handle as written for a reader: with one "@". */
export function atHandle(handle: string): string {
  return `@${handle.replace(LEADING_AT, "")}`;
}
