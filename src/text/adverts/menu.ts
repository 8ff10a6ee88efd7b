import { findAll, vocabularyOf, type AdvertText, type Evidence } from "./evidence.js";

const MEDIA_COUNT = /(?<![\d.])\d{1,5}\+? ?(?:vids?|videos?|pics?|photos?|clips?|folders?|files?)\b/gu;

/** `menu-language`: a list of goods for sale or trade ("menu", "price list", "bundles", "selling"). */
export function menuEvidence(text: AdvertText, out: Evidence[]): void {
  for (const { hit, kind } of vocabularyOf(text, "menu")) {
    const strong = kind === "strong";
    out.push({ signal: "menu-language", weight: strong ? 1.2 : 0.5, start: hit.start, end: hit.end, label: strong ? "menu or sales-list wording" : "selling or trading wording" });
  }
}

/** `media-goods`: the goods are media ("vids", "pics", "folders", "content"), or counted media ("50 vids"). */
export function mediaEvidence(text: AdvertText, out: Evidence[]): void {
  for (const { hit, kind } of vocabularyOf(text, "media")) {
    const strong = kind === "strong";
    out.push({ signal: "media-goods", weight: strong ? 1.0 : 0.35, start: hit.start, end: hit.end, label: strong ? "media sold as goods" : "photos or videos mentioned" });
  }
  findAll(text.folded, text.original, MEDIA_COUNT, () => ({ signal: "media-goods", weight: 1.0, label: "a count of media items" }), out);
}
