import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FAISS_LARGE, FAISS_SWEEP, isExactMultiHash, parseMultiHashConfigs } from "../bench/faiss-configs.js";

/** Whether some table of `bits` bits (disjoint, in order) differs in at most nflip bits for every difference mask of weight <= r. */
function bruteForceExact(nhash: number, bits: number, nflip: number, r: number): boolean {
  const width = nhash * bits;
  for (let mask = 0; mask < 1 << width; mask++) {
    let weight = 0;
    for (let m = mask; m !== 0; m &= m - 1) weight++;
    if (weight > r) continue;
    let found = false;
    for (let t = 0; t < nhash && !found; t++) {
      let w = 0;
      for (let m = (mask >>> (t * bits)) & ((1 << bits) - 1); m !== 0; m &= m - 1) w++;
      if (w <= nflip) found = true;
    }
    if (!found) return false;
  }
  return true;
}

describe("FAISS MultiHash configs for the PDQ index benchmark", () => {
  it("calls a config exact exactly when the pigeonhole argument holds (checked by brute force on small hashes)", () => {
    for (const [nhash, bits, nflip] of [[3, 4, 0], [2, 6, 1], [4, 3, 0], [3, 5, 1]] as const) {
      for (let r = 0; r <= nhash * bits; r++) {
        assert.equal(isExactMultiHash({ nhash, bits, nflip }, r), bruteForceExact(nhash, bits, nflip, r), `${nhash}x${bits}:${nflip} at distance ${r}`);
      }
    }
  });

  it("parses the sweep and the large-size default, all exact at 31", () => {
    assert.deepEqual(parseMultiHashConfigs("11x23:2, 16x16:1", 31), [
      { nhash: 11, bits: 23, nflip: 2 },
      { nhash: 16, bits: 16, nflip: 1 },
    ]);
    assert.equal(parseMultiHashConfigs(FAISS_SWEEP, 31).length, 4);
    assert.ok(parseMultiHashConfigs(FAISS_LARGE, 31).length >= 1);
  });

  it("rejects configs that are not exact, too wide or malformed", () => {
    assert.throws(() => parseMultiHashConfigs("10x25:2", 31), /not exact at distance 31/);
    assert.throws(() => parseMultiHashConfigs("16x17:1", 31), /more than the hash's 256/);
    assert.throws(() => parseMultiHashConfigs("16-16:1", 31), /expected nhash x bits : nflip/);
    assert.throws(() => parseMultiHashConfigs("", 31), /no FAISS configs/);
  });
});
