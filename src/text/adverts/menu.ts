import { findAll, vocabularyOf, type AdvertText, type Evidence } from "./evidence.js";

const SLANG_MEDIA_COUNT = /(?<![\d.])\d{1,5}\+? ?(?:vids?|pics?|folders?)\b/gu;
const MEDIA_COUNT = /(?<![\d.])\d{1,5}\+? ?(?:videos?|photos?|clips?|files?|gb)\b/gu;

/** The label of trading wording, which the combination reads as an exchange like a price. */
export const TRADE_LABEL = "trading wording";

/** `menu-language`: a list of goods for sale or trade ("menu", "price list", "bundles", "selling"). */
export function menuEvidence(text: AdvertText, out: Evidence[]): void {
  for (const { hit, kind } of vocabularyOf(text, "menu")) {
    if (kind === "trade") out.push({ signal: "menu-language", weight: 0.7, start: hit.start, end: hit.end, label: TRADE_LABEL });
    else if (kind === "strong") out.push({ signal: "menu-language", weight: 1.2, start: hit.start, end: hit.end, label: "menu or sales-list wording" });
    else out.push({ signal: "menu-language", weight: 0.5, start: hit.start, end: hit.end, label: "selling wording" });
  }
}

/** `media-goods`: the goods are media ("vids", "pics", "folders", "content"), or counted media ("50 vids"). */
export function mediaEvidence(text: AdvertText, out: Evidence[]): void {
  for (const { hit, kind } of vocabularyOf(text, "media")) {
    const strong = kind === "strong";
    out.push({ signal: "media-goods", weight: strong ? 1.0 : 0.35, start: hit.start, end: hit.end, label: strong ? "media sold as goods" : "photos or videos mentioned" });
  }
  findAll(text.folded, text.original, SLANG_MEDIA_COUNT, () => ({ signal: "media-goods", weight: 1.0, label: "a count of media items" }), out);
  findAll(text.folded, text.original, MEDIA_COUNT, () => ({ signal: "media-goods", weight: 0.5, label: "a count of photos, videos or files" }), out);
}
