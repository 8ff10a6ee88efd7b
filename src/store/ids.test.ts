import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { newId } from "./ids.js";

describe("newId", () => {
  it("sorts in creation order, within one millisecond too", () => {
    const now = Date.parse("2026-03-01T12:00:00Z");
    const ids = Array.from({ length: 1000 }, (_, i) => newId(now + Math.floor(i / 100)));
    assert.deepEqual([...ids].sort(), ids);
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(ids.every((id) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id)));
  });

  it("keeps each millisecond's order when ids for different clocks interleave", () => {
    const pinned = Date.parse("2026-03-03T12:00:00Z");
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      ids.push(newId(pinned));
      newId(Date.now());
    }
    assert.deepEqual([...ids].sort(), ids);
  });

  it("carries when the random part ends in the highest digit", () => {
    const now = Date.parse("2026-03-02T12:00:00Z");
    let previous = newId(now);
    for (let i = 0; i < 5000; i++) {
      const next = newId(now);
      assert.ok(next > previous, `${next} > ${previous}`);
      previous = next;
    }
  });
});
