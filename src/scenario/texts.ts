import type { Dice } from "../random/index.js";
import { evade, leet, lookalike, spaced, zeroWidth } from "../text/index.js";

/*
 * The words of a synthetic scenario: handles, names, bios, posts, comments and
 * report reasons for each kind of account. Every abuse-specific word is a
 * neutral invented stand-in from the shared text-eval lexicon
 * (shared/text-eval/lexicon.json: "vornaxle", "velvet lantern club", "🧲🥥"),
 * never a real term; the selling words ("menu", "price list", "tg", "cashapp",
 * "bkp") are the ordinary commerce vocabulary the advert scorer knows
 * (src/text/adverts/vocabulary.ts), which benign shops use too.
 */

/** The stand-in terms sellers use, spelled exactly as in the shared text-eval lexicon. */
export const scenarioStandIns = [
  { term: "vornaxle", category: "coded-term", severity: "block" },
  { term: "holvik", category: "coded-term", severity: "block" },
  { term: "plenthix", category: "coded-term", severity: "block" },
  { term: "mossuvant", category: "coded-term", severity: "block" },
  { term: "quilbery", category: "coded-term", severity: "review" },
  { term: "snorvad", category: "solicitation", severity: "block" },
  { term: "frellopy", category: "age-claim", severity: "block" },
  { term: "kestrovin", category: "age-claim", severity: "review" },
  { term: "velvet lantern club", category: "solicitation", severity: "block" },
  { term: "tin kettle swap", category: "solicitation", severity: "block" },
  { term: "#mossyteacup", category: "coded-term", severity: "block" },
  { term: "#sleepyanvil", category: "age-claim", severity: "block" },
  { term: "🧲🥥", category: "emoji-code", severity: "block" },
  { term: "🧦🪐", category: "emoji-code", severity: "block" },
] as const;

const CODED = ["vornaxle", "holvik", "plenthix", "mossuvant", "quilbery"];
const AGE_CLAIMS = ["frellopy", "kestrovin"];
const PHRASES = ["velvet lantern club", "tin kettle swap", "snorvad"];
const CODE_TAGS = ["#mossyteacup", "#sleepyanvil"];
const EMOJI_CODES = ["🧲🥥", "🧦🪐"];
const DECOR = ["🔥", "✨", "💦", "⭐", "💎", "🎁", "👇", "🌸", "💌"];

const FIRST = ["luna", "nova", "pixel", "echo", "rain", "zed", "kai", "mint", "jay", "sol", "vex", "ivy", "fox", "sky", "nyx", "bo", "max", "lee",
  "sam", "ana", "mia", "leo", "eli", "ola", "tom", "zoe", "ari", "ren", "cas", "dex", "fern", "wren", "juno", "ash", "rio", "bea"];
const SECOND = ["moss", "teacup", "river", "maple", "pebble", "cloud", "fern", "otter", "comet", "willow", "ember", "harbor", "lark", "quill",
  "sprout", "tide", "birch", "cedar", "dune", "fable"];
const SHOPPY = ["store", "vault", "drop", "shop", "studio", "prints", "hub"];

/** Interest communities, by index modulo the list: names for bios and hashtags. */
const TOPICS = ["hiking", "film photos", "baking", "football", "knitting", "gaming", "jazz", "gardening", "anime", "skate", "poetry", "running",
  "birdwatching", "pottery", "cycling", "sci-fi", "coffee", "climbing", "chess", "street food", "vinyl", "astronomy", "fishing", "yoga"];

export function topicOf(community: number): string {
  return TOPICS[community % TOPICS.length]!;
}

function hashtag(words: string): string {
  return `#${words.replace(/[^a-z0-9]/gi, "")}`;
}

/**
 * A unique handle: two words plus the account number in base 36, so no two
 * accounts share one whatever the dice say. `shoppy` handles ("…_store",
 * "…vault") are what sellers and legitimate shops both pick.
 */
export function makeHandle(index: number, d: Dice, shoppy: boolean): string {
  const sep = d.pick(["", "_", ".", "x", ""]);
  const tail = shoppy ? d.pick(SHOPPY) : d.pick(SECOND);
  return `${d.pick(FIRST)}${sep}${tail}${index.toString(36)}`;
}

export function displayName(d: Dice): string {
  const name = d.pick(FIRST);
  const cap = name[0]!.toUpperCase() + name.slice(1);
  return d.chance(0.3) ? `${cap} ${d.pick(["✨", "🌸", "🌙", "⭐", "🍀"])}` : cap;
}

/** A backup's display name: the original's, nearly ("Luna ✨" → "Luna ✨ 2", "L u n a"). */
export function nearDuplicateName(name: string, d: Dice): string {
  return d.pick([`${name} 2`, `${name} backup`, `${name}.`, spaced(name, d), `${name} ✨`, name]);
}

function school(schoolIndex: number): string {
  const places = ["Northfield", "Riverside", "Oakwood", "Hillcrest", "Lakeview", "Westbrook", "Elm Park", "Stonebridge", "Brookside", "Ashford"];
  const kinds = ["High", "Academy", "Middle School", "Secondary", "College"];
  return `${places[schoolIndex % places.length]} ${kinds[Math.floor(schoolIndex / places.length) % kinds.length]}${schoolIndex >= 50 ? ` ${Math.floor(schoolIndex / 50) + 1}` : ""}`;
}

export function regularBio(community: number, d: Dice): string {
  const t = topicOf(community);
  return d.pick([
    `${t} • ${d.pick(TOPICS)} • tea`,
    `into ${t}. opinions my own`,
    `${t} nerd 🌿 | ${d.pick(["she/her", "he/him", "they/them", "dog person", "cat person"])}`,
    `weekend ${t}, weekday spreadsheets`,
    `${d.pick(["dad", "mum", "aunt", "student", "nurse", "engineer", "barista"])} who loves ${t}`,
    "",
  ]);
}

export function teenBio(schoolIndex: number, community: number, d: Dice): string {
  const grade = d.int(7, 12);
  return d.pick([
    `year ${grade + 1} | ${school(schoolIndex)} | ${topicOf(community)}`,
    `${d.int(13, 17)} | ${d.pick(["she/her", "he/him", "they/them"])} | ${topicOf(community)} 🎧`,
    `${school(schoolIndex)} ${d.pick(["⚽", "🏀", "🎨", "🎸", "🏊"])}`,
    `grade ${grade} ✌️ ${topicOf(community)}`,
    `just a kid who likes ${topicOf(community)}`,
  ]);
}

export function staffBio(schoolIndex: number, isCoach: boolean, d: Dice): string {
  if (isCoach) {
    return d.pick([`Coach, ${school(schoolIndex)} U15 ${d.pick(["football", "netball", "swim team", "basketball"])}`, `youth ${d.pick(["football", "athletics", "rowing"])} coach | proud of my team 🏆`]);
  }
  return d.pick([`${d.pick(["Maths", "English", "Art", "Science", "PE", "Music"])} teacher at ${school(schoolIndex)} 📐`, `Head of year, ${school(schoolIndex)}`, `school counsellor | ${school(schoolIndex)}`]);
}

export function celebrityBio(d: Dice): string {
  return d.pick(["Official account. Singer. New album out now ✨", "Footballer ⚽ official", "Actor | producer", "Comedian. Tour dates below 👇", "Chef, author, TV", "Streamer 🎮 live most nights"]);
}

export function reporterBio(d: Dice): string {
  return d.pick(["reporting creeps since 2024 🚩", "child-safety volunteer. I report, you should too", "mum of three. I flag what I see", "", "online safety researcher (views my own)"]);
}

/** A small legitimate shop: prices, "DM for price list", payment handles, off-platform links. */
export function benignSellerBio(handle: string, d: Dice): string {
  const goods = d.pick(["handmade prints", "crochet frogs", "clay earrings", "soy candles", "art commissions", "stickers & zines", "knitted hats"]);
  return d.some([
    `${goods} ${d.pick(["🧶", "🎨", "🕯️", "✂️", ""])}`,
    d.pick(["DM for price list", "price list in bio", "prices in highlights", "commissions open"]),
    `from $${d.int(4, 40)}`,
    d.pick([`paypal/venmo @${handle}`, `cashapp $${handle.replace(/[._]/g, "")}`, "paypal only", "ko-fi"]),
    d.pick([`etsy.com/shop/${handle}`, `linktr.ee/${handle}`, "ships worldwide", `discord: ${handle}`]),
  ], 3, 5).join(" | ");
}

/** A benign twin: "2nd acc of @x, main got hacked". */
export function benignTwinBio(mainHandle: string, d: Dice): string {
  return d.pick([
    `2nd acc of @${mainHandle}, main got hacked`,
    `@${mainHandle}'s ${d.pick(["art", "wip", "personal", "shop"])} account`,
    `old acc got hacked, this is me now (was @${mainHandle})`,
    `backup of @${mainHandle} while support sorts my login`,
    `side account, main is @${mainHandle}`,
  ]);
}

function sellerContact(handle: string, d: Dice): string {
  return d.pick([`tg @${handle}`, `t.me/${handle}`, `telegram: ${handle}`, `wickr: ${handle}`, `session id: 05${d.hex(20)}`, `snap @${handle}`]);
}

function sellerPayment(handle: string, d: Dice): string {
  return d.pick([`cashapp $${handle.replace(/[._]/g, "")}`, "btc only", "gift cards ok", "crypto only", `paypal.me/${handle}`, "usdt / ltc"]);
}

/**
 * A seller's bio: a menu-like advert with stand-in terms, price words and an
 * off-platform contact. `offPlatform` is the seller's own external handle,
 * which its backups repeat (a ban-evasion link).
 */
export function sellerBio(offPlatform: string, d: Dice): string {
  const parts = [
    d.chance(0.6) ? d.pick(EMOJI_CODES) : d.pick(DECOR),
    d.pick(CODED) + (d.chance(0.4) ? ` ${d.pick(AGE_CLAIMS)}` : ""),
    d.pick(["menu in tg", "dm for menu", "prices in bio", "vids + pics", "menu 👇", "no free previews", `${d.pick(PHRASES)}`, d.pick(CODE_TAGS)]),
    sellerContact(offPlatform, d),
    d.chance(0.6) ? sellerPayment(offPlatform, d) : "",
  ].filter((p) => p !== "");
  const text = parts.join(d.pick([" | ", " ", " ✨ ", "\n"]));
  return d.chance(0.25) ? text.replace(/menu|telegram|vids/, (w) => evade(w, d)) : text;
}

/** A seller's bio after a report: nothing to see. */
export function cleanedBio(d: Dice): string {
  return d.pick(["just vibes ✨", "living my best life", "🌸", "photography | travel", "not active here much", ""]);
}

/** A quiet seller: the bio gives nothing away, only the graph and the posts do. */
export function quietBio(community: number, d: Dice): string {
  return d.chance(0.5) ? regularBio(community, d) : d.pick(["dm me", "✨", "collector", "ask me", "🌙 night owl"]);
}

const BACKUP_WORDS = ["backup", "bkp", "bckp", "b4ckup", "back up"];

/**
 * A network backup's bio, naming the original as it was spelled when the
 * backup was made ("backup of @x", "bkp 4 @x", "if @x goes down follow here",
 * "new acc, old one @x got taken down"), sometimes with a spelling evasion
 * on the churn words.
 */
export function backupBio(originalHandle: string, afterBan: boolean, offPlatform: string, d: Dice): string {
  const word = d.chance(0.3) ? d.pick([spaced("backup", d), lookalike("backup"), zeroWidth("bkp"), leet("backup", d)]) : d.pick(BACKUP_WORDS);
  const core = afterBan
    ? d.pick([
      `new acc, old one @${originalHandle} got taken down`,
      `@${originalHandle} got banned again 🙄 this is the ${word} now`,
      `main @${originalHandle} got deleted, same menu here`,
      `n3w acc, old one @${originalHandle} got t4ken down`,
    ])
    : d.pick([
      `${word} of @${originalHandle}`,
      `${word} 4 @${originalHandle}`,
      `if @${originalHandle} goes down follow here`,
      `${word} acc, main is @${originalHandle}`,
      `follow my ${word} in case @${originalHandle} gets banned`,
    ]);
  const extras = [
    d.chance(0.5) ? d.pick(EMOJI_CODES) : "",
    d.chance(0.5) ? sellerContact(offPlatform, d) : "",
    d.chance(0.3) ? d.pick(CODED) : "",
  ].filter((p) => p !== "");
  return [core, ...extras].join(" | ");
}

export function regularPost(community: number, d: Dice): { text: string; hashtags: string[] } {
  const t = topicOf(community);
  return {
    text: d.pick([`great day for ${t}`, `new ${t} pics!`, `anyone else into ${t}?`, `my ${t} setup this week`, `can't stop thinking about ${t}`, `${t} meetup on saturday, who's in?`]),
    hashtags: d.chance(0.5) ? [hashtag(t)] : [],
  };
}

export function teenPost(community: number, d: Dice): { text: string; hashtags: string[] } {
  return {
    text: d.pick(["school trip was sooo good", "exams next week 😭", `${topicOf(community)} practice after school`, "who's going to the match friday", "new hair who dis", "bored in maths"]),
    hashtags: d.chance(0.3) ? [hashtag(topicOf(community))] : [],
  };
}

export function benignShopPost(d: Dice): { text: string; hashtags: string[] } {
  const thing = d.pick(["prints", "earrings", "candles", "frogs", "stickers", "hats"]);
  return {
    text: d.pick([`new ${thing} in the shop! $${d.int(4, 40)} each, DM for price list`, `${thing} restocked 🎉 bundles available`, `selling my ${thing}, ${d.int(2, 5)} for $${d.int(10, 60)} | paypal only`, `custom orders open, DM me`]),
    hashtags: d.some(["#handmade", "#smallbusiness", "#shopsmall", "#etsy", `#${thing}`], 1, 3),
  };
}

/** A seller's post: a menu with stand-in terms and prices, or a teaser. */
export function sellerPost(offPlatform: string, d: Dice): { text: string; hashtags: string[] } {
  const item = () => `${d.pick(CODED)} ${d.pick(["vids", "pics", "folder", "bundle", "pack"])} $${d.int(5, 150)}`;
  const text = d.pick([
    `${d.pick(DECOR)} menu ${d.pick(DECOR)}\n${item()}\n${item()}\n${sellerContact(offPlatform, d)}`,
    `${d.pick(EMOJI_CODES)} new ${d.pick(CODED)} drop, dm for menu`,
    `restocked 🎁 ${item()} | ${sellerPayment(offPlatform, d)}`,
    `${d.pick(PHRASES)} open again, serious buyers only`,
    `price list 👇 ${item()} | ${item()}`,
  ]);
  return { text, hashtags: d.chance(0.6) ? d.some([...CODE_TAGS, "#menu", "#newdrop"], 1, 2) : [] };
}

export function celebrityPost(d: Dice): { text: string; hashtags: string[] } {
  return { text: d.pick(["thank you all for the love ❤️", "tour dates announced!", "new video out now", "big news tomorrow 👀", "behind the scenes today"]), hashtags: [] };
}

export function friendlyComment(d: Dice): string {
  return d.pick(["love this", "so cool!", "😍😍", "where is this?", "need this", "haha yes", "congrats!", "🔥"]);
}

export function buyerComment(d: Dice): string {
  return d.pick(["interested", "dm'd you 💌", "price?", "still available?", "sent", "menu pls", d.pick(EMOJI_CODES)]);
}

export function childSafetyReportReason(d: Dice): string {
  return d.pick(["Selling content of kids, menu in bio", "This account advertises abuse material", "Messaged my child", "Coded terms and a price list, please check", "Backup account of a banned seller"]);
}

export function spamReportReason(d: Dice): string {
  return d.pick(["spam", "keeps posting ads", "scam shop?", "fake account"]);
}
