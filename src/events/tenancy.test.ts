import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { platformEvent } from "./schema.js";
import { defaultPlatformId, eventKeyOf, scopedKey, splitScopedKey } from "./tenancy.js";

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
