import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isLapwingError } from "../../errors/index.js";
import { compileLexicon } from "../index.js";
import { scoreAdvert, SYNTHETIC_ADVERT_LEXICON, type AdvertScore, type AdvertSignalName } from "./index.js";

/** Whether `error` is a LapwingError with this code and pointer (for `assert.throws`). */
function isLapwingErrorCode(error: unknown, code: string, pointer: string): boolean {
  return isLapwingError(error) && error.code === code && error.pointer === pointer;
}

function signal(result: AdvertScore, name: AdvertSignalName) {
  return result.signals.find((s) => s.name === name);
}

/** The texts a signal points at, checked against the original text. */
function spansOf(text: string, result: AdvertScore, name: AdvertSignalName): string[] {
  const s = signal(result, name);
  assert.ok(s !== undefined, `expected a ${name} signal; got ${result.signals.map((x) => x.name).join(", ")}`);
  for (const span of s.spans) assert.equal(text.slice(span.start, span.end), span.text, "span text matches the original");
  return s.spans.map((x) => x.text);
}

const lexicon = compileLexicon(SYNTHETIC_ADVERT_LEXICON);
const score = (text: string) => scoreAdvert(text, { hits: lexicon.match(text) });

describe("features: each names its evidence with spans into the original text", () => {
  test("price: symbols before and after, currency words, per-item prices", () => {
    const text = "headshot $15, full body 40€, 20 usd each, $5/vid";
    const spans = spansOf(text, score(text), "price");
    assert.deepEqual(spans, ["$15", "40€", "20 usd each", "$5/vid"]);
    assert.match(signal(score(text), "price")!.explanation, /price per media item \("\$5\/vid"\)/);
  });

  test("menu-language and media-goods", () => {
    const text = "MENU: 50 vids, pic packs, full folder";
    const r = score(text);
    assert.deepEqual(spansOf(text, r, "menu-language"), ["MENU"]);
    assert.deepEqual(spansOf(text, r, "media-goods"), ["50 vids", "pic packs", "folder"]);
  });

  test("minor-age: digits, y/o, y.o., words, spread-out words, grades, years, look-alike digits", () => {
    const cases: Array<[string, string]> = [
      ["new here 13yo", "13yo"],
      ["she is 14 y/o", "14 y/o"],
      ["15 y.o. only", "15 y.o"],
      ["fourteen years old", "fourteen years old"],
      ["f o u r t e e n", "f o u r t e e n"],
      ["in 8th grade", "8th grade"],
      ["year 9 here", "year 9"],
      ["age: 12", "age: 12"],
      ["𝟭𝟰yo", "𝟭𝟰yo"],
      ["I'm 15 lol", "I'm 15"],
    ];
    for (const [text, expected] of cases) assert.deepEqual(spansOf(text, scoreAdvert(text), "minor-age"), [expected], text);
  });

  test("minor-age does not fire on object ages, durations or adult ages", () => {
    for (const text of ["desk, 5 years old, $40", "14 vids $20", "i'm 22 and selling my bike", "fifteen-minute walk", "33 y/o creator"]) {
      const r = scoreAdvert(text);
      assert.equal(signal(r, "minor-age"), undefined, text);
    }
  });

  test("adult-age mitigates, but not when a minor age is also claimed", () => {
    const adult = scoreAdvert("18+ only. menu: 10 vids $20, tg @x");
    assert.ok(signal(adult, "adult-age")!.weight < 0);
    const both = scoreAdvert("all 18+ 😉 menu: 14yo vids $20, tg @x");
    assert.equal(signal(both, "adult-age")!.weight, 0);
    assert.match(signal(both, "adult-age")!.explanation, /Not counted/);
    assert.ok(both.score > adult.score);
  });

  test("off-platform-contact: telegram links (also masked), app handles, discord invites, whatsapp numbers, session ids", () => {
    const text = "t.me/seller_22 or t(.)me/other, wickr me: abc, discord.gg/Xy12ab, whatsapp +44 7700 900123, session 05" + "a".repeat(64);
    const spans = spansOf(text, scoreAdvert(text), "off-platform-contact");
    assert.ok(spans.includes("t.me/seller_22"), spans.join("|"));
    assert.ok(spans.some((s) => s.startsWith("t(.)me")), spans.join("|"));
    assert.ok(spans.includes("wickr me"), spans.join("|"));
    assert.ok(spans.some((s) => s.startsWith("discord.gg/Xy12ab")), spans.join("|"));
    assert.ok(spans.includes("+44 7700 900123"), spans.join("|"));
    assert.ok(spans.some((s) => s.startsWith("05aaaa")), spans.join("|"));
  });

  test("off-platform-contact reads look-alike letters: Cyrillic in telegram", () => {
    const text = "tеlеgrаm @x"; // Cyrillic е and а
    assert.deepEqual(spansOf(text, scoreAdvert(text), "off-platform-contact"), ["tеlеgrаm"]);
  });

  test("file-host: mega, dropbox, drive links", () => {
    const text = "mega.nz/folder/abc and dropbox and drive.google.com/x";
    const spans = spansOf(text, scoreAdvert(text), "file-host");
    assert.deepEqual(spans, ["mega.nz", "dropbox", "drive.google.com"]);
  });

  test("payment-handle: cashtags, paypal.me, venmo, crypto address, gift cards", () => {
    const text = "cashapp $JaneDoe, paypal.me/jane, venmo @jane, bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh, gift cards";
    const spans = spansOf(text, scoreAdvert(text), "payment-handle");
    for (const expected of ["cashapp", "$JaneDoe", "venmo", "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh", "gift cards"]) {
      assert.ok(spans.includes(expected), `${expected} in ${spans.join("|")}`);
    }
    assert.ok(spans.some((s) => s.startsWith("paypal")), spans.join("|"));
  });

  test("a price is not a cashtag, and a short leet reading of a price is not a coin", () => {
    const r = scoreAdvert("cookies 17€, brownies $20");
    assert.equal(signal(r, "payment-handle"), undefined);
  });

  test("backup-account: bkp, new acc, if banned follow, backup handles; a bare 'backup' counts little", () => {
    const text = "bkp @me2, new acc, if banned follow @me_backup";
    const spans = spansOf(text, scoreAdvert(text), "backup-account");
    assert.deepEqual(spans, ["bkp", "new acc", "if banned", "@me_backup"]);
    const drive = scoreAdvert("my backup drive died");
    assert.ok(signal(drive, "backup-account")!.weight < 0.5);
  });

  test("lexicon hits add weight by category, with the hit's span", () => {
    const text = "🧲🥥 nupling vornaxle zubtrade";
    const r = score(text);
    assert.deepEqual(spansOf(text, r, "emoji-code"), ["🧲🥥"]);
    assert.deepEqual(spansOf(text, r, "lexicon-age-claim"), ["nupling"]);
    assert.deepEqual(spansOf(text, r, "lexicon-coded-term"), ["vornaxle"]);
    assert.deepEqual(spansOf(text, r, "lexicon-solicitation"), ["zubtrade"]);
    const other = scoreAdvert(text, { hits: [{ term: "x", category: "custom", severity: "review", entryIndex: 0, view: "word", start: 0, end: 2, matched: "🧲", how: "folded", distance: 0 }] });
    assert.ok(signal(other, "lexicon-other")!.weight > 0);
  });

  test("obfuscation: spread-out letters, invisible characters, masked dots", () => {
    const text = "m e n u, me\u200Bnu, t(.)me/x";
    const spans = spansOf(text, scoreAdvert(text), "obfuscation");
    assert.ok(spans.includes("m e n u"), spans.join("|"));
    assert.ok(spans.includes("t(.)me"), spans.join("|"));
    assert.ok(spans.some((s) => s.includes("\u200B")), spans.join("|"));
  });

  test("benign-context names the ordinary-commerce cue", () => {
    const text = "my 13yo son loves this! $25";
    assert.deepEqual(spansOf(text, scoreAdvert(text), "benign-context"), ["my 13yo son"]);
  });
});

describe("the score", () => {
  test("commerce, a minor age and off-platform contact together far outweigh each alone", () => {
    const commerce = scoreAdvert("menu: vids $20");
    const age = scoreAdvert("14yo");
    const contact = scoreAdvert("tg @seller");
    const all = scoreAdvert("menu: 14yo vids $20, tg @seller");
    for (const alone of [commerce, age, contact]) assert.ok(alone.score < 0.3, `${alone.score}`);
    assert.ok(all.score > 0.95, `${all.score}`);
    assert.equal(all.level, "high");
    assert.match(signal(all, "combination")!.explanation, /minor age/);
    assert.deepEqual(signal(all, "combination")!.spans, []);
  });

  test("the log-odds are the bias (-4) plus the signal weights: the explanation adds up", () => {
    // A mid-range text, where the logistic has not saturated.
    const r = scoreAdvert("menu: vids $20, tg @seller");
    const z = Math.log(r.score / (1 - r.score));
    const sum = r.signals.reduce((acc, s) => acc + s.weight, 0);
    assert.ok(Math.abs(z - (sum - 4)) < 1e-9, `${z} vs ${sum - 4}`);
  });

  test("benign commerce scores low", () => {
    const benign = [
      "Commissions open! Price list: headshot $15, full body $40. DM for price list. Paypal only",
      "WTS Jordan 1 size 10, DS, $220 obo, DM for pics, venmo or cashapp",
      "handmade crochet frogs $12 each, 3 for $30, bundles available, ships worldwide",
      "Math tutoring for grades 6-8, $30/hr, first session free, email me",
      "Hi! I'm 15, available for babysitting, CPR certified, $12/hr, snap: emma_b",
      "Moving sale: oak table + 4 chairs, good condition, $150, local pickup, pics on request",
      "selling my fortnite acc, 200 skins, $150, discord: seller#1234, crypto only",
      "Year 9 fundraiser: raffle tickets £2, bundles of 5 for £8, all proceeds to the class trip",
      "my 13yo son loves this LEGO set, only $25 on sale",
      "We're 8th graders running a bake sale! cookies $1, brownies $2, venmo @class8",
      "Lightroom presets bundle, 40 presets, $15, google drive link after payment",
      "my backup drive died and I lost 300 photos",
    ];
    for (const text of benign) {
      const r = scoreAdvert(text);
      assert.ok(r.score < 0.5, `${r.score.toFixed(3)} ${text}`);
      assert.ok(r.level === "none" || r.level === "low", text);
    }
  });

  test("adverts written with evasions still score high", () => {
    for (const text of [
      "m e n u 🔥 f o u r t e e n vids $20 t(.)me/seller",
      "ｍｅｎｕ １４ y/o pics 10$ tеlеgrаm @seller",
      "MENU\n13YO VlDS 20$\nTELEGRAM: SELLER",
      "pr1ce l1st: 15yo c0ntent $30, wickr: seller, btc only",
    ]) {
      const r = scoreAdvert(text);
      assert.ok(r.score >= 0.9, `${r.score.toFixed(3)} ${JSON.stringify(text)}`);
    }
  });

  test("levels follow the threshold", () => {
    const text = "menu: vids $20, tg @seller, cashapp $seller";
    const r = scoreAdvert(text);
    assert.ok(r.score > 0.1 && r.score < 0.9, `${r.score}`);
    assert.equal(scoreAdvert(text, { threshold: r.score }).level, "review");
    assert.equal(scoreAdvert(text, { threshold: Math.min(1, r.score + 0.01) }).level, "low");
    assert.equal(scoreAdvert("hello there").level, "none");
    assert.equal(scoreAdvert("hello there", { threshold: 0 }).level, "review");
  });

  test("signals are sorted by absolute weight", () => {
    const r = scoreAdvert("menu: 14yo vids $20, tg @seller, 18+ only");
    for (let i = 1; i < r.signals.length; i++) assert.ok(Math.abs(r.signals[i - 1].weight) >= Math.abs(r.signals[i].weight));
  });
});

describe("bad input", () => {
  test("empty text, lone surrogates and control characters never throw", () => {
    assert.equal(scoreAdvert("").score < 0.1, true);
    for (const text of ["\uD800", "menu \uDC00 14yo \uD800vids $20", "\u0000\u0001\u202E\u2066menu", "a\u0301".repeat(10_000)]) {
      const r = scoreAdvert(text);
      assert.ok(r.score >= 0 && r.score <= 1);
      for (const s of r.signals) for (const span of s.spans) assert.ok(span.start >= 0 && span.end <= text.length && span.start < span.end);
    }
  });

  test("huge input: bounded by maxChars, flagged as truncated, fast", () => {
    const unit = "menu 14yo vids $20 t.me/seller cashapp $abc @x_bkp 🧲🥥 ";
    const huge = unit.repeat(Math.ceil(1_000_000 / unit.length));
    const start = performance.now();
    const r = scoreAdvert(huge);
    const elapsedMs = performance.now() - start;
    assert.equal(r.isTruncated, true);
    assert.equal(r.level, "high");
    for (const s of r.signals) {
      assert.ok(s.spans.length <= 20);
      for (const span of s.spans) assert.ok(span.end <= 100_000);
    }
    assert.ok(elapsedMs < 5_000, `${elapsedMs} ms`);
    const small = scoreAdvert(huge, { maxChars: 30 });
    assert.equal(small.isTruncated, true);
    for (const s of small.signals) for (const span of s.spans) assert.ok(span.end <= 30);
  });

  test("pathological runs stay bounded", () => {
    for (const text of ["@" + "a".repeat(200_000), "1".repeat(200_000), "\u200B".repeat(200_000) + "x", "a ".repeat(100_000), "$".repeat(200_000)]) {
      const start = performance.now();
      scoreAdvert(text);
      assert.ok(performance.now() - start < 5_000, `${text.slice(0, 5)}... took too long`);
    }
  });

  test("a cut never splits a surrogate pair", () => {
    const r = scoreAdvert("ab🧲🥥", { maxChars: 3 });
    assert.equal(r.isTruncated, true);
  });

  test("bad options are VALIDATION_FAILED errors with a pointer", () => {
    assert.throws(() => scoreAdvert("x", { threshold: 2 }), (e) => isLapwingErrorCode(e, "VALIDATION_FAILED", "/threshold"));
    assert.throws(() => scoreAdvert("x", { threshold: Number.NaN }), (e) => isLapwingErrorCode(e, "VALIDATION_FAILED", "/threshold"));
    assert.throws(() => scoreAdvert("x", { maxChars: 0 }), (e) => isLapwingErrorCode(e, "VALIDATION_FAILED", "/maxChars"));
    assert.throws(() => scoreAdvert(42 as unknown as string), (e) => isLapwingErrorCode(e, "VALIDATION_FAILED", "/text"));
    assert.throws(() => scoreAdvert("x", { hits: "nope" as never }), (e) => isLapwingErrorCode(e, "VALIDATION_FAILED", "/hits"));
  });

  test("hits outside the read text or malformed are ignored", () => {
    const r = scoreAdvert("hello", {
      hits: [
        { term: "x", category: "coded-term", severity: "block", entryIndex: 0, view: "word", start: 3, end: 50, matched: "x", how: "exact", distance: 0 },
        { term: "x", category: "coded-term", severity: "block", entryIndex: 0, view: "word", start: -1, end: 2, matched: "x", how: "exact", distance: 0 },
      ],
    });
    assert.equal(signal(r, "lexicon-coded-term"), undefined);
  });
});
