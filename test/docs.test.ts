import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { configurationDoc, errorsDoc } from "../scripts/reference-docs.js";

describe("reference docs", () => {
  it("docs/configuration.md matches src/config (run `npm run docs` after changing settings)", () => {
    assert.ok(readFileSync(new URL("../docs/configuration.md", import.meta.url), "utf8") === configurationDoc(), "docs/configuration.md is stale: run `npm run docs`");
  });
  it("docs/errors.md matches the error codes (run `npm run docs` after adding a code)", () => {
    assert.ok(readFileSync(new URL("../docs/errors.md", import.meta.url), "utf8") === errorsDoc(), "docs/errors.md is stale: run `npm run docs`");
  });
});
