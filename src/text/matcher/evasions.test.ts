// The evasion families of issue 9, one test each, with stand-in words of our
// own (not the text-eval pack's, nor the held-out set's).
import { test } from "node:test";
import assert from "node:assert/strict";
import { compileLexicon } from "./compiled-lexicon.js";

const lexicon = compileLexicon(
  {
    entries: [
      { term: "hudwaskey", category: "coded-term", severity: "block" },
      { term: "crandovel", category: "coded-term", severity: "block" },
      { term: "mirnbolt", category: "coded-term", severity: "block" },
      { term: "paltrewingo", category: "coded-term", severity: "review" },
      { term: "savvydrop", category: "coded-term", severity: "review" },
    ],
  },
  // A pretend dictionary: "mirnbold" is an ordinary word here, one edit from a term, and
  // "scrandovely" an ordinary word that holds a term, "crandovels" the term inflected.
  { vocabulary: ["mirnbold", "garden", "scrandovely", "crandovels"] },
);
const found = (text: string) => lexicon.match(text).map((h) => `${h.term}:${h.how}:${h.distance}`);

test("letters drawn with several symbols, mixed with leet, separators and invisible characters", () => {
  assert.deepEqual(found("|-||_|[)\\/\\/@$|<€¥"), ["hudwaskey:folded:0"]);
  assert.deepEqual(found("new (|2/-\\|\\||)0\\/3|_ drop"), ["crandovel:folded:0"]);
  assert.deepEqual(found("|\\/|!|2|\\|ß0|_+"), ["mirnbolt:approximate:1"], "ß reads as s: one edit from b");
  assert.deepEqual(found("|\\/|!|2|\\|80|_+"), ["mirnbolt:folded:0"]);
  assert.deepEqual(found("|-|\u200b|_\u200b|d\\/\\/askey"), ["hudwaskey:folded:0"], "invisible characters inside and between glyphs");
  assert.deepEqual(found("h u d \\/\\/ a s k e y"), ["hudwaskey:folded:0"], "spread out, one glyph a piece");
  assert.deepEqual(found("h.u.d.w.a.§.k.€.¥"), ["hudwaskey:folded:0"], "lone symbols between separators, among spaced letters");
  assert.deepEqual(found("a (note) in brackets, t(.)me and 5€"), [], "brackets and currency in ordinary text are not letters");
});

test("many-to-one look-alikes both ways: m/rn, d/cl, w/vv", () => {
  assert.deepEqual(found("mimbolt"), ["mirnbolt:folded:0"], "m written for the term's rn");
  assert.deepEqual(found("hudvvaskey"), ["hudwaskey:folded:0"], "vv written for w");
  assert.deepEqual(found("sawydrop"), ["savvydrop:folded:0"], "w written for the term's vv");
  assert.deepEqual(found("hucl\\/\\/askey"), ["hudwaskey:folded:0"], "cl for d and a glyph w together");
  assert.deepEqual(found("cranclovel"), ["crandovel:folded:0"]);
});

test("look-alike letters from Cherokee, Coptic and Armenian, mixed with Latin in one word", () => {
  // Cherokee small letters (folded by case pair), Coptic small letters and Armenian (by the rendering check).
  assert.deepEqual(found("ꮒudwaꮪkey"), ["hudwaskey:folded:0"]);
  assert.deepEqual(found("ⲙirⲛbolⲧ"), ["mirnbolt:folded:0"]);
  assert.deepEqual(found("crandօvel"), ["crandovel:folded:0"]);
  assert.deepEqual(found("ᏟᎡᎪNᎠOᏙᎬᏞ"), ["crandovel:folded:0"]);
});

test("combining-mark floods with repeated letters and substitutions", () => {
  const flood = (word: string) => [...word].map((c) => c + "\u0301\u0308\u0323\u0330".repeat(3)).join("");
  assert.deepEqual(found(flood("cRRRand0vvvel")), ["crandovel:folded:0"]);
  assert.deepEqual(found(flood("|-|udwask3y")), ["hudwaskey:folded:0"]);
});

test("misspellings: one edit in six letters or more, two in ten or more, keyboard typos, inside hashtags", () => {
  assert.deepEqual(found("crandovl"), ["crandovel:approximate:1"], "deletion");
  assert.deepEqual(found("crandovuel"), ["crandovel:approximate:1"], "insertion");
  assert.deepEqual(found("crabdovel"), ["crandovel:approximate:1"], "substitution by a neighbouring key");
  assert.deepEqual(found("cradnovel"), ["crandovel:approximate:1"], "transposition");
  assert.deepEqual(found("#ilovecrandovle"), ["crandovel:approximate:1"], "inside a hashtag");
  assert.deepEqual(found("paltewingoo"), ["paltrewingo:approximate:1"]);
  assert.deepEqual(found("paltewngo"), ["paltrewingo:approximate:2"], "two edits in a ten-letter term");
  assert.deepEqual(found("cr4nd0vl"), ["crandovel:approximate:1"], "a misspelling in leetspeak");
  assert.deepEqual(found("crdvl"), [], "three edits are too many");
});

test("benign near misses: dictionary words one edit away, other words sharing most letters", () => {
  assert.deepEqual(found("mirnbold"), [], "a vocabulary word one edit from a term is no hit");
  assert.deepEqual(found("the mirnbold garden"), []);
  assert.deepEqual(found("paltrewonga"), [], "two substitutions make another word, not a typo");
  assert.deepEqual(found("paltrewingoes-ish"), ["paltrewingo:exact:0"], "a longer word containing a term is an exact hit, not approximate");
  assert.equal(lexicon.guardedWords(), 1);
});

test("benign near misses: an ordinary word that holds a long term is the word, unless the term is marked off or disguised", () => {
  assert.deepEqual(found("a scrandovely afternoon"), [], "the dictionary word spelt out around the term");
  assert.deepEqual(found("SCRANDOVELY"), [], "in any case");
  assert.deepEqual(found("#scrandovelylife #ScrandovelyVibes"), [], "inside a hashtag compound too");
  assert.deepEqual(found("#ilovecrandovel"), ["crandovel:exact:0"], "no ordinary word holds it here");
  assert.deepEqual(found("#scrandovelcrew"), ["crandovel:exact:0"], "the ordinary word is not spelt out");
  assert.deepEqual(found("scr4ndovely"), ["crandovel:folded:0"], "disguised letters inside the word are not the ordinary word as written");
  assert.deepEqual(found("s.crandovely"), ["crandovel:exact:0"], "a separator inside the ordinary word breaks it");
  assert.deepEqual(found("crandovels"), ["crandovel:exact:0"], "the term inflected is the term, even when a word list holds the form");
});

test("benign near misses: a misspelling written as a name (brands, places) mid-sentence is not read as the term", () => {
  assert.deepEqual(found("new Crandovle trainers"), [], "Capitalised mid-sentence, one edit away: a name");
  assert.deepEqual(found("new crandovle trainers"), ["crandovel:approximate:1"]);
  assert.deepEqual(found("CRANDOVLE"), ["crandovel:approximate:1"], "upper case is not a name");
  assert.deepEqual(found("#ILoveCrandovle"), ["crandovel:approximate:1"], "a CamelCase compound is not a name");
  assert.deepEqual(found("Crandovel"), ["crandovel:exact:0"], "an exact reading is a hit whatever its case");
  // Where a capital is the writer's choice, it still marks a name.
  assert.deepEqual(found("a great day, Crandovle and friends"), [], "after a comma");
  assert.deepEqual(found("see: Crandovle"), [], "after a colon");
  assert.deepEqual(found("met Dr. Crandovle today"), [], "after a title's full stop");
  assert.deepEqual(found("photos by J. Crandovle"), [], "after an initial");
  assert.deepEqual(found("new Crándovle trainers"), [], "a name may carry an accent");
  assert.deepEqual(found("follow @Crandovle!"), [], "punctuation round a name is not inside it");
  assert.deepEqual(found("i like Crandovle's shop"), []);
  assert.deepEqual(found("posted by \u2066Crandovle\u2069 today"), [], "direction isolates, which platforms put round names, hide nothing");
  assert.deepEqual(found("rock-Crandovle fusion"), [], "after a hyphen inside a compound");
});

test("a capital where convention puts one is no evidence of a name: the start of a text, sentence, line, list item or hashtag", () => {
  const at = (texts: string[]) => texts.filter((t) => found(t).join() !== "crandovel:approximate:1");
  assert.deepEqual(at(["Crandovle pics, DM me", "Crandovle", "  \u201cCrandovle\u201d pics", "¿Crandovle?"]), [], "the text's start");
  assert.deepEqual(
    at(["new drop. Crandovle pics", "so good!! Crandovle", "dm me? Crandovle here", "wow\u2026 Crandovle", "done. (Crandovle pics)", "\u597d\u3002Crandovle", "\u0645\u0631\u062d\u0628\u0627\u061f Crandovle"]),
    [],
    "after a sentence terminator of any script (and an ellipsis)",
  );
  assert.deepEqual(at(["hello\nCrandovle pics", "hello\r\nCrandovle pics", "hello\u2028Crandovle"]), [], "after a line break");
  assert.deepEqual(at(["menu:\n- Crandovle\n- more", "\u2022 Crandovle", "1) Crandovle", "night owl | Crandovle | dm", "vinyl \u00b7 Crandovle"]), [], "a list bullet or an item mark between a bio's items");
  assert.deepEqual(at(["#Crandovle", "#fun #Crandovle", "#best_Crandovle", `#${"x_".repeat(200)}Crandovle`]), [], "a hashtag and its segments, however long");
  assert.deepEqual(at(["love it \u{1f525} Crandovle", "\u2728 Crandovle"]), [], "after an emoji, which ends sentences in posts");
});

test("a word with disguised letters is not a name as written, wherever it stands", () => {
  const at = (texts: string[]) => texts.filter((t) => found(t).join() !== "crandovel:approximate:1");
  assert.deepEqual(
    at([
      "new Cr4ndovle pics", // a leet digit
      "new Crandovl3 pics", // one at the word's edge, read by the misspelling
      "new Crandov|_e pics", // a letter drawn with symbols
      "new Cr@ndovle pics", // leet punctuation
      "new \u0421randovle pics", // a Cyrillic look-alike capital
      "new Cr\u0430ndovle pics", // a Cyrillic look-alike letter
      "new C\u200brandovle pics", // an invisible character
      "new Crandovle\u2060 pics", // one touching the word
      "new \u{1d402}\u{1d42b}\u{1d41a}\u{1d427}\u{1d41d}\u{1d428}\u{1d42f}\u{1d425}\u{1d41e} pics", // mathematical bold
      "new \uff23\uff52\uff41\uff4e\uff44\uff4f\uff56\uff4c\uff45 pics", // fullwidth
      "new Crrrandovle pics", // a letter tripled
      "new C\u0308r\u0330a\u0301\u0308n\u0308dovle pics", // stacked marks
      "Cr4ndovle pics, DM me", // at a text's start too
    ]),
    [],
  );
});

test("each hit says how it matched", () => {
  const [exact] = lexicon.match("Crandovel");
  assert.deepEqual([exact.how, exact.distance], ["exact", 0]);
  const [folded] = lexicon.match("cr@nd0vel");
  assert.deepEqual([folded.how, folded.distance], ["folded", 0]);
  const [approximate] = lexicon.match("crandovle");
  assert.deepEqual([approximate.how, approximate.distance, approximate.matched], ["approximate", 1, "crandovle"]);
});

test("bounded work: a megabyte of near-pieces, a million combining marks and 100k candidate words grow linearly", () => {
  const big = compileLexicon(
    { entries: [...lexicon.entries, { term: "amber kettle dock", category: "coded-term", severity: "block" }] },
    { maxChars: 1_100_000, vocabulary: ["mirnbold", "garden", "scrandovely"] },
  );
  const timeOf = (text: string) => {
    let best = Infinity;
    for (let run = 0; run < 3; run++) {
      const t = performance.now();
      big.scan(text);
      best = Math.min(best, performance.now() - t);
    }
    return best;
  };
  const hostile: Array<[string, (n: number) => string]> = [
    ["near-pieces", (n) => "crandcrandovvovel ".repeat(Math.ceil(n / 18)).slice(0, n)],
    ["marks", (n) => "c" + "\u0301".repeat(n - 1)],
    ["terms inside one endless word, each checked for an ordinary word around it", (n) => "scrandovelyy".repeat(Math.ceil(n / 12)).slice(0, n)],
    ["phrase words, each a candidate for a misspelt phrase", (n) => "amber kettel amber ketle dock dock ".repeat(Math.ceil(n / 35)).slice(0, n)],
    ["Capitalised words in one endless hashtag, each judged as a name (only a bounded stretch before each is read)", (n) => ("#" + "x_Crandovle_".repeat(Math.ceil(n / 12))).slice(0, n)],
    ["candidate words", (n) => Array.from({ length: Math.ceil(n / 10) }, (_, i) => `cran${"dovel".slice(i % 5)}x${i % 7} `).join("").slice(0, n)],
  ];
  for (const [name, make] of hostile) {
    const tenth = timeOf(make(100_000));
    const whole = timeOf(make(1_000_000));
    // Ten times the text may cost ten times the work (four times more on a busy machine); a quadratic stage would cost a hundred.
    assert.ok(whole < 40 * Math.max(tenth, 10), `${name}: 1 MB took ${whole.toFixed(0)} ms, 100 kB ${tenth.toFixed(0)} ms`);
  }
});

test("misspellings in phrases and hashtag compounds: one word misspelt, the others as written", () => {
  const phrases = compileLexicon(
    {
      entries: [
        { term: "amber kettle dock", category: "coded-term", severity: "block" },
        { term: "#tidalpebble", category: "coded-term", severity: "review" },
      ],
    },
    // A pretend dictionary: "kettles" is an ordinary word here.
    { vocabulary: ["kettles", "garden"] },
  );
  const seen = (text: string) => phrases.match(text).map((h) => `${h.term}:${h.view}:${h.how}:${h.distance}`);
  assert.deepEqual(seen("meet at the amber kettel dock tonight"), ["amber kettle dock:phrase:approximate:1"]);
  assert.deepEqual(seen("amber kttle dock"), ["amber kettle dock:phrase:approximate:1"], "a letter dropped");
  assert.deepEqual(seen("ambre kettle dock"), ["amber kettle dock:phrase:approximate:1"], "two letters swapped in a five-letter word");
  assert.deepEqual(seen("amber kettle dok"), ["amber kettle dock:phrase:approximate:1"], "a short word misspelt");
  assert.deepEqual(seen("amber.kettel.dock"), ["amber kettle dock:phrase:approximate:1"], "punctuated");
  assert.deepEqual(seen("amberkettel dock"), ["amber kettle dock:phrase:approximate:1"], "partly joined");
  assert.deepEqual(seen("AMBER KETTEL DOCK"), ["amber kettle dock:phrase:approximate:1"]);
  assert.deepEqual(seen("amber kettle dock"), ["amber kettle dock:phrase:exact:0"]);
  assert.deepEqual(seen("amber kettles dock"), [], "the misspelt word is an ordinary word");
  assert.deepEqual(seen("amber Kettel dock"), [], "the misspelt word is written as a name");
  assert.deepEqual(seen("Ambre kettle dock tonight"), ["amber kettle dock:phrase:approximate:1"], "the misspelt word starts the text: no name");
  assert.deepEqual(seen("see you there. Ambre kettle dock"), ["amber kettle dock:phrase:approximate:1"], "or a sentence");
  assert.deepEqual(seen("meet at the Ambre kettle dock"), [], "mid-sentence it is written as a name");
  assert.deepEqual(seen("ambre kettel dock"), [], "two words misspelt");
  assert.deepEqual(seen("amber kettel duck"), [], "two words misspelt");
  assert.deepEqual(seen("amber dock kettle"), [], "reordered");
  assert.deepEqual(seen("amber kettle"), [], "incomplete");
  assert.deepEqual(seen("amber kettel 🌊 dock"), [], "an emoji between the words is not a separator the phrase crosses");
  assert.deepEqual(seen("am ber kettle dock"), [], "a break inside one of the term's words");
  assert.deepEqual(seen("#tidalpebbel"), ["#tidalpebble:word:approximate:1"], "a compound read as the word it is written as");
  assert.deepEqual(seen("#tidlpebbel"), [], "two edits: a compound's words are unknown, so it gets one");
});
