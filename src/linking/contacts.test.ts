import assert from "node:assert/strict";
import { test } from "node:test";
import { extractContacts, type ContactService } from "./index.js";

const values = (text: string, services?: readonly ContactService[]): string[] => extractContacts(text, { services }).map((c) => c.value);

test("one messenger handle written five ways is one value", () => {
  for (const text of ["t.me/QuietBird_77", "https://t.me/quietbird_77?utm_source=x", "telegram: @quietbird_77", "tg quietbird_77", "t(.)me/quietbird_77", "t dot me/quietbird_77", "t3l3gram - QuietBird_77"]) {
    assert.deepEqual(values(text), ["telegram:quietbird_77"], text);
  }
});

test("payment handles: cashtags, cash links and app names agree; prices and currency codes are not cashtags", () => {
  assert.deepEqual(values("pay $MossyFunds"), ["cashapp:mossyfunds"]);
  assert.deepEqual(values("cash.app/$mossyfunds"), ["cashapp:mossyfunds"]);
  assert.deepEqual(values("cashapp: mossyfunds"), ["cashapp:mossyfunds"]);
  assert.deepEqual(values("only $20, or $usd"), []);
  assert.deepEqual(extractContacts("pay $MossyFunds")[0].kind, "payment");
});

test("links lose scheme, www, case, tracking parameters and fragment, and keep the rest", () => {
  assert.deepEqual(values("https://www.Shop.example/Mossy/?utm_source=bio&fbclid=1&page=2#top"), ["shop.example/mossy?page=2"]);
  assert.deepEqual(values("shop.example/mossy"), ["shop.example/mossy"]);
  assert.equal(extractContacts("shop.example/mossy")[0].kind, "link");
  // Without a scheme, "word.word" is a sentence missing a space, not a link.
  assert.deepEqual(values("the end.Start again"), []);
});

test("an app name needs a separator, an @ or a handle-like word after it", () => {
  assert.deepEqual(values("snap pics all day"), []);
  assert.deepEqual(values("snap: pics"), ["snapchat:pics"]);
  assert.deepEqual(values("snap pics_77"), ["snapchat:pics_77"]);
});

test("phone numbers, e-mail addresses and messenger numbers normalise to digits and lower case", () => {
  assert.deepEqual(values("whatsapp +1 (555) 010-9999"), ["whatsapp:15550109999"]);
  assert.deepEqual(values("wa.me/15550109999"), ["whatsapp:15550109999"]);
  assert.deepEqual(values("call +44 20 7946 0000"), ["phone:442079460000"]);
  assert.deepEqual(values("Mossy+promo@Mail.Example"), ["email:mossy@mail.example"]);
});

test("an operator's own service is recognised by name and link host", () => {
  const chirp: ContactService = { name: "chirp", kind: "offsite-handle", words: ["chirp", "chirpchat"], hosts: ["chirp.example"] };
  assert.deepEqual(values("chirp: @birdy_1", [chirp]), ["chirp:birdy_1"]);
  assert.deepEqual(values("https://chirp.example/Birdy_1?ref=bio", [chirp]), ["chirp:birdy_1"]);
  assert.deepEqual(values("chirp: @birdy_1"), [], "unknown without the option");
});

test("values are deduplicated in order of first appearance", () => {
  assert.deepEqual(values("t.me/quietbird_77 · $mossyfunds · tg: quietbird_77"), ["telegram:quietbird_77", "cashapp:mossyfunds"]);
});
