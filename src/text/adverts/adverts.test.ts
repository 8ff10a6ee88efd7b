// Precision and recall of the advert scorer on the synthetic labelled set, at
// the default threshold, on a seed never used while tuning the weights.
// The figures only mean what the generator's header says they mean.
import assert from "node:assert/strict";
import { test } from "node:test";
import { compileLexicon } from "../index.js";
import {
  ADVERT_DEFAULTS,
  ADVERT_FAMILIES,
  BENIGN_FAMILIES,
  HELD_OUT_SEED,
  SYNTHETIC_ADVERT_LEXICON,
  TUNING_SEED,
  generateSyntheticAdverts,
  scoreAdvert,
} from "./index.js";

test("held-out synthetic set: precision >= 0.95, recall >= 0.90 at the default threshold", () => {
  assert.notEqual(HELD_OUT_SEED, TUNING_SEED);
  const set = generateSyntheticAdverts({ seed: HELD_OUT_SEED });
  const adverts = set.filter((s) => s.isAdvert).length;
  assert.ok(adverts >= 1000 && set.length - adverts >= 1000, "at least 1,000 of each class");

  const lexicon = compileLexicon(SYNTHETIC_ADVERT_LEXICON);
  const perFamily = new Map<string, { isAdvert: boolean; n: number; flagged: number }>();
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const sample of set) {
    const { score } = scoreAdvert(sample.text, { hits: lexicon.match(sample.text) });
    const isFlagged = score >= ADVERT_DEFAULTS.threshold;
    const row = perFamily.get(sample.family) ?? { isAdvert: sample.isAdvert, n: 0, flagged: 0 };
    row.n++;
    if (isFlagged) row.flagged++;
    perFamily.set(sample.family, row);
    if (isFlagged && sample.isAdvert) tp++;
    else if (isFlagged) fp++;
    else if (sample.isAdvert) fn++;
  }
  const precision = tp / (tp + fp);
  const recall = tp / (tp + fn);
  console.log(`seed ${HELD_OUT_SEED}: precision ${precision.toFixed(3)} recall ${recall.toFixed(3)}`);
  for (const [family, row] of perFamily) {
    console.log(`  ${family.padEnd(18)} ${row.isAdvert ? "advert recall      " : "benign false-pos.  "} ${(row.flagged / row.n).toFixed(3)} (${row.flagged}/${row.n})`);
  }
  assert.deepEqual([...perFamily.keys()], [...ADVERT_FAMILIES, ...BENIGN_FAMILIES]);
  assert.ok(precision >= 0.95, `precision ${precision}`);
  assert.ok(recall >= 0.9, `recall ${recall}`);
  // No single family may carry the average: each advert family is mostly caught, each benign one mostly passed.
  for (const [family, row] of perFamily) {
    const rate = row.flagged / row.n;
    if (row.isAdvert) assert.ok(rate >= 0.8, `${family} recall ${rate}`);
    else assert.ok(rate <= 0.1, `${family} false-positive rate ${rate}`);
  }
});

test("the generator is deterministic per seed and differs across seeds", () => {
  const a = generateSyntheticAdverts({ seed: 7, advertsPerFamily: 5, benignPerFamily: 5 });
  const b = generateSyntheticAdverts({ seed: 7, advertsPerFamily: 5, benignPerFamily: 5 });
  const c = generateSyntheticAdverts({ seed: 8, advertsPerFamily: 5, benignPerFamily: 5 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.map((s) => s.text), c.map((s) => s.text));
  assert.equal(a.length, 5 * (ADVERT_FAMILIES.length + BENIGN_FAMILIES.length));
});

test("the synthetic lexicon compiles and holds only stand-in entries", () => {
  const lexicon = compileLexicon(SYNTHETIC_ADVERT_LEXICON);
  assert.equal(lexicon.entries.length, SYNTHETIC_ADVERT_LEXICON.entries.length);
  for (const entry of SYNTHETIC_ADVERT_LEXICON.entries) assert.match(entry.note ?? "", /synthetic stand-in/);
});
