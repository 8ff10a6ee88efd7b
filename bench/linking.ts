/**
 * Ban-evasion linker benchmark (issue 8): profiles upserted per second, links found per second,
 * pairs examined per account, memory, and how many planted backups are found, at each size.
 *
 *   node --import tsx bench/linking.ts [--sizes 100000,1000000] [--seed N] [--json out.json]
 *
 * Profiles come from test/support/linking-profiles.ts: half the accounts have one of eight
 * generic bios, 30% the default avatar, follows are power-law over 200 celebrities, and 1% have
 * a planted backup (a "bkp 4 @x"-style bio, an affixed handle, the same avatar, most of the same
 * follows, and half the time the same messenger handle). Generation is not timed.
 */
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { EvasionLinker, type LinkKind } from "../src/linking/index.js";
import { streamProfiles } from "../test/support/linking-profiles.js";

export interface LinkingBenchRow {
  accounts: number;
  upsertSeconds: number;
  profilesPerSecond: number;
  linkSeconds: number;
  links: number;
  linksPerSecond: number;
  linksByKind: Partial<Record<LinkKind, number>>;
  comparisonsPerAccount: number;
  heapMiB: number;
  planted: number;
  /** Planted (main, backup) pairs whose combined strength is at least 0.5. */
  plantedFound: number;
  /** Links between pairs that were not planted. */
  otherLinks: number;
}

const CHUNK = 10_000;

/** Runs one size and returns its figures; prints nothing. */
export function benchLinking(accounts: number, seed: number): LinkingBenchRow {
  const linker = new EvasionLinker();
  const stream = streamProfiles({ accounts, seed });
  let upsertMs = 0;
  for (;;) {
    // Generate a chunk untimed, then time its upserts.
    const chunk = [];
    for (let r = stream.next(); !r.done; r = stream.next()) {
      chunk.push(r.value);
      if (chunk.length === CHUNK) break;
    }
    if (chunk.length === 0) break;
    const started = performance.now();
    for (const profile of chunk) linker.upsert(profile);
    upsertMs += performance.now() - started;
  }
  globalThis.gc?.();
  const heapMiB = process.memoryUsage().heapUsed / 2 ** 20;

  const started = performance.now();
  const byKind: Partial<Record<LinkKind, number>> = {};
  const pairStrength = new Map<string, number>();
  let links = 0;
  let otherLinks = 0;
  for (const link of linker.allLinks()) {
    links++;
    byKind[link.kind] = (byKind[link.kind] ?? 0) + 1;
    const [a, b] = [link.from, link.to].sort();
    if (b !== `${a}-bkp`) {
      otherLinks++;
      continue;
    }
    pairStrength.set(b, 1 - (1 - (pairStrength.get(b) ?? 0)) * (1 - link.strength));
  }
  const linkMs = performance.now() - started;
  let planted = 0;
  for (let doc = 0; doc < accounts; doc++) if (linker.has(`acct-${doc}-bkp`)) planted++;
  const plantedFound = [...pairStrength.values()].filter((s) => s >= 0.5).length;
  return {
    accounts: linker.size,
    upsertSeconds: upsertMs / 1000,
    profilesPerSecond: linker.size / (upsertMs / 1000),
    linkSeconds: linkMs / 1000,
    links,
    linksPerSecond: links / (linkMs / 1000),
    linksByKind: byKind,
    comparisonsPerAccount: linker.stats().comparisons / linker.size,
    heapMiB,
    planted,
    plantedFound,
    otherLinks,
  };
}

export function formatLinkingRow(r: LinkingBenchRow): string {
  const kinds = Object.entries(r.linksByKind).map(([k, n]) => `${k} ${n}`).join(", ");
  return [
    `${r.accounts} profiles: upsert ${r.upsertSeconds.toFixed(1)} s (${Math.round(r.profilesPerSecond)} profiles/s), heap ${Math.round(r.heapMiB)} MiB`,
    `  allLinks ${r.linkSeconds.toFixed(1)} s: ${r.links} links (${Math.round(r.linksPerSecond)} links/s; ${Math.round(r.accounts / r.linkSeconds)} accounts/s), ${r.comparisonsPerAccount.toFixed(2)} pairs examined per account`,
    `  by kind: ${kinds}`,
    `  planted backups found (pair strength >= 0.5): ${r.plantedFound} of ${r.planted}; links between pairs not planted: ${r.otherLinks}`,
  ].join("\n");
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const sizes = (arg("sizes") ?? "100000,1000000").split(",").map(Number);
  const seed = Number(arg("seed") ?? 1);
  const rows: LinkingBenchRow[] = [];
  for (const size of sizes) {
    const row = benchLinking(size, seed);
    rows.push(row);
    console.log(formatLinkingRow(row));
  }
  const json = arg("json");
  if (json !== undefined) writeFileSync(json, JSON.stringify(rows, null, 2));
}
