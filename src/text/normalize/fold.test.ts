import { test } from "node:test";
import assert from "node:assert/strict";
import { CharClass, classOf, foldOf } from "./fold.js";
import { FOLD_TABLE_SOURCES } from "./fold-table.js";

const fold = (s: string) =>
  [...s]
    .map((c) => {
      const f = foldOf(c.codePointAt(0)!);
      return typeof f === "number" ? String.fromCodePoint(f) : String.fromCodePoint(...f);
    })
    .join("");

test("NFKC: fullwidth, mathematical, circled, parenthesized and squared letters fold to ASCII", () => {
  assert.equal(fold("ｖｏｒｎ"), "vorn");
  assert.equal(fold("𝐯𝑜𝓇𝔫𝕒𝖝𝗅𝚎"), "vornaxle");
  assert.equal(fold("ⓥⓞⓡⓝ"), "vorn");
  assert.equal(fold("⒱⒪⒭⒩"), "vorn");
  assert.equal(fold("🄰🅱🅐"), "aba");
  assert.equal(fold("ﬁ"), "fi");
});

test("lower-casing; capital I and its look-alikes stay I (read as i or l)", () => {
  assert.equal(fold("HeLLo"), "hello");
  assert.equal(fold("I"), "I");
  assert.equal(fold("ІΙӀӏ"), "IIII");
});

test("TR39 confusables: Cyrillic and Greek look-alikes fold to Latin", () => {
  assert.equal(fold("аеорсхуіјѕԁһ"), "aeopcxyijsdh");
  assert.equal(fold("νροκη"), "vpokn");
  assert.equal(fold("ϲ"), "c");
  assert.equal(FOLD_TABLE_SOURCES.confusables, "15.0.0");
});

test("decorated Latin letters fold to their base: small capitals, strokes, accents", () => {
  assert.equal(fold("ꜱɪʟᴠᴇʀ"), "silver");
  assert.equal(fold("øłđħŧƀɨʉ"), "oldhtbiu");
  assert.equal(fold("éÅñ"), "ean");
});

test("classes: marks and modifiers attach, format characters vanish, emoji are symbols", () => {
  assert.equal(classOf(0x0301), CharClass.attached); // combining acute
  assert.equal(classOf(0xfe0f), CharClass.attached); // variation selector-16
  assert.equal(classOf(0x1f3fd), CharClass.attached); // skin tone
  for (const cp of [0x200b, 0x200c, 0x200d, 0x2060, 0x00ad, 0xfeff, 0x202e]) assert.equal(classOf(cp), CharClass.invisible, cp.toString(16));
  assert.equal(classOf(0x1f9f2), CharClass.symbol); // 🧲
  assert.equal(classOf(0x20), CharClass.separator);
  assert.equal(classOf(0x0a), CharClass.separator);
  assert.equal(classOf(0x61) & 7, CharClass.word);
  assert.equal(classOf(0x4e00) & 7, CharClass.word);
});
