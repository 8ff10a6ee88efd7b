import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultScryptCost, hashPassword, needsRehash, verifyPassword } from "./password.js";

describe("password hashing (scrypt)", () => {
  it("hashes with the default cost and a fresh salt, and verifies only the right password", async () => {
    const a = await hashPassword("correct horse battery staple");
    const b = await hashPassword("correct horse battery staple");
    assert.match(a, /^scrypt\$15\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    assert.notEqual(a, b, "each hash has its own salt");
    assert.equal(await verifyPassword("correct horse battery staple", a), true);
    assert.equal(await verifyPassword("correct horse battery stapl", a), false);
    assert.equal(await verifyPassword("", a), false);
    assert.equal(needsRehash(a), false);
  });

  it("treats composed and decomposed accents alike (NFKC)", async () => {
    const hash = await hashPassword("caf\u00e9 au lait, please", { log2N: 10, r: 8, p: 1 });
    assert.equal(await verifyPassword("cafe\u0301 au lait, please", hash), true);
  });

  it("verifies hashes made with another cost, and says they need a rehash", async () => {
    const cheap = await hashPassword("a passphrase of words", { log2N: 10, r: 8, p: 1 });
    assert.equal(await verifyPassword("a passphrase of words", cheap), true);
    assert.equal(needsRehash(cheap, defaultScryptCost), true);
  });

  it("treats malformed or absurd stored hashes as a mismatch, never a throw", async () => {
    for (const stored of ["", "plain", "scrypt$15$8$1$$", "scrypt$30$8$1$AAAA$AAAA", "scrypt$15$99$1$AAAA$AAAA", "bcrypt$2b$10$xyz"]) {
      assert.equal(await verifyPassword("anything at all", stored), false, stored);
      assert.equal(needsRehash(stored), true);
    }
  });
});
