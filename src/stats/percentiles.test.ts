import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { nearestRank, summarise } from "./percentiles.js";

describe("nearest-rank percentiles", () => {
  it("picks the smallest value with at least p of the values at or below it", () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(nearestRank(hundred, 0.5), 50);
    assert.equal(nearestRank(hundred, 0.99), 99);
    assert.equal(nearestRank([7], 0.99), 7);
    assert.equal(nearestRank([], 0.5), undefined);
    assert.deepEqual(summarise([3, 1, 2]), { count: 3, p50Seconds: 2, p99Seconds: 3 }, "sorts before picking");
    assert.deepEqual(summarise([]), { count: 0, p50Seconds: null, p99Seconds: null });
  });
});
