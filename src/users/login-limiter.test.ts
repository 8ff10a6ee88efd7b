import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createLoginLimiter } from "./login-limiter.js";

describe("login limiter", () => {
  it("refuses after maxFailures within the window, until the oldest failure ages out", () => {
    let now = 1_000_000;
    const limiter = createLoginLimiter({ maxFailures: 3, windowMs: 60_000, clock: () => now });
    for (let i = 0; i < 3; i++) {
      assert.equal(limiter.retryAfterMs("ip\nalice"), 0);
      limiter.failed("ip\nalice");
      now += 1000;
    }
    assert.equal(limiter.retryAfterMs("ip\nalice"), 57_000, "the first failure (3 s ago) ages out in 57 s");
    assert.equal(limiter.retryAfterMs("ip\nbob"), 0, "other keys are not affected");
    now += 57_000;
    assert.equal(limiter.retryAfterMs("ip\nalice"), 0);
  });

  it("forgets a key on success, and keeps memory bounded", () => {
    const limiter = createLoginLimiter({ maxFailures: 1, maxKeys: 2, clock: () => 0 });
    limiter.failed("a");
    assert.ok(limiter.retryAfterMs("a") > 0);
    limiter.succeeded("a");
    assert.equal(limiter.retryAfterMs("a"), 0);
    limiter.failed("x");
    limiter.failed("y");
    limiter.failed("z");
    assert.equal(limiter.retryAfterMs("x"), 0, "the oldest key was forgotten");
    assert.ok(limiter.retryAfterMs("z") > 0);
  });
});
