/**
 * Seller-advert scoring (issue 3): an explainable score for text that
 * advertises material for sale or trade, the "menus" of the 2023 Stanford
 * Internet Observatory / WSJ investigation. A pure library: text and optional
 * lexicon hits in, a score with named, weighted, located signals out. No
 * database, no network, no logging; the built-in vocabulary of selling words
 * is compiled once on first use and immutable afterwards.
 *
 * @example
 * ```ts
 * import { compileLexicon } from "lapwing/text";
 * import { scoreAdvert } from "lapwing/text/adverts";
 *
 * const lexicon = compileLexicon(operatorLexicon);
 * const text = "🦋 MENU 🦋 14yo vids $20, tg @seller, cashapp $seller, backup @seller_bkp";
 * const result = scoreAdvert(text, { hits: lexicon.match(text) });
 * result.level; // "high"
 * result.signals.map((s) => s.name);
 * // ["combination", "minor-age", "off-platform-contact", "backup-account", "menu-language", "media-goods", ...]
 * result.signals.find((s) => s.name === "minor-age")?.spans; // [{ start: 11, end: 15, text: "14yo" }]
 * ```
 *
 * ## Signals
 * Each feature adds a named signal whose `weight` is its contribution to the
 * log-odds, with the spans it found (UTF-16 offsets into the original text)
 * and an explanation a reviewer can check:
 * `price`, `menu-language`, `media-goods`, `minor-age`, `off-platform-contact`,
 * `file-host`, `payment-handle`, `backup-account`, `obfuscation`,
 * `lexicon-age-claim`, `lexicon-coded-term`, `lexicon-solicitation`,
 * `emoji-code`, `lexicon-other`; mitigating (negative): `adult-age`,
 * `benign-context`; and `combination`, the interaction terms: goods for sale,
 * a claimed minor age and contact elsewhere together weigh far more than each
 * alone. The score is the logistic of a negative bias plus every weight, so
 * commerce alone (a crafts price list with PayPal) stays low.
 *
 * ## Where features read
 * Words are found by the text matcher (spread out, leetspeak, look-alikes,
 * invisible characters); ages, prices and link shapes on the normaliser's
 * reading with spread-out letters joined ("f o u r t e e n", "t(.)me/x");
 * URLs, ids, cashtags and crypto addresses on the raw text.
 *
 * ## Bounded work
 * Only the first `maxChars` (default 100,000) UTF-16 code units are read
 * (`isTruncated` says when more was there). Work is linear in the text;
 * lone surrogates read as separators and never throw.
 *
 * ## Caveat: what the figures mean
 * Precision and recall come from a synthetic set written alongside the scorer
 * (`generateSyntheticAdverts`); read its header before quoting them. The
 * `benign-context` cues ("my son", "bake sale", "handmade") can be copied
 * into an advert; they are capped and never cancel a full advert.
 *
 * @packageDocumentation
 */
export { scoreAdvert } from "./score-advert.js";
export {
  ADVERT_DEFAULTS,
  type AdvertLevel,
  type AdvertOptions,
  type AdvertScore,
  type AdvertSignal,
  type AdvertSignalName,
  type OriginalSpan,
} from "./types.js";
export {
  generateSyntheticAdverts,
  SYNTHETIC_ADVERT_LEXICON,
  ADVERT_FAMILIES,
  BENIGN_FAMILIES,
  TUNING_SEED,
  HELD_OUT_SEED,
  type SyntheticAdvert,
  type SyntheticAdvertOptions,
} from "./synthetic-adverts.js";
