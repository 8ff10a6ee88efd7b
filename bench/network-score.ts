/**
 * Network scoring alone in a process of its own, so its memory is measured
 * apart from the scenario the bench holds (bench/network.ts runs it after
 * ingest):
 *
 *   node --import tsx bench/network-score.ts DATABASE_URL [--add 1000]
 *
 * Scores the database's graph from scratch (the first scoring: reading the
 * feed, loading profiles and evidence, folding, the walk), scores again with
 * nothing new (the re-scoring a changed seed or review costs), then records
 * `--add` new follows among existing accounts and scores once more (only those
 * are read and folded). Prints one JSON line: seconds and stages of each run,
 * peak RSS and the V8 heap.
 */
import { getHeapStatistics } from "node:v8";
import type { Kysely } from "kysely";
import { createScoringEngine } from "../src/network/engine.js";
import { isContentKey } from "../src/network/model.js";
import { createNetworkRepository } from "../src/network/repository.js";
import { defaultNetworkSettings, modelSettingsOf } from "../src/network/service.js";
import type { NetworkTables } from "../src/network/tables.js";
import { migrateToLatest, openStore } from "../src/store/index.js";

const [url, ...rest] = process.argv.slice(2);
if (!url) throw new Error("usage: bench/network-score.ts DATABASE_URL [--add N]");
const addIndex = rest.indexOf("--add");
const add = addIndex >= 0 ? Number(rest[addIndex + 1]) : 1000;
const mib = (bytes: number) => Math.round(bytes / 2 ** 20);

const store = await openStore(url, { create: false });
// A store kept by an earlier build (bench/network.ts --store) is brought up to this build's schema first.
await migrateToLatest(store.db);
const repo = createNetworkRepository(store.db as Kysely<NetworkTables>, store.native);
const engine = createScoringEngine(repo, defaultNetworkSettings.halfLifeDays, { sendKeys: false });
const settings = modelSettingsOf(defaultNetworkSettings);
const now = new Date().toISOString();

async function timed(force: boolean) {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const reply = await engine.run({ force, now, settings });
  const used = process.cpuUsage(cpu);
  return {
    seconds: Math.round(performance.now() - started) / 1000,
    // CPU seconds of this process: on a shared, overloaded machine they say more than the wall clock.
    cpuSeconds: Math.round((used.user + used.system) / 1000) / 1000,
    timings: reply.kind === "scored" ? reply.data.timings : { readFeed: reply.readFeed },
    // The process's peak so far: which run raised it.
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

const first = await timed(true);
const afterFirst = { rssMiB: mib(process.memoryUsage().rss), heapUsedMiB: mib(getHeapStatistics().used_heap_size) };
const again = await timed(true);
// A few new follows among accounts the graph knows, through the same insert the ingest uses.
const ids = engine.model.ids;
const stamp = new Date().toISOString();
const accounts: string[] = [];
for (let v = 0; accounts.length < 2 * add && v < ids.size; v += 37) if (!isContentKey(ids.key(v))) accounts.push(ids.key(v));
await repo.transaction((trx) =>
  repo.insertEdges(
    trx,
    Array.from({ length: add }, (_, i) => ({ event_id: `bench-added-${Date.now()}-${i}`, kind: "follow", src: accounts[i % accounts.length]!, dst: accounts[(i * 7 + 1) % accounts.length]!, occurred_at: stamp })),
  ),
);
const incremental = await timed(false);
console.log(
  JSON.stringify({
    first,
    again,
    incremental: { added: add, ...incremental },
    pairs: engine.model.ties.pairs,
    edges: engine.model.ties.edges,
    nodes: ids.size,
    afterFirst,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    heapUsedMiB: mib(getHeapStatistics().used_heap_size),
    arrayBuffersMiB: mib(process.memoryUsage().arrayBuffers),
  }),
);
await store.close();
