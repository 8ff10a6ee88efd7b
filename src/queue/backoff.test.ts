import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { seededRandom } from "../random/index.js";
import { retryDelayMs } from "./backoff.js";

describe("retryDelayMs", () => {
  it("doubles from baseMs and stops at maxMs", () => {
    const backoff = { baseMs: 1000, maxMs: 10_000, jitter: 0 };
    const schedule = [1, 2, 3, 4, 5, 6].map((attempt) => retryDelayMs(attempt, backoff, () => 0.99));
    assert.deepEqual(schedule, [1000, 2000, 4000, 8000, 10_000, 10_000]);
    assert.equal(retryDelayMs(10_000, backoff, () => 0), 10_000, "huge attempt counts stay finite");
    assert.equal(retryDelayMs(0, backoff, () => 0), 1000, "attempt 0 is treated as the first");
  });

  it("keeps jittered waits within (delay·(1−jitter), delay], replayable from a seed", () => {
    const backoff = { baseMs: 1000, maxMs: 60_000, jitter: 0.5 };
    const first = seededRandom(7);
    const again = seededRandom(7);
    const seen = new Set<number>();
    for (let attempt = 1; attempt <= 6; attempt++) {
      const full = 1000 * 2 ** (attempt - 1);
      for (let i = 0; i < 50; i++) {
        const wait = retryDelayMs(attempt, backoff, first);
        assert.ok(wait > full / 2 && wait <= full, `attempt ${attempt}: ${wait} outside (${full / 2}, ${full}]`);
        assert.equal(wait, retryDelayMs(attempt, backoff, again));
        seen.add(wait);
      }
    }
    assert.ok(seen.size > 100, "jitter spreads the waits");
    assert.equal(retryDelayMs(2, backoff, () => 0), 2000, "rng 0 gives the full delay");
  });
});
