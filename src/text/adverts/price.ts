import { findAll, type AdvertText, type Evidence } from "./evidence.js";

const D = "[0-9\\uFF10-\\uFF19]";
// Anchored on the left and bounded: an unanchored `\d+` retries from every digit of a long run (quadratic).
const NUMBER = `(?<![0-9\\uFF10-\\uFF19.,])${D}{1,9}(?:[.,]${D}{1,2})?`;
const SYMBOL = "[$£€¥₹₽\\uFF04\\uFFE1\\uFFE5]";
const WORD_AFTER = "(?:usd|eur|gbp|cad|aud|dollars?|bucks|euros?|pounds?|quid|dlls?)";
// What follows a price says what is priced: a media item, an hour of service, or nothing.
const UNIT = "(?:\\s?(?:/|per|each|a|for|for a|x)?\\s?(?<unit>vids?|videos?|pics?|photos?|clips?|folders?|packs?|bundles?|links?|min(?:ute)?s?|hr|hour|h|session|lesson|night|day|week|dozen|each|ea|piece|pc|box|bag|slice|plate|ticket)s?\\b)?";

const RAW_PRICE = new RegExp(
  `(?:${SYMBOL}\\s?${NUMBER}|${NUMBER}\\s?(?:${SYMBOL}|${WORD_AFTER}\\b)|\\b(?:usd|eur|gbp)\\s?${NUMBER})${UNIT}`,
  "giu",
);

const MEDIA_UNIT = /^(?:vid|video|pic|photo|clip|folder|pack|bundle|link)/;
const SERVICE_UNIT = /^(?:min|hr|hour|h$|session|lesson|night|day|week)/;

/** `price`: currency amounts ("$20", "15€", "20 usd", "$5/vid"), weighted by what they price. */
export function priceEvidence(text: AdvertText, out: Evidence[]): void {
  const make = (m: RegExpExecArray) => {
    const unit = m.groups?.unit?.toLowerCase();
    if (unit !== undefined && MEDIA_UNIT.test(unit)) return { signal: "price" as const, weight: 1.1, label: "price per media item" };
    if (unit !== undefined && SERVICE_UNIT.test(unit)) return { signal: "price" as const, weight: 0.3, label: "rate for a service" };
    return { signal: "price" as const, weight: 0.6, label: "price" };
  };
  findAll(text.raw, text.original, RAW_PRICE, make, out);
  // The folded view reads look-alike digits and prices spread out ("$ 2 0").
  findAll(text.folded, text.original, RAW_PRICE, make, out);
}
