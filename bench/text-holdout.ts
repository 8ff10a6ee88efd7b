/**
 * Held-out evaluation of the text matcher (issue 9): evasions written apart
 * from the development set (`../shared/text-eval`, which the matcher is tuned
 * on), with their own stand-in terms (invented words, never real ones) and the
 * families issue 9 describes. Generated at run time from a seeded PRNG, so no
 * data file is kept; the matcher's code was never tuned on these cases.
 *
 *   node --import tsx bench/text-holdout.ts [--seed 9] [--per-family 120] [--list]
 *
 * Prints recall per positive family and false-positive rate per benign family
 * (dictionary words one edit from a term, brand names, words containing a
 * term, ordinary and obfuscated ordinary text), then the totals; the last two
 * positive families (Capitalised misspellings) are printed after the benign
 * ones, as they are generated after them, and so are the names families
 * (brands, people and places one edit from a term; misspellings next to them). Uses the
 * Debian word lists (when installed) and the shipped names as the vocabulary
 * guard, as a server does.
 */
import { compileLexicon, type LexiconEntry } from "../src/text/index.js";
import { benignSample, NAME_LISTS, readVocabulary } from "../src/lexicons/index.js";
import { seededRandom } from "../src/random/index.js";

// Stand-in terms of the held-out set only. Some are built one edit from an
// ordinary word or a brand, or inside a longer word, so the benign near-miss
// families have something to miss.
const TERMS = {
  plain: ["brevantol", "skorpelin", "telquorin", "vashprent", "plintharo", "mundravik", "clavorne", "glodwinter", "frumblestok", "zarquendil", "quessivane", "dwamorix"],
  nearWord: ["harbourt", "blanketo", "cottagex", "lanternq"], // harbour, blanket, cottage, lantern
  nearBrand: ["adidos", "samsong", "toyoda", "spotifly", "nintendi"], // Adidas, Samsung, Toyota, Spotify, Nintendo
  insideWord: ["arpente", "ightmar"], // carpenter, nightmare
  phrase: ["velmont brask"],
};
// Added with the names vocabulary (2026-12-04), written before it was run: stand-in terms one edit from other
// brands, people and places (chosen without looking at any name list), kept out of `longTerms` so that the
// families above stay case for case as they were.
const NEAR_NAMES: ReadonlyArray<readonly [term: string, name: string]> = [
  ["shopiry", "Shopify"], ["pinterset", "Pinterest"], ["duolinga", "Duolingo"], ["zalandu", "Zalando"], ["airbmb", "Airbnb"],
  ["heiniken", "Heineken"], ["drobbox", "Dropbox"], ["lufthanse", "Lufthansa"], ["vodafane", "Vodafone"], ["decatlon", "Decathlon"],
  ["ljublana", "Ljubljana"], ["zendaye", "Zendaya"], ["reykjavek", "Reykjavik"],
];
const entries: LexiconEntry[] = [...Object.values(TERMS).flat(), ...NEAR_NAMES.map(([term]) => term)].map((term) => ({ term, category: "coded-term", severity: "block" }));
const longTerms = [...TERMS.plain, ...TERMS.nearWord, ...TERMS.nearBrand];

// Letters drawn with symbols, from the published leet alphabets (a subset, chosen per case).
const GLYPHS: Record<string, string[]> = {
  a: ["/\\", "/-\\", "@", "4"], b: ["|3", "8", "ß"], c: ["(", "<", "¢"], d: ["|)", "[)", "cl"], e: ["3", "€", "[-"], f: ["|="], g: ["(_+", "9"],
  h: ["|-|", "]-[", "}{"], i: ["!", "1", "|"], j: ["_|"], k: ["|<", "|{"], l: ["|_", "1", "£"], m: ["|\\/|", "/\\/\\", "^^"], n: ["|\\|", "/\\/"],
  o: ["0", "()", "[]"], p: ["|*", "|>"], q: ["(,)"], r: ["|2", "®"], s: ["5", "$", "§"], t: ["7", "+", "†"], u: ["|_|", "(_)", "µ"],
  v: ["\\/"], w: ["\\/\\/", "\\^/", "vv"], x: ["><", "×"], y: ["¥", "`/"], z: ["2", "7_"],
};
// Look-alike letters by script, written for this set (each a letter a reader takes for the Latin one).
const SCRIPTS: Record<string, Record<string, string>> = {
  cherokee: { a: "Ꭺ", b: "Ᏼ", c: "Ꮯ", d: "Ꭰ", e: "Ꭼ", g: "Ꮐ", h: "Ꮋ", i: "Ꭵ", j: "Ꭻ", k: "Ꮶ", l: "Ꮮ", m: "Ꮇ", p: "Ꮲ", r: "Ꮢ", s: "Ꮪ", t: "Ꮤ", v: "Ꮩ", w: "Ꮃ", z: "Ꮓ" },
  coptic: { a: "ⲁ", e: "ⲉ", i: "ⲓ", k: "ⲕ", m: "ⲙ", n: "ⲛ", o: "ⲟ", p: "ⲣ", c: "ⲥ", t: "ⲧ", y: "ⲩ", x: "ⲭ", w: "ⲱ", h: "ⲏ" },
  armenian: { o: "օ", u: "ս", n: "ո", h: "հ", q: "զ", g: "ց", l: "լ", w: "ա" },
  georgian: { y: "ყ", o: "ჿ", d: "ძ", b: "ხ" },
  smallCaps: { a: "ᴀ", b: "ʙ", c: "ᴄ", d: "ᴅ", e: "ᴇ", f: "ꜰ", g: "ɢ", h: "ʜ", i: "ɪ", j: "ᴊ", k: "ᴋ", l: "ʟ", m: "ᴍ", n: "ɴ", o: "ᴏ", p: "ᴘ", r: "ʀ", s: "ꜱ", t: "ᴛ", u: "ᴜ", v: "ᴠ", w: "ᴡ", y: "ʏ", z: "ᴢ" },
  ipa: { a: "ɑ", b: "ɓ", c: "ɕ", d: "ɖ", e: "ɛ", g: "ɠ", h: "ɦ", i: "ɨ", l: "ɭ", m: "ɱ", n: "ɳ", o: "ɵ", r: "ɽ", s: "ʂ", t: "ʈ", u: "ʉ", v: "ʋ", z: "ʐ" },
  modifier: { a: "ᵃ", b: "ᵇ", c: "ᶜ", d: "ᵈ", e: "ᵉ", f: "ᶠ", g: "ᵍ", h: "ʰ", i: "ⁱ", j: "ʲ", k: "ᵏ", l: "ˡ", m: "ᵐ", n: "ⁿ", o: "ᵒ", p: "ᵖ", r: "ʳ", s: "ˢ", t: "ᵗ", u: "ᵘ", v: "ᵛ", w: "ʷ", x: "ˣ", y: "ʸ", z: "ᶻ" },
  mathEnclosed: Object.fromEntries([..."abcdefghijklmnopqrstuvwxyz"].map((c, i) => [c, i % 2 ? String.fromCodePoint(0x24d0 + i) : String.fromCodePoint(0x1d4ea + i)])),
};
const KEYBOARD = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];
const MARKS = ["\u0301", "\u0300", "\u0308", "\u0323", "\u0330", "\u0332", "\u0336", "\u0353"];
const TEMPLATES = ["new {} drop tonight", "who has {}?", "{} dm me", "looking for {} links", "#{}", "best {} 2026", "{}", "anyone selling {} here"];
const BRANDS = ["Adidas", "Samsung", "Toyota", "Spotify", "Nintendo"];
const NEAR_WORDS = ["harbour", "blanket", "cottage", "lantern"];
const CONTAINING = ["carpenter", "carpenters", "nightmare", "nightmares"];
const ORDINARY = ["going to the harbour at noon", "my old blanket is finally washed", "rented a cottage by the sea", "the lantern festival is tonight"];

function parseArgs() {
  const get = (name: string, fallback: string) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : fallback;
  };
  return { seed: Number(get("--seed", "9")), perFamily: Number(get("--per-family", "120")), list: process.argv.includes("--list") };
}

export function holdoutCases(seed: number, perFamily: number): Array<{ family: string; text: string; expect: string[] }> {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const embed = (word: string) => pick(TEMPLATES).replace("{}", word);
  const cases: Array<{ family: string; text: string; expect: string[] }> = [];
  const positive = (family: string, make: (term: string) => string | null, terms: readonly string[] = longTerms) => {
    for (let n = 0, tries = 0; n < perFamily && tries < perFamily * 20; tries++) {
      const term = pick(terms);
      const text = make(term);
      if (text === null) continue;
      cases.push({ family, text: embed(text), expect: [term] });
      n++;
    }
  };
  const replaceSome = (term: string, table: (c: string) => string | undefined, share: number) => {
    let out = "";
    let changed = 0;
    for (const c of term) {
      const r = random() < share ? table(c) : undefined;
      if (r !== undefined) changed++;
      out += r ?? c;
    }
    return changed > 0 ? out : null;
  };
  const edit = (word: string, kind: number): string => {
    const at = 1 + Math.floor(random() * (word.length - 2));
    const letter = pick([..."abcdefghijklmnopqrstuvwxyz"]);
    if (kind === 0) return word.slice(0, at) + word.slice(at + 1); // deletion
    if (kind === 1) return word.slice(0, at) + letter + word.slice(at); // insertion
    if (kind === 2) return word.slice(0, at) + (letter === word[at] ? "x" : letter) + word.slice(at + 1); // substitution
    return word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2); // transposition
  };
  const neighbour = (c: string) => {
    for (const row of KEYBOARD) {
      const i = row.indexOf(c);
      if (i >= 0) return row[i + (i === 0 || (i < row.length - 1 && random() < 0.5) ? 1 : -1)];
    }
    return c;
  };

  positive("glyphs", (t) => replaceSome(t, (c) => (GLYPHS[c] ? pick(GLYPHS[c]) : undefined), 0.5));
  positive("glyphs-spaced", (t) => [...t].map((c) => (GLYPHS[c] && random() < 0.4 ? pick(GLYPHS[c]) : c)).join(pick([" ", ".", " \u200b"])), TERMS.plain);
  positive("misspelling-1", (t) => edit(t, Math.floor(random() * 4)));
  positive("misspelling-2", (t) => edit(edit(t, Math.floor(random() * 4)), Math.floor(random() * 4)), longTerms.filter((t) => t.length >= 10));
  positive("keyboard-typo", (t) => {
    const at = 1 + Math.floor(random() * (t.length - 2));
    return t.slice(0, at) + neighbour(t[at]) + t.slice(at + 1);
  });
  positive("misspelling-hashtag", (t) => "#ilove" + edit(t, Math.floor(random() * 4)));
  positive("misspelling-phrase", (t) => edit(t.split(" ")[0], 2) + " " + t.split(" ")[1], TERMS.phrase);
  positive(
    "many-to-one",
    (t) => {
      const swaps: Array<[RegExp, string]> = [[/rn/g, "m"], [/m/g, "rn"], [/w/g, "vv"], [/vv/g, "w"], [/d/g, "cl"], [/cl/g, "d"]];
      const usable = swaps.filter(([re]) => re.test(t));
      if (usable.length === 0) return null;
      const [re, to] = pick(usable);
      return t.replace(re, to);
    },
    ["mundravik", "glodwinter", "clavorne", "dwamorix"],
  );
  for (const [script, table] of Object.entries(SCRIPTS)) positive(`script-${script}`, (t) => replaceSome(t, (c) => table[c], 0.6));
  positive("script-cherokee-small", (t) => replaceSome(t, (c) => SCRIPTS.cherokee[c]?.toLowerCase(), 0.6));
  positive("mark-flood", (t) => [...t].map((c) => (random() < 0.3 ? c.repeat(2 + Math.floor(random() * 3)) : c) + Array.from({ length: 2 + Math.floor(random() * 4) }, () => pick(MARKS)).join("")).join(""));
  positive("several-at-once", (t) => {
    const scripts = Object.values(SCRIPTS);
    let word = edit(t, Math.floor(random() * 4));
    word = [...word].map((c) => {
      const r = random();
      if (r < 0.2 && GLYPHS[c]) return pick(GLYPHS[c]);
      if (r < 0.4) return pick(scripts)[c] ?? c;
      return c;
    }).join("");
    return [...word].map((c) => c + (random() < 0.5 ? pick(MARKS) : "")).join("");
  });

  const benign = (family: string, make: () => string) => {
    for (let n = 0; n < perFamily; n++) cases.push({ family, text: make(), expect: [] });
  };
  benign("benign-dictionary-near", () => pick(ORDINARY).replace(/harbour|blanket|cottage|lantern/, pick(NEAR_WORDS)) + pick(["", "s", "!"]));
  benign("benign-brand", () => pick(["just bought new {} shoes", "my {} phone died", "{} announced a new model", "listening on {} all day", "{} switch games on sale"]).replace("{}", pick(BRANDS)));
  benign("benign-containing-term", () => pick(["the {} fixed our door", "I had a {} last night", "two {} at work", "what a {}"]).replace("{}", pick(CONTAINING)));
  benign("benign-ordinary", () => pick(benignSample));
  benign("benign-obfuscated", () =>
    [...pick(benignSample)].map((c) => (GLYPHS[c] && random() < 0.25 ? pick(GLYPHS[c]) : (pick(Object.values(SCRIPTS))[c] ?? c))).join(""),
  );

  // Misspellings written Capitalised, added after the families above (which they leave as they were) once the
  // name rule was made general: where convention capitalises any word, and mid-sentence with a letter disguised.
  // Written with that rule in mind, so they check it rather than estimate it independently.
  const capitalised = (word: string) => word[0].toUpperCase() + word.slice(1);
  const positiveIn = (family: string, make: (term: string) => string) => {
    for (let n = 0; n < perFamily; n++) {
      const term = pick(longTerms);
      cases.push({ family, text: make(term), expect: [term] });
    }
  };
  positiveIn("misspelling-capitalised-start", (t) =>
    pick(["{} dm me", "{}", "new drop tonight. {} links", "who has it?! {} here", "anyone?\n{} dm me", "menu:\n- {}\n- more soon", "#{}", "\u{1f525} {} \u{1f525}", "night owl | {} | dm"]).replace(
      "{}",
      capitalised(edit(t, Math.floor(random() * 4))),
    ),
  );
  positiveIn("misspelling-capitalised-disguised", (t) => {
    const word = capitalised(edit(t, Math.floor(random() * 4)));
    const at = 1 + Math.floor(random() * (word.length - 1));
    const disguise = pick([
      (c: string) => pick(Object.values(SCRIPTS))[c] ?? GLYPHS[c]?.[0] ?? c,
      (c: string) => GLYPHS[c]?.find((g) => g.length === 1) ?? c + "\u200b",
      (c: string) => c + "\u200b",
      (c: string) => c + pick(MARKS) + pick(MARKS),
    ]);
    return pick(["new {} drop tonight", "who has {}?", "looking for {} links", "anyone selling {} here"]).replace("{}", word.slice(0, at) + disguise(word[at]) + word.slice(at + 1));
  });

  // Brands, people and places one edit from a term (NEAR_NAMES), written before the names vocabulary was run:
  // at a sentence's start, mid-sentence (also in lower case) and in hashtags. And the terms misspelt next to
  // them (never into the name itself): a name close to a misspelling must not protect it.
  benign("benign-name-start", () => {
    const [, name] = pick(NEAR_NAMES);
    return pick(["{} announced a new feature", "Big news today. {} is hiring", "{} just raised prices again", "ok so\n{} support never answers", "lol! {} did it again", "\u{1f389} {} turns ten"]).replace("{}", name);
  });
  benign("benign-name-mid", () => {
    const [, name] = pick(NEAR_NAMES);
    const written = random() < 0.3 ? name.toLowerCase() : name;
    return pick(["I ordered it from {} yesterday", "does anyone here use {} for work?", "my {} account got locked", "flying to {} next week", "saw a clip of {}, wow", "is {} down for anyone else"]).replace("{}", written);
  });
  benign("benign-name-hashtag", () => {
    const [, name] = pick(NEAR_NAMES);
    return pick(["#{}", "love it #{}", "#my{} vibes", "#{}Life", "#{} #weekend"]).replace("{}", random() < 0.5 ? name.toLowerCase() : name);
  });
  for (let n = 0, tries = 0; n < perFamily && tries < perFamily * 20; tries++) {
    const [term, name] = pick(NEAR_NAMES);
    const word = edit(term, Math.floor(random() * 4));
    if (word === term || word.toLowerCase() === name.toLowerCase()) continue;
    const written = random() < 0.3 ? capitalised(word) : word;
    const text = pick(["{n} fans: {} dm me", "{} dm me", "who has {}? not on {n}", "new drop. {} links", "#{}", "looking for {} links", "{n} and {} tonight"]).replace("{n}", name).replace("{}", written);
    cases.push({ family: "misspelling-near-name", text, expect: [term] });
    n++;
  }
  return cases;
}

function main() {
  const { seed, perFamily, list } = parseArgs();
  const vocabulary = readVocabulary();
  const lexicon = compileLexicon({ entries }, { vocabulary });
  const cases = holdoutCases(seed, perFamily);
  const byFamily = new Map<string, { cases: number; good: number; positive: boolean; misses: string[] }>();
  const started = performance.now();
  for (const c of cases) {
    const hits = new Set(lexicon.match(c.text).map((h) => h.term));
    const positive = c.expect.length > 0;
    const ok = positive ? c.expect.every((t) => hits.has(t)) : hits.size === 0;
    const row = byFamily.get(c.family) ?? { cases: 0, good: 0, positive, misses: [] };
    row.cases++;
    if (positive ? ok : !ok) row.good++;
    if (!ok) row.misses.push(`${JSON.stringify(c.text)} → ${[...hits].join(",") || "nothing"}`);
    byFamily.set(c.family, row);
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`held-out set: seed ${seed}, ${cases.length} cases, ${entries.length} terms, vocabulary ${vocabulary.length} words (guard: ${lexicon.guardedWords()} words, ${((100 * lexicon.guardedWords()) / Math.max(1, vocabulary.length)).toFixed(4)}% of the vocabulary, would be flagged as misspellings)`);
  // Each names list alone: how many of its words the approximate stage would read as a term misspelt.
  for (const list of NAME_LISTS) {
    const names = readVocabulary([list]);
    const guarded = compileLexicon({ entries }, { vocabulary: names }).guardedWords();
    console.log(`${list.split("/").pop()}: ${names.length} words, ${guarded} (${((100 * guarded) / Math.max(1, names.length)).toFixed(2)}%) would be flagged as misspellings`);
  }
  let caught = 0, positives = 0, flagged = 0, benigns = 0;
  for (const [family, row] of byFamily) {
    const rate = row.good / row.cases;
    console.log(`${row.positive ? "recall " : "fp_rate"}  ${family.padEnd(26)} ${String(row.cases).padStart(5)} ${rate.toFixed(3)}`);
    if (row.positive) (caught += row.good), (positives += row.cases);
    else (flagged += row.good), (benigns += row.cases);
    if (list) for (const miss of row.misses.slice(0, 40)) console.log(`    ${miss}`);
  }
  console.log(`recall=${(caught / positives).toFixed(3)} fp_rate=${(flagged / benigns).toFixed(3)} (${(cases.length / seconds).toFixed(0)} texts/s)`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
