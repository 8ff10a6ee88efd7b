import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LapwingError } from "../errors/index.js";
import { DigestSet, normalizeMd5, normalizeSha256 } from "./digest.js";
import { formatPdqHash, hammingDistance, isPdqHash, parsePdqHash, pdqDistance, popcount32, toPdqWords } from "./pdq-hash.js";

function assertMalformed(fn: () => unknown, messagePart: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof LapwingError, "expected a LapwingError");
    assert.equal(error.code, "HASH_MALFORMED");
    assert.match(error.message, messagePart);
    return true;
  });
}

describe("PDQ hash helpers", () => {
  it("parses big-endian: the first hex digit is the most significant", () => {
    const words = parsePdqHash(`8${"0".repeat(62)}1`);
    assert.equal(words[0], 0x80000000);
    assert.equal(words[7], 1);
    assert.deepEqual([...parsePdqHash("0123456789abcdef".repeat(4))].slice(0, 2), [0x01234567, 0x89abcdef]);
  });

  it("round-trips through format, normalising case and whitespace", () => {
    const hex = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
    assert.equal(formatPdqHash(parsePdqHash(hex)), hex);
    assert.equal(formatPdqHash(parsePdqHash(`  ${hex.toUpperCase()}\n`)), hex);
    assert.equal(formatPdqHash(new Uint32Array(8)), "0".repeat(64));
    assert.ok(isPdqHash(hex));
    assert.ok(!isPdqHash(hex.slice(1)));
  });

  it("computes Hamming distance over all 256 bits", () => {
    const zero = "0".repeat(64);
    assert.equal(pdqDistance(zero, "f".repeat(64)), 256);
    assert.equal(pdqDistance(zero, zero), 0);
    assert.equal(pdqDistance(zero, `${"0".repeat(63)}3`), 2);
    assert.equal(pdqDistance(zero, `1${"0".repeat(62)}1`), 2);
    const a = parsePdqHash("0123456789abcdef".repeat(4));
    assert.equal(hammingDistance(a, a), 0);
    assert.equal(popcount32(0xffffffff), 32);
    assert.equal(popcount32(0x80000001), 2);
  });

  it("rejects malformed PDQ hashes with HASH_MALFORMED saying what is expected", () => {
    assertMalformed(() => parsePdqHash("abc"), /64 hex digits.*got 3 characters/);
    assertMalformed(() => parsePdqHash("g".repeat(64)), /only hex digits/);
    assertMalformed(() => parsePdqHash(`${"0".repeat(63)} 1`), /64 hex digits/);
    assertMalformed(() => parsePdqHash("0x" + "0".repeat(62)), /only hex digits/);
    assertMalformed(() => parsePdqHash(42 as unknown as string), /must be a string/);
    assertMalformed(() => toPdqWords(new Uint32Array(7)), /8 words; got 7 words/);
    assertMalformed(() => formatPdqHash(new Uint32Array(4)), /8 32-bit words/);
  });
});

describe("digests", () => {
  it("normalises and validates md5 and sha256", () => {
    assert.equal(normalizeMd5(" D41D8CD98F00B204E9800998ECF8427E\t"), "d41d8cd98f00b204e9800998ecf8427e");
    assert.equal(normalizeSha256("A".repeat(64)), "a".repeat(64));
    assertMalformed(() => normalizeMd5("a".repeat(64)), /MD5 digest must be 32 hex digits; got 64/);
    assertMalformed(() => normalizeSha256("a".repeat(32)), /SHA-256 digest must be 64 hex digits; got 32/);
    assertMalformed(() => normalizeMd5("z".repeat(32)), /only hex digits/);
  });

  it("DigestSet matches exactly, ignoring case", () => {
    const set = new DigestSet("sha256");
    set.add(7, "AB".repeat(32));
    assert.equal(set.get("ab".repeat(32)), 7);
    assert.equal(set.get("ac".repeat(32)), undefined);
    assert.ok(set.delete("ab".repeat(32)));
    assert.equal(set.size, 0);
    assertMalformed(() => set.add(1, "ab"), /64 hex digits/);
  });
});
