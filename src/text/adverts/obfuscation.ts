import { findAll, type AdvertText, type Evidence } from "./evidence.js";

const INVISIBLE_IN_WORD = /[\p{L}\p{N}][\u00AD\u200B-\u200F\u2060-\u2064\uFEFF]+[\p{L}\p{N}]/gu;
const MASKED_DOT = /\b(?:t|wa|discord|mega|paypal)\s*(?:\(\s*\.\s*\)|\[\s*\.\s*\]|\(dot\)|\[dot\]|\{dot\}| dot | \. )\s*(?:me|gg|nz|io|com)\b/giu;
const PLAIN = /^[a-z0-9 '&-]*$/;

/**
 * `obfuscation`: selling words written to slip past filters. Advert vocabulary
 * spread out ("m e n u"), in leetspeak or look-alike letters ("c@shapp",
 * "𝓶𝓮𝓷𝓾"), invisible characters inside words, masked link dots ("t(.)me").
 * Fancy fonts are common in ordinary bios, so this weighs little on its own.
 */
export function obfuscationEvidence(text: AdvertText, out: Evidence[]): void {
  for (const hit of text.vocabulary) {
    const matched = hit.matched.toLowerCase();
    if (hit.view === "spaced") out.push({ signal: "obfuscation", weight: 0.7, start: hit.start, end: hit.end, label: "letters spread out" });
    else if (!PLAIN.test(matched)) out.push({ signal: "obfuscation", weight: 0.6, start: hit.start, end: hit.end, label: "look-alike or leetspeak letters" });
  }
  findAll(text.raw, text.original, INVISIBLE_IN_WORD, () => ({ signal: "obfuscation", weight: 0.6, label: "invisible characters inside a word" }), out);
  findAll(text.raw, text.original, MASKED_DOT, () => ({ signal: "obfuscation", weight: 0.8, label: "a link with its dot masked" }), out);
}
