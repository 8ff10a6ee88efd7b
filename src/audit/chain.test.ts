import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LapwingError } from "../errors/index.js";
import { parseAuditAnchor } from "./anchor.js";
import { canonicalDetails, entryHash, genesisHash, maxDetailsChars } from "./chain.js";
import { validateRecord } from "./validate.js";

function refused(pointer: string) {
  return (e: unknown) => e instanceof LapwingError && e.code === "VALIDATION_FAILED" && e.pointer === pointer;
}

describe("audit chain encoding", () => {
  it("hashes a fixed encoding that outside tools can recompute", () => {
    // JSON.stringify(["lapwing-audit-1", 7, "2026-01-02T03:04:05.000Z", "cli", "bank.create", "bank", "01ABC", "{\"name\":\"synthetic\"}", "000…0"]) → SHA-256.
    const hash = entryHash({
      position: 7,
      at: "2026-01-02T03:04:05.000Z",
      actor: "cli",
      action: "bank.create",
      targetType: "bank",
      targetId: "01ABC",
      details: '{"name":"synthetic"}',
      prevHash: genesisHash,
    });
    assert.equal(hash, "40e8fdd59397dbc47c5cbb1164380ceceb3434a7503d0243df5b84f802db048d");
  });

  it("keeps field boundaries: moving text between fields changes the hash", () => {
    const base = { position: 1, at: "t", actor: "a", action: "b.c", targetType: "x", targetId: "y", details: "{}", prevHash: genesisHash };
    assert.notEqual(entryHash(base), entryHash({ ...base, actor: "ab", action: ".c" }));
    assert.notEqual(entryHash(base), entryHash({ ...base, targetType: null, targetId: null }));
    assert.notEqual(entryHash(base), entryHash({ ...base, position: 2 }));
  });

  it("writes canonical JSON: sorted keys at every depth, no undefined, dates as ISO", () => {
    const a = canonicalDetails({ b: 1, a: { d: [1, "x", null, true], c: undefined }, when: new Date(Date.UTC(2026, 0, 2)) });
    assert.equal(a, '{"a":{"d":[1,"x",null,true]},"b":1,"when":"2026-01-02T00:00:00.000Z"}');
    assert.equal(canonicalDetails({ a: { d: [1, "x", null, true] }, b: 1, when: "2026-01-02T00:00:00.000Z" }), a);
    assert.equal(canonicalDetails(undefined), "{}");
    assert.equal(canonicalDetails({ text: "ünï\u0000\ud800" }), '{"text":"ünï\\u0000\\ud800"}');
  });

  it("refuses secrets, media bytes and values without a stable JSON form, pointing at them", () => {
    assert.throws(() => canonicalDetails({ key: { secret: "x" } }), refused("/details/key/secret"));
    assert.throws(() => canonicalDetails({ sessionToken: "x" }), refused("/details/sessionToken"));
    assert.throws(() => canonicalDetails({ password: "x" }), refused("/details/password"));
    assert.throws(() => canonicalDetails({ media: Buffer.from("abc") }), refused("/details/media"));
    assert.throws(() => canonicalDetails({ list: [1, new Uint8Array(4)] }), refused("/details/list/1"));
    assert.throws(() => canonicalDetails({ n: Number.NaN }), refused("/details/n"));
    assert.throws(() => canonicalDetails({ n: Infinity }), refused("/details/n"));
    assert.throws(() => canonicalDetails({ n: 1n }), refused("/details/n"));
    assert.throws(() => canonicalDetails({ m: new Map() }), refused("/details/m"));
    assert.throws(() => canonicalDetails({ "a/b": [undefined] }), refused("/details/a~1b/0"));
    assert.throws(() => canonicalDetails([] as unknown as Record<string, unknown>), refused("/details"));
    assert.throws(() => canonicalDetails({ big: "x".repeat(maxDetailsChars) }), refused("/details"));
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    assert.throws(() => canonicalDetails(cycle), (e: unknown) => e instanceof LapwingError && e.code === "VALIDATION_FAILED");
    // Names that merely mention a token are fine.
    assert.equal(canonicalDetails({ tokenCount: 3 }), '{"tokenCount":3}');
  });

  it("validates actor, action and target text", () => {
    validateRecord({ actor: "key:01ABC:forum prod", action: "bank.create", target: { type: "bank", id: "01X" } });
    validateRecord({ actor: "system", action: "login" });
    assert.throws(() => validateRecord({ actor: "", action: "bank.create" }), refused("/actor"));
    assert.throws(() => validateRecord({ actor: "cli\n", action: "bank.create" }), refused("/actor"));
    assert.throws(() => validateRecord({ actor: "cli", action: "Bank Create" }), refused("/action"));
    assert.throws(() => validateRecord({ actor: "cli", action: "bank." }), refused("/action"));
    assert.throws(() => validateRecord({ actor: "cli", action: "bank.create", target: { type: "bank", id: "\ud800" } }), refused("/target/id"));
  });

  it("reads anchors as POSITION:HASH", () => {
    assert.deepEqual(parseAuditAnchor(` 12:${"AB".repeat(32)} `), { position: 12, hash: "ab".repeat(32) });
    assert.throws(() => parseAuditAnchor("12"), (e: unknown) => e instanceof LapwingError && e.code === "VALIDATION_FAILED");
    assert.throws(() => parseAuditAnchor(`x:${"a".repeat(64)}`), (e: unknown) => e instanceof LapwingError);
  });
});
