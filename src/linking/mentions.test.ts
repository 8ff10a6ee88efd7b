import assert from "node:assert/strict";
import { test } from "node:test";
import { extractMentions } from "./index.js";

const roles = (text: string): Array<[string, string]> => extractMentions(text).map((m) => [m.handle, m.role]);

test("a text naming the writer's main: backup of, bkp 4, goes down, got taken down, 2nd acc of", () => {
  for (const text of [
    "backup of @mossy_teacup",
    "bkp 4 @mossy_teacup",
    "BKP4 @mossy_teacup",
    "if @mossy_teacup goes down follow here",
    "new acc, old one @mossy_teacup got taken down",
    "2nd acc of @mossy_teacup, main got hacked",
    "main: @mossy_teacup",
    "@mossy_teacup's backup",
    "old acc @mossy_teacup (banned)",
    "old acc got hacked, this is me now (was @mossy_teacup)",
    "@mossy_teacup's art account",
    "side account, main is @mossy_teacup",
  ]) {
    assert.deepEqual(roles(text), [["mossy_teacup", "main"]], text);
  }
});

test("a text naming the writer's backup: my backup, if this gets banned follow, is my backup", () => {
  for (const text of [
    "my backup: @quiet_bird",
    "backup @quiet_bird",
    "if this gets banned, follow @quiet_bird",
    "if i get b4nned follow @quiet_bird",
    "@quiet_bird is my backup",
    "new acc @quiet_bird",
  ]) {
    assert.deepEqual(roles(text), [["quiet_bird", "backup"]], text);
  }
});

test("evasion spellings of the cue words still give the role", () => {
  for (const text of [
    "b4ckup 0f @mossy_teacup", // leetspeak
    "b a c k u p of @mossy_teacup", // spread out
    "back.up of @mossy_teacup", // split
    "ЬаскuР of @mossy_teacup", // Cyrillic look-alikes
    "bac\u200Bkup of @mossy_teacup", // an invisible character
    "ＢＡＣＫＵＰ of @mossy_teacup", // full width
  ]) {
    assert.deepEqual(roles(text), [["mossy_teacup", "main"]], text);
  }
});

test("the phrase shows the cue as written; offsets locate the handle", () => {
  const [m] = extractMentions("hi! b4ckup 0f @m0ssy_teacup");
  assert.equal(m.phrase, "b4ckup 0f @m0ssy_teacup");
  assert.equal(m.handle, "m0ssy_teacup");
  assert.equal("hi! b4ckup 0f @m0ssy_teacup".slice(m.start, m.end), "@m0ssy_teacup");
});

test("ordinary mentions stay mentions: celebrities, shout-outs, e-mail addresses, cue words inside handles", () => {
  assert.deepEqual(roles("follow @bigstar"), [["bigstar", "mention"]]);
  assert.deepEqual(roles("love @home and @work"), [["home", "mention"], ["work", "mention"]]);
  assert.deepEqual(roles("i was @xy before"), [["xy", "mention"]]);
  assert.deepEqual(roles("i was @xy's biggest fan"), [["xy", "mention"]]);
  assert.deepEqual(roles("@mossy_bkp posted again"), [["mossy_bkp", "mention"]]);
  assert.deepEqual(roles("mail me at me@host.example"), []);
  // A cue in another sentence does not reach the handle.
  assert.deepEqual(roles("my backup drive died. anyway, shout out @bigstar"), [["bigstar", "mention"]]);
  // A handle after a named one is not named by the same cue.
  assert.deepEqual(roles("main: @old_one. new stuff by @other"), [["old_one", "main"], ["other", "mention"]]);
});

test("invisible characters inside a handle are removed from it", () => {
  assert.deepEqual(roles("@quiet\u200B_bird is my backup"), [["quiet_bird", "backup"]]);
});

test("a long text is read up to 100,000 characters, each handle with the role its own cue gives", () => {
  const unit = "backup of @ab_cd · follow @bigstar · ";
  const mentions = extractMentions(unit.repeat(10_000));
  const units = Math.floor(100_000 / unit.length);
  assert.ok(mentions.length >= 2 * units && mentions.length <= 2 * units + 2, String(mentions.length));
  assert.ok(mentions.every((m, i) => m.role === (i % 2 === 0 ? "main" : "mention")));
  assert.ok(mentions.every((m) => m.end <= 100_000));
});
