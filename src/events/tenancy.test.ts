import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { platformEvent } from "./schema.js";
import { accountKeyOf, accountRefOf, defaultPlatformId, describeAccount, eventKeyOf, platformFieldOf, platformIdProblem, scopedKey, splitScopedKey } from "./tenancy.js";

describe("scoped keys: one text value per (platform, id)", () => {
  it("is the bare id on the default platform, so keys stored before tenancy still name their event", () => {
    assert.equal(scopedKey(defaultPlatformId, "e1"), "e1");
    assert.equal(scopedKey(undefined, "e1"), "e1");
    assert.equal(scopedKey(null, "e1"), "e1");
    assert.equal(eventKeyOf({ id: "e1" }), "e1");
    assert.deepEqual(splitScopedKey("e1"), { platformId: "", id: "e1" });
  });

  it("splits back into exactly the pair it was made from, whatever printable text either part holds", () => {
    const parts = ["forum.example", "a:b", "a/b", "␟", "a b", "ü-🦉", "x".repeat(200), "post:1", "\\u001f"];
    const keys = new Set<string>();
    for (const platformId of parts) {
      for (const id of parts) {
        const key = scopedKey(platformId, id);
        assert.deepEqual(splitScopedKey(key), { platformId, id });
        keys.add(key);
      }
    }
    for (const id of parts) keys.add(scopedKey("", id));
    assert.equal(keys.size, parts.length * parts.length + parts.length, "no two pairs share a key, nor a pair and a default-platform id");
  });

  it("rests on the schema refusing the separator (a control character) in ids and platform ids", () => {
    const follow = { id: "f1", type: "follow", occurred_at: "2026-01-01T00:00:00Z", follower_id: "a", followee_id: "b" };
    assert.equal(platformEvent.safeParse(follow).success, true);
    assert.equal(platformEvent.safeParse({ ...follow, platform_id: "forum\u001fx" }).success, false);
    assert.equal(platformEvent.safeParse({ ...follow, id: "forum\u001fx" }).success, false);
    assert.equal(platformEvent.safeParse({ ...follow, follower_id: "a\u001fb" }).success, false);
    assert.equal(platformEvent.safeParse({ ...follow, platform_id: "" }).success, false, "the default platform is sent by leaving platform_id out");
  });
});

describe("account keys: account ids are per platform too", () => {
  it("keys an account on the event's platform, and the default platform's account is its bare id", () => {
    assert.equal(accountKeyOf({}, "42"), "42");
    assert.equal(accountKeyOf({ platform_id: "forum.example" }, "42"), "forum.example\u001f42");
    assert.equal(accountKeyOf({ platform_id: "forum.example" }, "post:p7"), "forum.example\u001fpost:p7");
    assert.notEqual(accountKeyOf({ platform_id: "forum.example" }, "42"), accountKeyOf({ platform_id: "photos.example" }, "42"));
  });

  it("shows a key as the platform's id, with platformId only when it is not the default platform", () => {
    assert.deepEqual(accountRefOf("42"), { id: "42" });
    assert.ok(!("platformId" in accountRefOf("42")), "no platformId field at all for the default platform");
    assert.deepEqual(accountRefOf("forum.example\u001f42"), { id: "42", platformId: "forum.example" });
    assert.deepEqual(platformFieldOf("42"), {});
    assert.deepEqual(platformFieldOf("forum.example\u001f42"), { platformId: "forum.example" });
    assert.equal(describeAccount("42"), "42");
    assert.equal(describeAccount("forum.example\u001f42"), "42 (platform forum.example)");
  });

  it("refuses as a platform id what the event field refuses", () => {
    assert.equal(platformIdProblem("forum.example"), undefined);
    for (const bad of ["", "x".repeat(201), "a\u0007b", "a\u001fb", "\ud800"]) {
      assert.ok(platformIdProblem(bad), JSON.stringify(bad));
      assert.equal(platformEvent.safeParse({ id: "f1", type: "follow", occurred_at: "2026-01-01T00:00:00Z", follower_id: "a", followee_id: "b", platform_id: bad }).success, false);
    }
  });
});
