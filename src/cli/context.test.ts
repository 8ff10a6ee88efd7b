import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { wholeNumber } from "./context.js";

describe("wholeNumber (CLI options)", () => {
  it("reads digits within the range", () => {
    assert.equal(wholeNumber("0", "--after"), 0);
    assert.equal(wholeNumber(" 42 ", "--limit", { min: 1, max: 100 }), 42);
    assert.equal(wholeNumber("999999999999999", "--after"), 999_999_999_999_999);
  });

  it("refuses what a database would choke on, naming the flag", () => {
    for (const bad of ["", "-1", "1.5", "1e20", "0x10", "abc", "9999999999999999", "٣"]) {
      assert.throws(() => wholeNumber(bad, "--after"), { code: "VALIDATION_FAILED", pointer: "/after" }, JSON.stringify(bad));
    }
    assert.throws(() => wholeNumber("0", "--limit", { min: 1, max: 1000 }), /from 1 to 1000/);
    assert.throws(() => wholeNumber("1001", "--limit", { min: 1, max: 1000 }), /from 1 to 1000; got "1001"/);
  });
});
