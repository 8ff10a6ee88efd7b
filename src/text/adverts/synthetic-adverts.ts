/**
 * # Synthetic seller adverts and hard benign commerce
 *
 * A seeded generator of labelled texts for testing and benchmarking the
 * advert scorer (issue 3). Same seed, same texts, on any machine.
 *
 * **Seller adverts** copy the *structure* that public reporting describes (the
 * 2023 Stanford Internet Observatory / WSJ investigation): "menus" with
 * prices, claimed ages in many spellings, emoji codes, off-platform handles
 * and invite links, payment handles, file hosts, backup accounts after bans,
 * and filter evasions (letters spread out, look-alike letters, invisible
 * characters, masked link dots, fancy fonts, OCR noise). Every product word is
 * a neutral invented stand-in ("vornaxle", "quibbet"); there are no real abuse
 * terms here and there must never be. The stand-in coded terms and emoji codes
 * are in {@link SYNTHETIC_ADVERT_LEXICON}, so a test can run the real matcher
 * and pass its hits to the scorer, as production does.
 *
 * **Benign commerce** is chosen to be hard: crafts, sneakers, art commissions
 * ("DM for price list"), tutoring for grades 6-8, teen babysitters giving their
 * age and a Snapchat, used furniture, game accounts on Discord paid in crypto,
 * school fundraisers selling "bundles", parents' "my 13yo son loves this",
 * teen-run bake sales, adult creators with menus and Telegram links who state
 * their adult age, digital goods delivered by Dropbox or Drive links, and
 * everyday chat that mentions backups, Telegram or ages. Some benign texts use
 * an emoji that is also a stand-in code (a mushroom on craft earrings).
 *
 * ## Limits (read before quoting a number)
 * - Both classes come from templates written by the same people who wrote the
 *   scorer, so the scorer and the generator share assumptions. Precision and
 *   recall here measure consistency with those assumptions and guard against
 *   regressions; they are **not** an estimate of performance on real
 *   platform traffic, which will be lower.
 * - Real adverts change fast, use languages other than English, and are often
 *   images; real benign traffic is vastly larger and more varied than thirteen
 *   families, so a false-positive rate of a few percent here would be far too
 *   many in production.
 * - Adverts that state no age, use no lexicon term and look exactly like an
 *   adult creator's menu are out of reach of any text-only score; the
 *   generator does not produce them, and adult-creator benign texts always
 *   state an adult age.
 * - Some benign misfires are by design: a craft post with a mushroom emoji that
 *   is also a stand-in emoji code, an adult creator's menu with a backup
 *   account. Reported per family, not hidden.
 * - Tune on one seed and report on another ({@link TUNING_SEED},
 *   {@link HELD_OUT_SEED}), but templates are shared between seeds: a held-out
 *   seed is new combinations, not new kinds of text.
 *
 * Figures per family and throughput: `node --import tsx bench/adverts.ts`
 * (held-out seed; `--seed 1` for the tuning seed, `--misses` to list errors).
 *
 * @example
 * ```ts
 * const set = generateSyntheticAdverts({ seed: HELD_OUT_SEED });
 * const lexicon = compileLexicon(SYNTHETIC_ADVERT_LEXICON);
 * for (const { text, isAdvert } of set) scoreAdvert(text, { hits: lexicon.match(text) });
 * ```
 */
import { Dice, seededRandom } from "../../random/index.js";
import { evade, fancy, lookalike, spaced, zeroWidth } from "../evasions.js";
import type { Lexicon } from "../index.js";

/** One labelled text. */
export interface SyntheticAdvert {
  readonly text: string;
  readonly isAdvert: boolean;
  /** The template family ("menu", "babysitting", ...). */
  readonly family: string;
}

/** Options of {@link generateSyntheticAdverts}. */
export interface SyntheticAdvertOptions {
  readonly seed: number;
  /** Seller adverts per advert family. Default 150 (7 families: 1,050). */
  readonly advertsPerFamily?: number;
  /** Benign texts per benign family. Default 90 (13 families: 1,170). */
  readonly benignPerFamily?: number;
}

/** The seed the scorer's weights were tuned on. */
export const TUNING_SEED = 1;
/** A seed never used while tuning: report figures on this one. */
export const HELD_OUT_SEED = 20_260_917;

/** Stand-in terms in the matcher's lexicon format: invented words and neutral emoji, nothing real. */
export const SYNTHETIC_ADVERT_LEXICON: Lexicon = Object.freeze({
  entries: Object.freeze([
    { term: "vornaxle", category: "coded-term", severity: "block" as const, note: "synthetic stand-in" },
    { term: "quibbet", category: "coded-term", severity: "review" as const, note: "synthetic stand-in" },
    { term: "tessmoor", category: "coded-term", severity: "review" as const, note: "synthetic stand-in" },
    { term: "glimmerwick", category: "coded-term", severity: "block" as const, note: "synthetic stand-in" },
    { term: "nupling", category: "age-claim", severity: "block" as const, note: "synthetic stand-in" },
    { term: "sproutlet", category: "age-claim", severity: "review" as const, note: "synthetic stand-in" },
    { term: "zubtrade", category: "solicitation", severity: "review" as const, note: "synthetic stand-in" },
    { term: "🧲🥥", category: "emoji-code", severity: "block" as const, note: "synthetic stand-in" },
    { term: "🦩🌙", category: "emoji-code", severity: "review" as const, note: "synthetic stand-in" },
    { term: "🍄", category: "emoji-code", severity: "review" as const, note: "synthetic stand-in; also an ordinary emoji" },
  ]),
});

/** Seller families, in generation order. */
export const ADVERT_FAMILIES = ["menu", "bio", "trade", "evasion", "backup-repost", "coded", "ocr"] as const;
/** Benign families, in generation order. */
export const BENIGN_FAMILIES = [
  "crafts", "sneakers", "art-commissions", "tutoring", "babysitting", "furniture", "gaming-accounts",
  "school-fundraiser", "parent-post", "bake-sale", "adult-creator", "digital-goods", "everyday",
] as const;

/** The generic dice plus the shapes of seller texts: handles, ids, prices. */
class AdvertDice extends Dice {
  handle(): string {
    const a = this.pick(["luna", "nova", "pixel", "echo", "rain", "zed", "kai", "mint", "jay", "sol", "vex", "ivy", "fox", "sky", "nyx", "bo"]);
    const b = this.pick(["", "_", ".", "x"]);
    const c = this.pick(["", "22", "07", "x", "hub", "vault", "drop", "9", "_official", "store"]);
    return `${a}${b}${c}${this.chance(0.5) ? this.int(1, 99) : ""}`;
  }
  base58(n: number): string {
    const alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    let s = "";
    for (let i = 0; i < n; i++) s += alphabet[this.int(0, alphabet.length - 1)];
    return s;
  }
  price(lo: number, hi: number): string {
    const n = this.int(lo, hi);
    return this.pick([`$${n}`, `$${n}`, `${n}$`, `£${n}`, `€${n}`, `${n} usd`, `${n}€`, `${n} dollars`]);
  }
}

// --- Seller parts ----------------------------------------------------------

const STAND_INS = ["vornaxle", "quibbet", "tessmoor", "glimmerwick"];
/** Stand-in product words the lexicon does not know: adverts must be caught without them too. */
const UNKNOWN_STAND_INS = ["plimsy", "drovel", "kestrin", "omblet", "fenwhistle"];
const EMOJI_CODES = ["🧲🥥", "🦩🌙", "🍄"];
const DECOR = ["🔥", "✨", "💦", "⭐", "💎", "🎁", "👇", "➡️", "🌸", "💌"];

function sellerAge(d: AdvertDice, evasive: boolean): string {
  const n = d.int(11, 17);
  const words = ["eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"];
  const plain = [
    `${n}yo`, `${n} y/o`, `${n} y.o.`, `${n}y`, `age ${n}`, `${n} years old`, `${words[n - 11]}`, `${words[n - 11]} yo`,
    `${n}-${Math.min(17, n + 2)}yo`, `ages ${n}-${Math.min(17, n + 3)}`, `grade ${n - 5}`, `${n - 5}th grade`, `year ${n - 4}`,
    `u18`, `${d.pick(["nupling", "sproutlet"])}s`, `${n}yo ${d.pick(["nupling", "sproutlet"])}`,
  ];
  if (!evasive) return d.pick(plain);
  return d.pick([
    `${spaced(String(n), d)} y o`, spaced(words[n - 11], d), `${fancy(String(n))}yo`, `${String.fromCharCode(0xff10 + Math.floor(n / 10))}${String.fromCharCode(0xff10 + (n % 10))} y/o`,
    lookalike(words[n - 11]), `${n} ${zeroWidth("yo")}`, `a g e ${n}`, d.pick(plain),
  ]);
}

function sellerContact(d: AdvertDice, evasive: boolean): string {
  const h = d.handle();
  const plain = [
    `tg @${h}`, `t.me/${h}`, `telegram: ${h}`, `Telegram 👉 @${h}`, `wickr me: ${h}`, `wickr: ${h}`,
    `session id: 05${d.hex(64)}`, `kik: ${h}`, `snap @${h}`, `discord.gg/${d.base58(7)}`,
    `whatsapp +44 7700 9${d.int(10000, 99999)}`, `threema ${d.base58(8).toUpperCase()}`, `dm me on tg ${h}`,
  ];
  if (!evasive) return d.pick(plain);
  return d.pick([
    `t(.)me/${h}`, `t . me / ${h}`, `t[.]me/${h}`, `${evade("telegram", d)} @${h}`, `${evade("wickr", d)} ${h}`,
    `${lookalike("t.me")}/${h}`, `${evade("session", d)} id 05${d.hex(64)}`, d.pick(plain),
  ]);
}

function sellerPayment(d: AdvertDice, evasive: boolean): string {
  const h = d.handle().replace(/[._]/g, "");
  const plain = [
    `cashapp $${h}`, `cash app only`, `btc only`, `BTC: bc1q${d.hex(38)}`, `eth 0x${d.hex(40)}`, `usdt / ltc`, `gift cards ok`,
    `amazon gift card`, `paypal.me/${h}`, `venmo @${h}`, `crypto only`, `paysafecard accepted`, `xmr`,
  ];
  if (!evasive) return d.pick(plain);
  return d.pick([`${evade("cashapp", d)} $${h}`, `${evade("crypto", d)} only`, `${evade("bitcoin", d)}`, d.pick(plain)]);
}

function sellerBackup(d: AdvertDice): string {
  const h = d.handle();
  return d.pick([
    `backup @${h}_bkp`, `if banned follow @${h}2`, `bkp: @${h}`, `main got banned, this is my new acc`, `follow my backup @${h}`,
    `new acc, old one got banned`, `backup acc in bio`, `if this gets banned: @${h}_backup`, `got banned again 🙄 new page`,
  ]);
}

function menuItem(d: AdvertDice, known: boolean): string {
  const word = known ? d.pick(STAND_INS) : d.pick(UNKNOWN_STAND_INS);
  const p = d.price(5, 150);
  return d.pick([
    `${d.int(5, 200)} ${word} vids - ${p}`, `${word} pics (${d.int(10, 300)}) ${p}`, `full ${word} folder ${p}`,
    `${d.int(2, 80)}GB ${word} bundle ${p}`, `custom ${word} vids ${p}`, `${word} pack ${p}`, `${p}/vid`, `${p} per pic`,
    `vid packs ${p}`, `${word} collection ${p}`, `${d.int(10, 90)} clips ${p}`, `mega folder ${p}`,
  ]);
}

function menuHeader(d: AdvertDice, evasive: boolean): string {
  const word = d.pick(["menu", "MENU", "price list", "Menu", "prices", "menu 👇", "MENU open"]);
  const decorated = d.chance(0.5) ? `${d.pick(DECOR)} ${word} ${d.pick(DECOR)}` : word;
  return evasive ? decorated.replace(/menu|price list|prices/i, (w) => evade(w.toLowerCase(), d)) : decorated;
}

function lines(parts: string[], d: AdvertDice): string {
  return parts.filter((p) => p.length > 0).join(d.pick(["\n", " | ", ". ", "\n", " ✨ ", " "]));
}

function emojiCode(d: AdvertDice): string {
  const code = d.pick(EMOJI_CODES);
  return d.pick([code, `${code}${code}`, `${code} ${d.pick(DECOR)}`]);
}

const SELLERS: Readonly<Record<(typeof ADVERT_FAMILIES)[number], (d: AdvertDice) => string>> = {
  menu(d) {
    const items: string[] = [];
    for (let i = d.int(2, 5); i > 0; i--) items.push(menuItem(d, d.chance(0.6)));
    return lines([
      d.chance(0.5) ? emojiCode(d) : "",
      menuHeader(d, false),
      d.chance(0.9) ? sellerAge(d, false) : "",
      ...items,
      d.pick(["instant delivery", "mega links", "dm to buy", "no free previews", "serious buyers only", ""]),
      sellerContact(d, false),
      d.chance(0.7) ? sellerPayment(d, false) : "",
      d.chance(0.3) ? sellerBackup(d) : "",
    ], d);
  },
  bio(d) {
    return lines(d.some([
      sellerAge(d, false),
      emojiCode(d),
      d.pick(["menu in tg", "menu in bio", "dm for menu", "selling content", "vids + pics", "trading content", "prices in bio", `${d.pick(STAND_INS)} vids`]),
      sellerContact(d, false),
      d.chance(0.5) ? sellerPayment(d, false) : d.pick(DECOR),
    ], 4, 5), d);
  },
  trade(d) {
    const word = d.chance(0.7) ? d.pick(STAND_INS) : d.pick(UNKNOWN_STAND_INS);
    return lines([
      d.pick(["trading only, no sellers", "looking to trade", "zubtrade", "trading content", "swap only", "for trade"]),
      `have ${d.int(5, 90)} ${d.pick(["folders", "vids", "GB", "links"])} of ${word}${d.chance(0.6) ? ` ${sellerAge(d, false)}` : ""}`,
      d.pick([`want ${d.pick(STAND_INS)}`, "send proof first", "new stuff only", "verified traders", "mega links only", "dropbox links"]),
      sellerContact(d, false),
      d.chance(0.3) ? emojiCode(d) : "",
    ], d);
  },
  evasion(d) {
    const items: string[] = [];
    for (let i = d.int(1, 3); i > 0; i--) items.push(menuItem(d, d.chance(0.3)).replace(/vids|pics|folder|bundle/, (w) => evade(w, d)));
    return lines([
      menuHeader(d, true),
      sellerAge(d, true),
      ...items,
      sellerContact(d, true),
      d.chance(0.6) ? sellerPayment(d, true) : "",
      d.chance(0.3) ? emojiCode(d) : "",
    ], d);
  },
  "backup-repost"(d) {
    return lines([
      sellerBackup(d),
      d.pick(["same menu as before", "menu still the same", "old buyers dm me", "restocked", "everything still available"]),
      d.chance(0.8) ? sellerAge(d, d.chance(0.3)) : emojiCode(d),
      d.chance(0.6) ? menuItem(d, d.chance(0.5)) : d.pick(["vids and pics", "content", "folders"]),
      sellerContact(d, d.chance(0.3)),
    ], d);
  },
  coded(d) {
    const items: string[] = [];
    for (let i = d.int(1, 4); i > 0; i--) items.push(menuItem(d, true));
    return lines([
      emojiCode(d),
      d.chance(0.7) ? menuHeader(d, false) : "",
      ...items,
      d.chance(0.5) ? emojiCode(d) : "",
      sellerContact(d, false),
      d.chance(0.6) ? sellerPayment(d, false) : "",
      d.chance(0.25) ? sellerBackup(d) : "",
    ], d);
  },
  ocr(d) {
    // Image text: upper case, line breaks, misread letters.
    const items: string[] = [];
    for (let i = d.int(2, 5); i > 0; i--) items.push(menuItem(d, d.chance(0.5)).toUpperCase());
    const text = [
      d.pick(["PRICE LIST", "MENU", "M E N U", "PRICES"]),
      d.chance(0.85) ? sellerAge(d, false).toUpperCase() : "",
      ...items,
      sellerContact(d, false).toUpperCase(),
      d.chance(0.6) ? sellerPayment(d, false).toUpperCase() : "",
    ].filter((x) => x.length > 0).join("\n");
    return text.replace(/O/g, () => (d.chance(0.15) ? "0" : "O")).replace(/I/g, () => (d.chance(0.15) ? "l" : "I"));
  },
};

// --- Benign parts ----------------------------------------------------------

function pay(d: AdvertDice): string {
  return d.pick([
    "paypal only", "venmo or cashapp", `cashapp $${d.handle().replace(/[._]/g, "")}`, `venmo @${d.handle()}`, "zelle", "cash only",
    "paypal g&s", "payment via paypal", "card or cash", "",
  ]);
}

const BENIGN: Readonly<Record<(typeof BENIGN_FAMILIES)[number], (d: AdvertDice) => string>> = {
  crafts(d) {
    const thing = d.pick(["crochet frogs", "mushroom earrings 🍄", "beaded bracelets", "soy candles", "clay pots", "knitted hats", "resin keychains", "stickers"]);
    return lines([
      d.pick([`new ${thing} in the shop!`, `${thing} restocked`, `handmade ${thing}`, `selling my ${thing}`]),
      `${d.price(4, 40)} each${d.chance(0.5) ? `, ${d.int(2, 5)} for ${d.price(10, 60)}` : ""}`,
      d.pick(["DM for price list", "price list in bio", "bundles available", "custom orders open", "full collection on etsy", "ships worldwide"]),
      pay(d),
      d.chance(0.3) ? d.pick(["pics of new colours in my story", "more photos on my page"]) : "",
    ], d);
  },
  sneakers(d) {
    const shoe = d.pick(["Jordan 1 Chicago", "Dunk Low Panda", "Yeezy 350", "AF1 triple white", "NB 550", "Samba OG"]);
    return lines([
      `${d.pick(["WTS", "selling", "for sale", "FS"])}: ${shoe} size ${d.int(6, 13)}${d.pick(["", ".5"])}`,
      d.pick(["DS", "VNDS", "worn twice", "with receipt", "og box"]),
      `${d.price(90, 400)}${d.chance(0.5) ? " obo" : ""}`,
      d.pick(["DM for pics", "more pics on request", "pics in comments", "tagged pics available", ""]),
      d.pick(["shipping or local pickup", "ships next day", "meetup in town", ""]),
      pay(d),
      d.chance(0.2) ? `discord: ${d.handle()}#${d.int(1000, 9999)}` : "",
    ], d);
  },
  "art-commissions"(d) {
    return lines([
      d.pick(["COMMISSIONS OPEN ✨", "commissions open!", "art commissions 🎨", "taking commissions"]),
      d.pick(["price list:", "prices:", "menu:", "rates:"]),
      `headshot ${d.price(10, 30)}`, `half body ${d.price(20, 50)}`, `full body ${d.price(35, 90)}`,
      d.pick(["DM for price list", "DM me for details", "send ref pics", "ref pics required", "extra characters +50%"]),
      d.pick([pay(d), "paypal invoice only", "ko-fi"]),
      d.chance(0.35) ? d.pick([`discord: ${d.handle()}`, `telegram for updates: t.me/${d.handle()}`, `snap me ${d.handle()}`]) : "",
    ], d);
  },
  tutoring(d) {
    const g1 = d.int(3, 8);
    return lines([
      d.pick(["Math tutoring", "Reading and writing tutor", "SAT prep", "Science homework help", "Spanish lessons", "Piano lessons"]),
      d.pick([`for grades ${g1}-${g1 + 3}`, `grades ${g1} to ${g1 + 2}`, `students ages ${g1 + 5}-${g1 + 8}`, `middle school and high school`, `year ${g1 + 2} students`]),
      `${d.price(20, 60)}/hr`,
      d.pick(["first session free", "online via zoom", "in person or online", "5 years experience"]),
      d.pick([`email ${d.handle()}@mail.com`, "DM me", `call ${d.int(200, 999)}-555-${d.int(1000, 9999)}`, "book through my site"]),
    ], d);
  },
  babysitting(d) {
    const age = d.int(14, 17);
    return lines([
      d.pick([`Hi! I'm ${age}`, `${age} y/o babysitter`, `I am ${age} years old`, `${age}yo, responsible`, `high school sophomore (${age})`]),
      d.pick(["available for babysitting this summer", "looking for babysitting jobs", "pet sitting and babysitting", "mother's helper"]),
      d.pick(["CPR certified", "first aid trained", "great with toddlers", "references available"]),
      `${d.price(10, 20)}/hr`,
      d.pick([`text ${d.int(200, 999)}-555-${d.int(1000, 9999)}`, `snap: ${d.handle()}`, "DM me", `my mom's number ${d.int(200, 999)}-555-${d.int(1000, 9999)}`, `snap me @${d.handle()}`]),
    ], d);
  },
  furniture(d) {
    return lines([
      d.pick(["Moving sale!", "Selling:", "For sale:", "Must go this weekend"]),
      d.pick(["IKEA dresser", "oak dining table + 4 chairs", "grey sectional sofa", "bunk beds", "desk and chair", "bookshelf"]),
      d.pick(["good condition", "some scratches", "barely used", "5 years old"]),
      `${d.price(20, 300)}${d.chance(0.5) ? " obo" : ""}`,
      d.pick(["pickup only", "local pickup", "can deliver nearby", ""]),
      d.pick(["DM for more pics", "pics on request", "photos in comments", ""]),
      pay(d),
    ], d);
  },
  "gaming-accounts"(d) {
    return lines([
      d.pick(["selling my fortnite acc", "WTS valorant account", "selling roblox account", "minecraft account for sale", "trading my genshin acc"]),
      d.pick([`${d.int(50, 300)} skins`, "full access", "OG email included", `level ${d.int(50, 300)}`, "ranked diamond"]),
      d.price(30, 600),
      d.pick([`discord: ${d.handle()}#${d.int(1000, 9999)}`, `add me on discord ${d.handle()}`, `discord.gg/${d.handle()}`, `tg @${d.handle()}`, "dm me"]),
      d.pick(["crypto only", "btc or paypal", "cashapp", "gift cards ok", "paypal g&s"]),
      d.chance(0.3) ? d.pick(["backup email included", "my new acc is @" + d.handle(), "middleman ok"]) : "",
    ], d);
  },
  "school-fundraiser"(d) {
    const grade = d.int(6, 12);
    return lines([
      d.pick([`${grade}th grade fundraiser!`, `Year ${grade} fundraiser`, "PTA fundraiser", "Band booster sale", `Class of 20${d.int(27, 33)} fundraiser`]),
      d.pick(["cookie dough", "raffle tickets", "wrapping paper", "candles", "chocolate bars", "car wash tickets"]),
      `${d.price(1, 15)} each`,
      d.pick([`bundles of ${d.int(3, 10)} for ${d.price(10, 40)}`, `packs of ${d.int(3, 10)}`, "full collection in the catalog", ""]),
      d.pick(["all proceeds go to the class trip", "proceeds support the school library", "thank you for supporting us", ""]),
      pay(d),
    ], d);
  },
  "parent-post"(d) {
    const age = d.int(5, 17);
    return lines([
      d.pick([`my ${age}yo son loves this`, `my daughter (${age}) won't stop playing with it`, `bought this for my ${age} year old`, `my ${age}-year-old kid uses it daily`, `our ${age}yo girl asked for a second one`]),
      d.pick(["LEGO set", "drawing tablet", "bike helmet", "science kit", "headphones", "book series"]),
      d.pick([`only ${d.price(10, 80)} on sale`, `${d.price(10, 80)} at target`, `was ${d.price(30, 100)}, now ${d.price(10, 29)}`, "link in bio", ""]),
      d.pick(["highly recommend", "10/10", "worth it", "get it before it sells out"]),
    ], d);
  },
  "bake-sale"(d) {
    const grade = d.int(6, 9);
    return lines([
      d.pick([`We're ${grade}th graders running a bake sale!`, `${grade}th grade bake sale`, `Teen bake sale (we're ${grade + 6}!)`, `Hi! I'm ${grade + 6} and selling cookies`]),
      `cookies ${d.price(1, 3)}`, `brownies ${d.price(2, 4)}`, d.pick([`cupcakes ${d.price(2, 5)}`, `lemonade ${d.price(1, 2)}`, ""]),
      d.pick(["🍪", "🧁", "🍄 mushroom meringues!", "🍋", ""]),
      d.pick(["saturday at the park", "after school by the gym", "all proceeds to the animal shelter", "for our school trip"]),
      pay(d),
    ], d);
  },
  "adult-creator"(d) {
    return lines([
      d.pick(["18+ only", "🔞 adults only", `${d.int(19, 34)} y/o creator`, "all content 18+", "NSFW 18+", `I'm ${d.int(21, 35)}`]),
      d.pick(["menu:", "price list", "content menu", "bundles"]),
      `${d.int(5, 50)} vids ${d.price(10, 60)}`,
      d.pick([`pic pack ${d.price(5, 30)}`, `custom content ${d.price(30, 100)}`, `full vault ${d.price(40, 150)}`]),
      d.pick([`tg @${d.handle()}`, `t.me/${d.handle()}`, "link in bio", `snap ${d.handle()}`]),
      pay(d) || "cashapp",
      d.chance(0.25) ? `backup @${d.handle()}_bkp` : "",
    ], d);
  },
  "digital-goods"(d) {
    return lines([
      d.pick(["Lightroom presets bundle", "stock photo pack", "beat pack vol. 3", "fitness program PDF", "Procreate brush collection", "recipe e-book", "wedding video LUTs"]),
      d.pick([`${d.int(10, 200)} photos`, `${d.int(5, 40)} files`, `${d.int(10, 60)} presets`, `${d.int(10, 80)} video clips`]),
      d.price(5, 60),
      d.pick(["instant delivery via dropbox link", "google drive link after payment", "download link by email", "delivered on gumroad", "link in bio"]),
      pay(d),
    ], d);
  },
  everyday(d) {
    return d.pick([
      `my backup drive died, lost ${d.int(2, 500)} photos 😭`,
      `we moved the group chat to telegram, ask me for the link`,
      `fourteen of us went camping, pics coming soon`,
      `anyone selling a used ${d.pick(["bike", "tent", "ps5"])}? paypal ready`,
      `my ${d.int(8, 16)}yo sister made me a cake today`,
      `${d.int(13, 17)} years since we met! happy anniversary`,
      `new acc because I forgot my password lol, follow me here`,
      `the menu at that new cafe is wild, ${d.price(4, 9)} for a coffee`,
      `backup singer for the ${d.pick(["school", "church"])} choir needed`,
      `just finished ${d.pick(["8th grade", "year 10", "middle school"])}!! summer let's go`,
      `selling tickets to the game, ${d.price(20, 80)} each, dm me`,
      `our discord server is open, discord.gg/${d.handle()}`,
    ]);
  },
};

/**
 * Generates the labelled set for one seed: every advert family, then every
 * benign family, each with its count. The same seed gives the same texts.
 */
export function generateSyntheticAdverts(options: SyntheticAdvertOptions): SyntheticAdvert[] {
  const d = new AdvertDice(seededRandom(options.seed));
  const perAdvert = options.advertsPerFamily ?? 150;
  const perBenign = options.benignPerFamily ?? 90;
  const out: SyntheticAdvert[] = [];
  for (const family of ADVERT_FAMILIES) {
    for (let i = 0; i < perAdvert; i++) out.push({ text: SELLERS[family](d), isAdvert: true, family });
  }
  for (const family of BENIGN_FAMILIES) {
    for (let i = 0; i < perBenign; i++) out.push({ text: BENIGN[family](d), isAdvert: false, family });
  }
  return out;
}
