import { compileLexicon, type CompiledLexicon, type LexiconEntry } from "../index.js";

/**
 * The words and phrases of commerce, contact, payment and account churn that
 * the advert features look for. They go through the text matcher, so they are
 * found spread out ("m e n u"), in leetspeak ("pr1ce l1st"), with look-alike
 * letters or invisible characters between.
 *
 * These are ordinary words of online selling, not abuse terms: the
 * abuse-specific vocabulary (coded terms, emoji codes) belongs to the
 * operator's lexicon and arrives as `hits`.
 *
 * `category` names the feature; `note` is the sub-kind the feature weighs.
 */
const VOCABULARY: ReadonlyArray<readonly [term: string, feature: string, kind: string]> = [
  // Menu language. "menu"-strength words name a list of goods; the rest are ordinary selling.
  ...["menu", "price list", "pricelist", "prices in bio", "menu in bio", "dm for menu", "ask for menu", "content for sale", "content for trade", "for sale or trade", "selling content", "serious buyers", "buyers only", "auto delivery", "no free previews", "proof of payment"]
    .map((t) => [t, "menu", "strong"] as const),
  ...["trading content", "content for trade", "looking to trade", "trade only", "trading only", "swap only", "swaps", "for trade", "trading", "trades"]
    .map((t) => [t, "menu", "trade"] as const),
  ...["bundle", "bundles", "packs", "collection", "collections", "for sale", "selling", "sale", "prices", "rates", "price", "instant delivery"]
    .map((t) => [t, "menu", "plain"] as const),
  // Goods that are media.
  ...["vids", "vid", "folders", "folder", "vid packs", "pic packs", "pics and vids", "vids and pics", "full vids", "content", "cloud links", "albums"]
    .map((t) => [t, "media", "strong"] as const),
  ...["pics", "pictures", "photos", "videos", "video", "clips", "links", "files", "media"]
    .map((t) => [t, "media", "plain"] as const),
  // Messaging apps: the ones built for privacy first, then the everyday ones.
  ...["telegram", "tg", "telegrm", "wickr", "wickr me", "session id", "session app", "threema", "signal app", "element app", "tox id", "briar"]
    .map((t) => [t, "contact", "private"] as const),
  ...["kik", "snap", "snapchat", "discord", "whatsapp", "whats app", "line app", "wechat"]
    .map((t) => [t, "contact", "social"] as const),
  ...["dm me on", "add me on", "hmu on", "message me on", "text me on", "hit me up on", "contact me on", "find me on", "link in bio", "links in bio"]
    .map((t) => [t, "contact", "invite"] as const),
  // File hosts (as words; links are found by pattern).
  ...["mega link", "mega links", "mega folder", "mega folders", "mega nz", "dropbox", "google drive", "gdrive", "drive link", "drive links", "mediafire", "terabox", "pcloud", "icedrive", "gofile", "anonfiles", "file host"]
    .map((t) => [t, "file-host", "host"] as const),
  // Payment.
  ...["crypto", "bitcoin", "btc", "eth", "ethereum", "usdt", "ltc", "litecoin", "monero", "xmr", "gift card", "gift cards", "giftcard", "giftcards", "amazon card", "steam card", "google play card", "apple card", "paysafe", "paysafecard"]
    .map((t) => [t, "payment", "untraceable"] as const),
  ...["cashapp", "cash app", "paypal", "venmo", "zelle", "revolut", "skrill", "chime"]
    .map((t) => [t, "payment", "wallet"] as const),
  // Account churn.
  ...["backup acc", "backup account", "backup page", "backup profile", "bkp", "bkup", "bckp", "new acc", "new account", "new page", "if banned", "if i get banned", "if this gets banned", "if this gets deleted", "in case of ban", "main got banned", "main got deleted", "main acc got banned", "follow my backup", "follow backup", "old acc got banned", "got banned again"]
    .map((t) => [t, "backup", "account"] as const),
  ...["backup"].map((t) => [t, "backup", "word"] as const),
];

/** The compiled vocabulary and the sub-kind of each entry, by entry index. */
export interface AdvertVocabulary {
  readonly lexicon: CompiledLexicon;
  readonly kinds: readonly string[];
}

let compiled: AdvertVocabulary | undefined;

/**
 * The vocabulary compiled once, on first use. It is immutable afterwards, like
 * the matcher's Unicode tables, so sharing it across calls is safe.
 * Terms of four letters or more also match spread out ("m e n u").
 */
export function advertVocabulary(): AdvertVocabulary {
  if (compiled === undefined) {
    const entries: LexiconEntry[] = VOCABULARY.map(([term, feature, kind]) => ({ term, category: feature, severity: "review", note: kind }));
    const lexicon = compileLexicon({ entries }, { spacedMinLetters: 4, maxChars: Number.MAX_SAFE_INTEGER });
    compiled = Object.freeze({ lexicon, kinds: Object.freeze(VOCABULARY.map(([, , kind]) => kind)) });
  }
  return compiled;
}
