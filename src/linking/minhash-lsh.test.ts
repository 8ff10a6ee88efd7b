import assert from "node:assert/strict";
import { test } from "node:test";
import { hashSet } from "./hashing.js";
import { MinHashLsh } from "./minhash-lsh.js";

const set = (prefix: string, from: number, to: number): Uint32Array => hashSet(Array.from({ length: to - from }, (_, i) => `${prefix}${from + i}`));

test("similar sets are candidates, disjoint sets are not; remove takes a set out", () => {
  const lsh = new MinHashLsh({ bands: 12, rows: 3, bucketMaxSize: 64 });
  lsh.add(1, set("f", 0, 40));
  lsh.add(2, set("f", 2, 42)); // Jaccard 38/42
  lsh.add(3, set("g", 0, 40));
  assert.deepEqual(lsh.candidates(1, 10), [2]);
  assert.deepEqual(lsh.candidates(3, 10), []);
  lsh.remove(2);
  assert.deepEqual(lsh.candidates(1, 10), []);
  assert.equal(lsh.size, 2);
  assert.deepEqual(lsh.candidates(99, 10), [], "an unknown document has no candidates");
});

test("a bucket crowded past bucketMaxSize proposes nothing until it empties, and limit caps the answer", () => {
  const lsh = new MinHashLsh({ bands: 12, rows: 3, bucketMaxSize: 5 });
  const same = set("generic", 0, 10);
  for (let doc = 0; doc < 5; doc++) lsh.add(doc, same);
  assert.equal(lsh.candidates(0, 10).length, 4);
  assert.equal(lsh.candidates(0, 2).length, 2);
  lsh.add(5, same);
  assert.deepEqual(lsh.candidates(0, 10), [], "six identical sets: too common to pair");
  for (let doc = 1; doc < 6; doc++) lsh.remove(doc);
  lsh.add(7, same);
  assert.deepEqual(lsh.candidates(7, 10), [], "members were dropped: closed until the bucket empties");
  lsh.remove(0);
  lsh.remove(7);
  lsh.add(8, same);
  lsh.add(9, same);
  assert.deepEqual(lsh.candidates(8, 10), [9], "the emptied bucket works again");
});
