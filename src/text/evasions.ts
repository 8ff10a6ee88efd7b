import type { Dice } from "../random/index.js";

/*
 * The spelling tricks sellers use to slip past filters, for synthetic texts:
 * letters spread out, look-alike Cyrillic letters, leetspeak, invisible
 * characters, "fancy" fonts. The text gate folds all of them (src/text/normalize),
 * so a generator that uses them tests that folding end to end. They live with
 * the detector they test: the synthetic adverts here and the scenario
 * generator (src/scenario) both use them.
 */

const CYRILLIC: Readonly<Record<string, string>> = { a: "а", e: "е", o: "о", p: "р", c: "с", x: "х", y: "у", i: "і" };
const LEET: Readonly<Record<string, string>> = { a: "@", e: "3", i: "1", o: "0", s: "$" };

export function spaced(word: string, d: Dice): string {
  return word.split("").join(d.pick([" ", ".", " ", "-", "_"]));
}
export function lookalike(word: string): string {
  return word.replace(/[aeopcxyi]/g, (ch) => CYRILLIC[ch] ?? ch);
}
export function leet(word: string, d: Dice): string {
  return word.replace(/[aeios]/g, (ch) => (d.chance(0.6) ? LEET[ch] : ch));
}
export function zeroWidth(word: string): string {
  return word.split("").join("\u200B");
}
export function fancy(word: string): string {
  // Mathematical bold: a fancy font many bios use.
  return [...word].map((ch) => {
    const c = ch.charCodeAt(0);
    if (c >= 97 && c <= 122) return String.fromCodePoint(0x1d41a + c - 97);
    if (c >= 65 && c <= 90) return String.fromCodePoint(0x1d400 + c - 65);
    if (c >= 48 && c <= 57) return String.fromCodePoint(0x1d7ce + c - 48);
    return ch;
  }).join("");
}
export function evade(word: string, d: Dice): string {
  switch (d.int(0, 5)) {
    case 0: return spaced(word, d);
    case 1: return lookalike(word);
    case 2: return leet(word, d);
    case 3: return zeroWidth(word);
    case 4: return fancy(word);
    default: return word.toUpperCase();
  }
}
