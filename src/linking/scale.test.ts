// Scale sanity: candidate generation is not all-pairs. Work is counted in pairs examined
// (EvasionLinker.stats().comparisons), never timed, so the test means the same on any machine.
import assert from "node:assert/strict";
import { test } from "node:test";
import { syntheticProfiles } from "../../test/support/linking-profiles.js";
import { EvasionLinker } from "./index.js";

function run(accounts: number): { perAccount: number; recall: number; falseLinks: number; links: number } {
  const { profiles, planted } = syntheticProfiles({ accounts, seed: 11 });
  const linker = new EvasionLinker();
  for (const p of profiles) linker.upsert(p);
  const plantedPairs = new Set(planted.map((p) => [p.main, p.backup].sort().join("|")));
  const strongPairs = new Map<string, number>();
  let links = 0;
  let falseLinks = 0;
  for (const link of linker.allLinks()) {
    links++;
    const key = [link.from, link.to].sort().join("|");
    if (!plantedPairs.has(key)) falseLinks++;
    strongPairs.set(key, 1 - (1 - (strongPairs.get(key) ?? 0)) * (1 - link.strength));
  }
  const found = [...plantedPairs].filter((key) => (strongPairs.get(key) ?? 0) >= 0.5).length;
  return { perAccount: linker.stats().comparisons / linker.size, recall: found / plantedPairs.size, falseLinks, links };
}

test("50k profiles: every link found in a bounded number of comparisons per account, flat as the crowd grows", () => {
  const small = run(12_500);
  const large = run(50_000);
  // All pairs would be 1.25 billion comparisons at 50k; blocking keeps it to a few per account.
  assert.ok(large.perAccount <= 8, `comparisons per account at 50k: ${large.perAccount}`);
  assert.ok(large.perAccount <= small.perAccount * 1.5, `per-account work grew from ${small.perAccount} to ${large.perAccount}`);
  assert.ok(large.recall >= 0.95, `planted backups found: ${large.recall}`);
  assert.ok(large.falseLinks <= large.links * 0.02, `${large.falseLinks} of ${large.links} links are not planted`);
});
