import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkPolicyText, locateJsonPointer, positionOf } from "./locate.js";

describe("locating a policy problem in its text", () => {
  it("finds a pointer's value, or the deepest value that is there", () => {
    const text = '{\n  "a": [1,\n  2],\n  "b": {"c~/d": true}\n}';
    assert.deepEqual(locateJsonPointer(text, "/a/1"), { line: 3, column: 3, offset: 15 });
    assert.deepEqual(locateJsonPointer(text, "/b/c~0~1d"), positionOf(text, text.indexOf("true")), "~0 and ~1 are unescaped");
    assert.deepEqual(locateJsonPointer(text, "/b/missing"), positionOf(text, text.indexOf("{", 5)), "a missing field is shown at the object lacking it");
    assert.deepEqual(locateJsonPointer(text, ""), { line: 1, column: 1, offset: 0 });
    assert.equal(locateJsonPointer("{oops", "/a"), undefined);
  });

  it("puts a syntax error where the text stops being JSON, and a policy problem at its field's line", () => {
    const syntax = checkPolicyText('{\n  "version": 1,\n  "policies": [\n  }');
    assert.equal(syntax.valid, false);
    if (!syntax.valid) assert.deepEqual([syntax.problems[0]!.line, syntax.problems[0]!.column], [4, 3]);
    const text = JSON.stringify({ version: 1, policies: [{ id: "p", description: "d", when: { signal: "lexicon-hit", where: [{ field: "termz", op: "==", value: "x" }] }, then: [{ decision: "hold" }], mode: "enforce" }] }, null, 2);
    const result = checkPolicyText(text);
    assert.equal(result.valid, false);
    if (!result.valid) {
      const [problem] = result.problems;
      assert.equal(problem!.pointer, "/policies/0/when/where/0/field");
      assert.equal(text.split("\n")[problem!.line - 1]!.trim(), '"field": "termz",');
      assert.equal(text.slice(problem!.offset, problem!.offset + 7), '"termz"');
    }
    assert.deepEqual(checkPolicyText('{"version": 1, "policies": []}'), { valid: true, policies: 0 });
    assert.equal(checkPolicyText("").valid, false, "an empty text is a problem at line 1, not a crash");
  });
});
