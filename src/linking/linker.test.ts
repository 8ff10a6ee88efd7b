import assert from "node:assert/strict";
import { test } from "node:test";
import { seededRandom } from "../random/index.js";
import { EvasionLinker, combineStrengths, type AccountProfile, type EvasionLink, type LinkKind } from "./index.js";

function linkerWith(profiles: AccountProfile[], options?: ConstructorParameters<typeof EvasionLinker>[0]): EvasionLinker {
  const linker = new EvasionLinker(options);
  for (const p of profiles) linker.upsert(p);
  return linker;
}

const ofKind = (links: EvasionLink[], kind: LinkKind): EvasionLink[] => links.filter((l) => l.kind === kind);
const between = (links: EvasionLink[], a: string, b: string): EvasionLink[] => links.filter((l) => (l.from === a && l.to === b) || (l.from === b && l.to === a));

function randomHash(random: () => number): string {
  let hex = "";
  for (let i = 0; i < 64; i++) hex += Math.floor(random() * 16).toString(16);
  return hex;
}

/** `hash` with its first `bits` bits flipped. */
function flipBits(hash: string, bits: number): string {
  const digits = [...hash].map((d) => parseInt(d, 16));
  for (let b = 0; b < bits; b++) digits[b >> 2] ^= 8 >> (b & 3);
  return digits.map((d) => d.toString(16)).join("");
}

/** Ordinary accounts with distinct topics, so that document frequencies mean something. */
function crowd(n: number, seed: number, extra: (i: number, random: () => number) => Partial<AccountProfile> = () => ({})): AccountProfile[] {
  const random = seededRandom(seed);
  const word = () => Math.floor(random() * 1e9).toString(36);
  return Array.from({ length: n }, (_, i) => ({
    id: `crowd-${i}`,
    handles: [`person_${word()}`],
    displayName: `${word()} ${word()}`,
    bio: `${word()} and ${word()} · ${word()} club`,
    followees: Array.from({ length: 8 }, () => `crowd-${Math.floor(random() * n)}`),
    avatarPdq: randomHash(random),
    ...extra(i, random),
  }));
}

test("names-as-main: a bio naming another account as its main links the writer to that account, with roles", () => {
  const linker = linkerWith([
    { id: "acct-42", handles: ["mossy_teacup"] },
    { id: "acct-77", handles: ["teacup_moss"], bio: "b4ckup 0f @mossy_teacup" },
  ]);
  const [link] = linker.linksFor("acct-42");
  assert.equal(link.kind, "names-as-main");
  assert.equal(link.from, "acct-77");
  assert.equal(link.to, "acct-42");
  assert.deepEqual(link.roles, { main: "acct-42", backup: "acct-77" });
  assert.equal(link.strength, 0.9);
  assert.equal(link.explanation, 'bio says "b4ckup 0f @mossy_teacup" (the handle of acct-42)');
  assert.deepEqual(linker.linksFor("acct-77"), [link], "the same link from either end");
});

test("names-as-backup: 'if this gets banned follow @x' in a post names x as the writer's backup", () => {
  const linker = linkerWith([
    { id: "main-1", handles: ["quiet_bird"], texts: ["new drop soon", "if this gets banned, follow @quiet_bird_two"] },
    { id: "bkp-1", handles: ["quiet_bird_two"] },
  ]);
  const [link] = ofKind(linker.linksFor("main-1"), "names-as-backup");
  assert.equal(link.from, "main-1");
  assert.equal(link.to, "bkp-1");
  assert.deepEqual(link.roles, { main: "main-1", backup: "bkp-1" });
  assert.match(link.explanation, /^a post says "if this gets banned, follow @quiet_bird_two"/);
  assert.ok(link.strength < 0.9, "a post counts a little less than the bio");
});

test("mentions that name nobody known, or name a celebrity without a backup cue, link nothing", () => {
  const linker = linkerWith([
    { id: "star", handles: ["bigstar"] },
    { id: "fan", handles: ["fan_1"], bio: "follow @bigstar · backup of @nobody_known · love @home" },
  ]);
  assert.deepEqual(ofKind(linker.linksFor("fan"), "names-as-main"), []);
  assert.deepEqual(ofKind(linker.linksFor("fan"), "names-as-backup"), []);
  assert.deepEqual(linker.linksFor("star"), []);
});

test("handle history: a mention of an earlier handle resolves to the account that changed it; the current holder wins", () => {
  const linker = linkerWith([
    { id: "renamed", handles: ["fern_and_pebble", "mossy_teacup"] },
    { id: "writer", handles: ["teacup_two"], bio: "bkp 4 @mossy_teacup" },
  ]);
  const [link] = linker.linksFor("writer").filter((l) => l.kind === "names-as-main");
  assert.equal(link.to, "renamed");
  assert.match(link.explanation, /an earlier handle of renamed, now @fern_and_pebble/);

  // Someone else now holds the handle: the mention means them.
  linker.upsert({ id: "new-holder", handles: ["mossy_teacup"] });
  const names = ofKind(linker.linksFor("writer"), "names-as-main");
  assert.deepEqual(names.map((l) => l.to), ["new-holder"]);
});

test("a look-alike spelling of a handle resolves through its skeleton, a little weaker", () => {
  const linker = linkerWith([
    { id: "acct-42", handles: ["mossy_teacup"] },
    { id: "acct-77", handles: ["other_one"], bio: "backup of @m0ssy.tеacup" }, // digit zero, dot, Cyrillic е
  ]);
  const [link] = ofKind(linker.linksFor("acct-77"), "names-as-main");
  assert.equal(link.to, "acct-42");
  assert.ok(link.strength < 0.9 && link.strength >= 0.7, String(link.strength));
  assert.match(link.explanation, /@m0ssy\.tеacup reads as @mossy_teacup, the handle of acct-42/);
});

test("benign twins are linked like any backup; the link says what the text claims and the caller decides", () => {
  const linker = linkerWith([
    { id: "ordinary-1", handles: ["sam_bakes"], bio: "cakes and bread" },
    { id: "ordinary-2", handles: ["sam_bakes_again"], bio: "2nd acc of @sam_bakes, main got hacked" },
  ]);
  const [link] = ofKind(linker.linksFor("ordinary-1"), "names-as-main");
  assert.equal(link.from, "ordinary-2");
  assert.deepEqual(link.roles, { main: "ordinary-1", backup: "ordinary-2" });
  assert.match(link.explanation, /2nd acc of @sam_bakes/);
});

test("handle-history: a handle held by two accounts, a look-alike handle, a handle with a backup affix; not unrelated handles", () => {
  const linker = linkerWith([
    { id: "banned", handles: ["renamed_after", "mossy_teacup"] },
    { id: "same", handles: ["mossy_teacup"] },
    { id: "lookalike", handles: ["m0ssy.teacup"] },
    { id: "affixed", handles: ["mossy_teacup_bkp2"] },
    { id: "numbered", handles: ["mossy_teacup7"] },
    { id: "unrelated", handles: ["teacup_fan"] },
    { id: "short-a", handles: ["abc1"] },
    { id: "short-b", handles: ["abc"] },
  ]);
  const links = ofKind(linker.linksFor("banned"), "handle-history");
  const strength = (other: string) => between(links, "banned", other)[0]?.strength;
  assert.equal(strength("same"), 0.8);
  assert.equal(strength("lookalike"), 0.45);
  assert.equal(strength("affixed"), 0.5);
  assert.equal(strength("numbered"), 0.3, "a number added is weaker than a backup word");
  assert.equal(strength("unrelated"), undefined);
  assert.match(between(links, "banned", "same")[0].explanation, /both have held the handle @mossy_teacup: earlier for banned, current for same/);
  assert.deepEqual(ofKind(linker.linksFor("short-a"), "handle-history"), [], "stems shorter than 5 characters link nothing");
});

test("shared-contact: one messenger handle written two ways links; different handles and crowded values do not", () => {
  const accounts: AccountProfile[] = [
    { id: "a", handles: ["a_1"], bio: "menu on t.me/QuietBird_77 · pay $MossyFunds" },
    { id: "b", handles: ["b_1"], bio: "telegram: @quietbird_77 · cash.app/$mossyfunds" },
    { id: "c", handles: ["c_1"], bio: "telegram: @loudbird_88" },
  ];
  const linker = linkerWith(accounts);
  const [link] = ofKind(linker.linksFor("a"), "shared-contact");
  assert.equal(link.to, "b");
  assert.equal(link.explanation, "both list telegram:quietbird_77, cashapp:mossyfunds");
  assert.ok(link.strength > 0.9, "two shared contacts add up");
  assert.deepEqual(ofKind(linker.linksFor("c"), "shared-contact"), []);

  // A shop link listed by more than contactMaxShared accounts says nothing about any pair.
  const shop = linkerWith(crowd(12, 1, () => ({ bio: "prints at https://shop.example/prints" })), { contactMaxShared: 10 });
  assert.deepEqual(ofKind(shop.linksFor("crowd-0"), "shared-contact"), []);
  // Within the cap, more holders make each pair weaker.
  const few = linkerWith(crowd(2, 1, () => ({ bio: "prints at https://shop.example/prints" })));
  const many = linkerWith(crowd(8, 1, () => ({ bio: "prints at https://shop.example/prints" })));
  assert.ok(ofKind(few.linksFor("crowd-0"), "shared-contact")[0].strength > ofKind(many.linksFor("crowd-0"), "shared-contact")[0].strength);
});

test("near-duplicate-profile: a copied bio with small edits links; a different bio does not", () => {
  const bio = "🌸 hand-thrown pottery from the lumen valley studio · glazes by marigold · commissions open till june";
  const linker = linkerWith([
    ...crowd(300, 2),
    { id: "orig", handles: ["lumen_pottery"], displayName: "Lumen Valley Pottery", bio },
    { id: "copy", handles: ["valley_pots"], displayName: "Lumen Valley Pottery", bio: bio.replace("june", "july").replace("o", "ο") },
    { id: "other", handles: ["quilts_by_ash"], displayName: "Ash Quilts", bio: "quilting circle on thursdays, patterns swapped freely" },
  ]);
  const links = ofKind(linker.linksFor("orig"), "near-duplicate-profile");
  assert.deepEqual(links.map((l) => l.to), ["copy"]);
  assert.ok(links[0].strength >= 0.5, String(links[0].strength));
  assert.match(links[0].explanation, /^display name and bio \d+% the same by rarity-weighted shingles \("Lumen Valley Pottery · 🌸 hand-thrown/);
});

test("near-duplicate-profile: a generic bio shared by many accounts never makes a strong link", () => {
  const generic = crowd(400, 3, (i) => (i < 200 ? { displayName: "coffee person", bio: "artist | coffee" } : {}));
  const linker = linkerWith(generic);
  let strongest = 0;
  for (let i = 0; i < 200; i++) for (const l of ofKind(linker.linksFor(`crowd-${i}`), "near-duplicate-profile")) strongest = Math.max(strongest, l.strength);
  assert.ok(strongest < 0.15, `generic bios linked at ${strongest}`);
});

test("same-avatar: a near PDQ hash links with its distance; a different picture or a crowded one does not", () => {
  const random = seededRandom(4);
  const avatar = randomHash(random);
  const linker = linkerWith([
    ...crowd(50, 4),
    { id: "orig", handles: ["pic_one"], avatarPdq: avatar },
    { id: "reupload", handles: ["pic_two"], avatarPdq: flipBits(avatar, 6) },
    { id: "far", handles: ["pic_three"], avatarPdq: flipBits(avatar, 60) },
  ]);
  const links = ofKind(linker.linksFor("orig"), "same-avatar");
  assert.deepEqual(links.map((l) => l.to), ["reupload"]);
  assert.equal(links[0].explanation, "the same avatar (PDQ distance 6 of 256)");

  const defaults = linkerWith(crowd(30, 5, () => ({ avatarPdq: "0".repeat(64) })), { avatarMaxShared: 20 });
  assert.deepEqual(ofKind(defaults.linksFor("crowd-0"), "same-avatar"), [], "a default avatar links nobody");
});

test("overlapping-follows: the same rarely followed accounts link; shared celebrities do not", () => {
  const niche = Array.from({ length: 20 }, (_, i) => `niche-${i}`);
  const celebrities = ["celeb-1", "celeb-2", "celeb-3"];
  const fans = crowd(300, 6, (_, random) => ({ followees: [...celebrities, `crowd-${Math.floor(random() * 300)}`] }));
  const linker = linkerWith([
    ...fans,
    { id: "main", handles: ["main_acc"], followees: niche },
    { id: "backup", handles: ["backup_acc"], followees: [...niche.slice(0, 18), "crowd-1", "crowd-2"] },
  ]);
  const links = ofKind(linker.linksFor("main"), "overlapping-follows");
  assert.deepEqual(links.map((l) => l.to), ["backup"]);
  assert.match(links[0].explanation, /^follow 18 of the same accounts \(of 20 and 20;/);
  for (let i = 0; i < 50; i++) assert.deepEqual(ofKind(linker.linksFor(`crowd-${i}`), "overlapping-follows"), [], `crowd-${i}`);
});

test("pairsFor combines a pair's links by noisy-or over the strongest link of each kind", () => {
  const linker = linkerWith([
    { id: "a", handles: ["mossy_teacup"], bio: "t.me/quietbird_77", texts: ["my backup @mossy_teacup_bkp"] },
    { id: "b", handles: ["mossy_teacup_bkp"], bio: "backup of @mossy_teacup · t.me/quietbird_77" },
  ]);
  const [pair] = linker.pairsFor("a");
  assert.equal(pair.other, "b");
  const strongest = new Map<string, number>();
  for (const l of pair.links) strongest.set(l.kind, Math.max(strongest.get(l.kind) ?? 0, l.strength));
  assert.deepEqual([...strongest.keys()].sort(), ["handle-history", "names-as-backup", "names-as-main", "shared-contact"]);
  assert.equal(pair.strength, Math.round(combineStrengths(strongest.values()) * 1000) / 1000);
  assert.equal(combineStrengths([0.5, 0.5]), 0.75);
  assert.equal(combineStrengths([]), 0);
});

test("incremental: a mention written before its target exists links once the target arrives; re-upserting replaces; remove forgets", () => {
  const linker = new EvasionLinker();
  linker.upsert({ id: "writer", handles: ["w_1"], bio: "bkp 4 @late_comer" });
  assert.deepEqual(linker.linksFor("writer"), []);
  linker.upsert({ id: "target", handles: ["late_comer"] });
  assert.equal(linker.linksFor("writer").length, 1);
  assert.equal(linker.linksFor("target").length, 1);

  // The bio is cleaned after a report: the link goes.
  linker.upsert({ id: "writer", handles: ["w_1"], bio: "just pottery" });
  assert.deepEqual(linker.linksFor("target"), []);

  linker.upsert({ id: "writer", handles: ["w_1"], bio: "bkp 4 @late_comer" });
  linker.remove("target");
  assert.deepEqual(linker.linksFor("writer"), []);
  assert.deepEqual(linker.linksFor("target"), [], "unknown ids have no links");
  assert.equal(linker.size, 1);
  linker.remove("target"); // removing twice is harmless
});

test("allLinks reports each link once: symmetric ones once per pair, mentions from their writer", () => {
  const linker = linkerWith([
    { id: "a", handles: ["mossy_teacup"], bio: "t.me/quietbird_77" },
    { id: "b", handles: ["m0ssy_teacup_bkp"], bio: "backup of @mossy_teacup · t.me/quietbird_77" },
    { id: "c", handles: ["quiet_c"], bio: "t.me/quietbird_77" },
  ]);
  const all = [...linker.allLinks()];
  const keys = all.map((l) => `${l.kind}:${[l.from, l.to].sort().join("-")}`);
  assert.equal(new Set(keys).size, keys.length, keys.join(", "));
  const touching = new Set(["a", "b", "c"].flatMap((id) => linker.linksFor(id).map((l) => `${l.kind}:${[l.from, l.to].sort().join("-")}`)));
  assert.deepEqual(new Set(keys), touching);
  assert.ok(keys.includes("names-as-main:a-b") && keys.includes("shared-contact:a-c") && keys.includes("shared-contact:b-c"));
});

test("bad profiles and options are refused with coded errors that point at the field", () => {
  const linker = new EvasionLinker();
  assert.throws(() => linker.upsert({ id: "", handles: [] }), { code: "VALIDATION_FAILED", pointer: "/id" });
  assert.throws(() => linker.upsert({ id: "x", handles: "x" as unknown as string[] }), { code: "VALIDATION_FAILED", pointer: "/handles" });
  assert.throws(() => linker.upsert({ id: "x", handles: [], followees: [1] as unknown as string[] }), { code: "VALIDATION_FAILED", pointer: "/followees" });
  assert.throws(() => linker.upsert({ id: "x", handles: [], avatarPdq: "abc" }), { code: "HASH_MALFORMED", pointer: "/avatarPdq" });
  assert.throws(() => new EvasionLinker({ minStrength: 2 }), { code: "VALIDATION_FAILED", pointer: "/minStrength" });
  assert.throws(() => new EvasionLinker({ bucketMaxSize: 0 }), { code: "VALIDATION_FAILED", pointer: "/bucketMaxSize" });
  assert.equal(linker.size, 0, "a refused profile leaves nothing behind");
});

test("created dates say which account is newer in symmetric explanations", () => {
  const linker = linkerWith([
    { id: "old", handles: ["o_1"], bio: "t.me/quietbird_77", createdAt: "2026-01-01T00:00:00Z" },
    { id: "new", handles: ["n_1"], bio: "t.me/quietbird_77", createdAt: "2026-01-11T00:00:00Z" },
  ]);
  assert.equal(linker.linksFor("old")[0].explanation, "both list telegram:quietbird_77; new was created 10 days after old");
});

test("a picture and a contact shared by thousands are indexed without scans, link nothing, and come out cleanly", () => {
  const shared = crowd(3_000, 7, () => ({ avatarPdq: "0".repeat(64), bio: "links at https://hub.example/all" }));
  const linker = linkerWith(shared);
  assert.deepEqual(linker.linksFor("crowd-0").filter((l) => l.kind === "same-avatar" || l.kind === "shared-contact"), []);
  for (const p of shared.slice(0, 2_998)) linker.remove(p.id);
  const pair = linker.linksFor("crowd-2998").map((l) => l.kind);
  assert.ok(pair.includes("same-avatar") && pair.includes("shared-contact"), "two left: they link again");
});
