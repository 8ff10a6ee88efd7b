/**
 * Network detection benchmark (issue 8), three parts on the scenario generator's
 * synthetic platforms (src/scenario):
 *
 * 1. **Quality**: for each (accounts, seed), generate a scenario, ingest it into
 *    a fresh SQLite store, process every content event as the worker would,
 *    name the scenario's five seeds, rank, and score the ranking against the
 *    labels: precision at N (N = the network without its seeds), the teens,
 *    staff, shops, celebrities and reporters wrongly in the top N, beside the
 *    two-hop baseline. Also the recommender guard on the scenario's recorded
 *    suggestions: network accounts shown to teens and fresh accounts after the
 *    guard, and the share of benign candidates it removed.
 * 2. **Scale**: one large scenario (default 1M accounts, ~10M follows): ingest of
 *    its graph events and accounts (events/s), the first scoring (reading the
 *    feed, loading profiles, building, the walk, clusters, explanations) with
 *    its memory, guard latency percentiles for 300 candidates, and the graph
 *    detector against graphology and networkx on the same follow graph
 *    (bench/graph.ts).
 *
 *   node --import tsx bench/network.ts [--quick] [--quality 10000x1,10000x2,10000x3] [--no-quality]
 *        [--scale 1000000] [--no-scale] [--no-peers] [--peers-only] [--no-graphology] [--no-networkx] [--postgres]
 *        [--guard-detail]
 *
 * --quick: quality at 5,000 accounts for seeds 1-2, scale at 100,000 accounts.
 * --peers-only: at scale, only the graph detector against the peers (no ingest, no scoring).
 * --postgres also runs the scale ingest on the PostgreSQL named by LAPWING_TEST_POSTGRES_URL.
 * --guard-detail: per quality row and viewer group, the benign accounts the guard's network rules removed (by
 *   role, with the parts of their scores and their explanations) and the network accounts still shown.
 * Guard latency in a process that holds only the service: bench/guard-latency.ts.
 * --store DIR (SQLite only): keep the scale run's ingested store, its labels and recorded suggestions in DIR;
 *   a later run with the same DIR and --scale reuses them and skips generating and ingesting (the scoring
 *   figures only: no ingest rows, no peers). A 1M scenario takes 7 to 25 minutes to generate and ingest.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Kysely } from "kysely";
import { loadConfig } from "../src/config/index.js";
import { createEventProcessor, createEventRepository, parseEvent, type EventTables, type PlatformEvent } from "../src/events/index.js";
import { evaluateRanking, generateScenario, scenarioStandIns, twoHopBaseline, type Scenario, type ScenarioEvent, type ScenarioLabels } from "../src/scenario/index.js";
import { createServices, type Services } from "../src/services.js";
import { databaseId, migrateToLatest, openStore, type Store } from "../src/store/index.js";
import { createTestDatabase } from "../src/store/testing.js";
import { benchGraph, printGraphTable } from "./graph.js";

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const quick = flag("--quick") || process.env.LAPWING_BENCH_QUICK === "1";
const qualityRuns = (option("--quality") ?? (quick ? "5000x1,5000x2" : "10000x1,10000x2,10000x3,30000x4")).split(",").map((s) => s.split("x").map(Number) as [number, number]);
const scaleAccounts = Number(option("--scale") ?? (quick ? 100_000 : 1_000_000));
const graphOnly = new Set(["follow", "unfollow", "interaction"]);
const detail = flag("--guard-detail");

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function servicesFor(url: string): Promise<{ store: Store; services: Services }> {
  const store = await openStore(url);
  await migrateToLatest(store.db);
  const config = loadConfig({ env: {}, overrides: { databaseUrl: url, logLevel: "silent", defaultLexicon: false } });
  return { store, services: createServices(config, store, { databaseId: await databaseId(store.db) }) };
}

/** Quality on one scenario: ingest, process, seed, rank, evaluate; and the guard on the recorded suggestions. */
async function quality(accounts: number, seed: number): Promise<void> {
  const events: ScenarioEvent[] = [];
  const bank: string[] = [];
  const recs = new Map<string, readonly string[]>();
  const scenario = generateScenario({ accounts, seed }, { event: (e) => events.push(e), bankEntry: (b) => bank.push(b.pdq), recommendations: (v, c) => recs.set(v, c) });
  const database = await createTestDatabase("sqlite");
  const { store, services } = await servicesFor(database.url);
  try {
    await services.banks.createBank({ name: "scenario-known-media", matchVerdict: "block" });
    await services.banks.addEntries("scenario-known-media", bank.map((pdq) => ({ signalType: "pdq", signal: pdq, category: "csam" })));
    await services.lexicons.put("scenario-stand-ins", { entries: scenarioStandIns.map((t) => ({ ...t, source: "synthetic stand-in" })) }, ["post", "bio", "comment", "hashtag", "username", "display_name"]);
    await Promise.all(services.followers.map((f) => f.catchUp()));
    const parsed = events.map((e) => parseEvent(e));
    let started = performance.now();
    for (let i = 0; i < parsed.length; i += 2000) await services.events.acceptParsed(parsed.slice(i, i + 2000));
    const ingestSeconds = (performance.now() - started) / 1000;
    const processor = createEventProcessor({ repo: createEventRepository(store.db as Kysely<EventTables>), textCheck: services.textCheck, knownMedia: services.knownMedia, enforcer: services.enforcement });
    started = performance.now();
    for (const e of parsed) if (!graphOnly.has(e.type)) await processor.process(e.id);
    const processSeconds = (performance.now() - started) / 1000;
    await services.network.seed(scenario.labels.network.seeds, "scenario seed", "bench");
    started = performance.now();
    const snapshot = await services.network.refresh();
    const rankSeconds = (performance.now() - started) / 1000;
    const ours = evaluateRanking(scenario.labels, snapshot.ranked.map((r) => r.account));
    const twoHop = evaluateRanking(scenario.labels, twoHopBaseline(scenario.graph, scenario.labels.network.seeds).map((b) => b.account));
    const w = ours.wrongInTopN;
    console.log(
      `${String(accounts).padStart(7)} seed ${seed}  N ${String(ours.n).padStart(4)}  precision@N ${ours.precisionAtN.toFixed(3)}  two-hop ${twoHop.precisionAtN.toFixed(3)}  ` +
        `wrong in top N: teen ${w.teen}, staff ${w.staff}, shops ${w.benignSeller}, celebrity ${w.celebrity}, reporter ${w.reporter}  ` +
        `(ingest ${ingestSeconds.toFixed(1)} s, process ${processSeconds.toFixed(1)} s, rank ${rankSeconds.toFixed(1)} s)`,
    );
    guardOnRecordedSuggestions(services, snapshot, scenario, recs);
  } finally {
    await services.close();
    await store.close();
    await database.drop();
  }
}

/** --guard-detail: which benign accounts the network rules removed, by role, with the parts of their scores. */
function printRemovedBenign(snapshot: Awaited<ReturnType<Services["network"]["refresh"]>>, scenario: Scenario, removed: ReadonlyMap<string, { times: number; reasons: Set<string> }>): void {
  const byRole = new Map<string, { accounts: number; times: number }>();
  for (const [id, { times }] of removed) {
    const role = scenario.labels.accounts[id]?.role ?? "unknown";
    const r = byRole.get(role) ?? { accounts: 0, times: 0 };
    r.accounts += 1;
    r.times += times;
    byRole.set(role, r);
  }
  console.log(`            removed benign accounts by role: ${[...byRole].sort((a, b) => b[1].times - a[1].times).map(([role, r]) => `${role} ${r.accounts} (${r.times} removals)`).join(", ")}`);
  for (const [id, { times, reasons }] of [...removed].sort((a, b) => b[1].times - a[1].times).slice(0, 15)) {
    const d = snapshot.detail(id);
    const label = scenario.labels.accounts[id];
    console.log(
      `            ${id} ${label?.role} [${label?.flags.join(",")}] removed ${times}x (${[...reasons].join(",")}): score ${d?.score.toFixed(3)} graph ${d?.graphScore.toFixed(3)} content ${d?.contentScore.toFixed(3)} link ${d?.linkScore.toFixed(3)}; ${d?.explanation.join("; ")}`,
    );
  }
}

function guardOnRecordedSuggestions(services: Services, snapshot: Awaited<ReturnType<Services["network"]["refresh"]>>, scenario: Scenario, recs: ReadonlyMap<string, readonly string[]>): void {
  const members = new Set(scenario.labels.network.members);
  for (const group of ["teen", "fresh", "other"] as const) {
    let shownBefore = 0;
    let shownAfter = 0;
    let benign = 0;
    let viewers = 0;
    let viewersExposedAfter = 0;
    const benignRemoved = new Map<string, number>();
    const removedAccounts = new Map<string, { times: number; reasons: Set<string> }>();
    const missed = new Map<string, number>();
    for (const viewer of scenario.viewers[group]) {
      const candidates = recs.get(viewer);
      if (!candidates) continue;
      viewers += 1;
      const { kept, removed } = services.network.guard({ viewer, surface: "accounts", candidates }, snapshot);
      const keptSet = new Set(kept);
      let exposed = false;
      for (const c of candidates) {
        if (members.has(c)) {
          shownBefore += 1;
          if (keptSet.has(c)) {
            shownAfter += 1;
            exposed = true;
            if (detail) missed.set(c, (missed.get(c) ?? 0) + 1);
          }
        } else benign += 1;
      }
      for (const r of removed) {
        if (members.has(r.id)) continue;
        benignRemoved.set(r.reason, (benignRemoved.get(r.reason) ?? 0) + 1);
        if (detail && r.reason !== "minor-to-unconnected-adult") {
          const seen = removedAccounts.get(r.id) ?? { times: 0, reasons: new Set<string>() };
          seen.times += 1;
          seen.reasons.add(r.reason);
          removedAccounts.set(r.id, seen);
        }
      }
      if (exposed) viewersExposedAfter += 1;
    }
    const share = (n: number) => `${((100 * n) / Math.max(1, benign)).toFixed(2)}%`;
    const network = [...benignRemoved].filter(([reason]) => reason !== "minor-to-unconnected-adult").reduce((a, [, n]) => a + n, 0);
    const minor = benignRemoved.get("minor-to-unconnected-adult") ?? 0;
    console.log(
      `          guard, ${group.padEnd(5)} viewers ${String(viewers).padStart(5)}: network suggestions ${shownBefore} -> ${shownAfter} (${viewersExposedAfter} viewers still shown one); ` +
        `benign removed by the network rules ${network} of ${benign} (${share(network)}), by the minor rule ${minor} (${share(minor)})`,
    );
    if (detail) printRemovedBenign(snapshot, scenario, removedAccounts);
    if (detail) {
      for (const [id, times] of [...missed].sort((a, b) => b[1] - a[1])) {
        const d = snapshot.detail(id);
        const label = scenario.labels.accounts[id];
        console.log(`            kept network account ${id} ${label?.role} [${label?.flags.join(",")}] shown ${times}x: score ${d?.score.toFixed(3)} graph ${d?.graphScore.toFixed(3)} content ${d?.contentScore.toFixed(3)} link ${d?.linkScore.toFixed(3)}; ${d?.explanation.join("; ")}`);
      }
    }
  }
}

/** A scale run's ingested SQLite store kept on disk (`--store DIR`), with what the bench reads besides it. */
interface KeptStore {
  accounts: number;
  labels: ScenarioLabels;
  recs: [string, readonly string[]][];
}

/** Scale: ingest of a large scenario's graph events and accounts, first scoring, guard latency, and the peers. */
async function scale(accounts: number, dialects: ("sqlite" | "postgres")[]): Promise<void> {
  const keepIn = option("--store");
  const kept = keepIn && existsSync(join(keepIn, "kept.json")) ? (JSON.parse(readFileSync(join(keepIn, "kept.json"), "utf8")) as KeptStore) : undefined;
  if (kept && kept.accounts !== accounts) throw new Error(`${keepIn} holds a ${kept.accounts}-account store, not ${accounts}: name another --store`);
  if (kept) {
    console.log(`\nscale: ${accounts} accounts, the store kept in ${keepIn} (generation and ingest skipped; no peers)`);
    await scaleScoring("sqlite", { url: `sqlite:${join(keepIn!, "db.sqlite")}`, drop: async () => {} }, kept.labels, kept.recs);
    return;
  }
  const graphEvents: PlatformEvent[] = [];
  const accountEvents: PlatformEvent[] = [];
  const recs: [string, readonly string[]][] = [];
  let started = performance.now();
  const scenario = generateScenario({ accounts, seed: 1 }, {
    event: (e) => {
      if (graphOnly.has(e.type)) graphEvents.push(e as PlatformEvent);
      else if (e.type === "account.created" || e.type === "account.updated") accountEvents.push(e as PlatformEvent);
    },
    bankEntry: () => {},
    recommendations: (v, c) => void (recs.length < 20_000 && recs.push([v, c])),
  });
  console.log(`\nscale: ${accounts} accounts, ${graphEvents.length} graph events (${scenario.counts.follows} follows), ${accountEvents.length} account events; generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  for (const dialect of flag("--peers-only") ? [] : dialects) {
    const keep = keepIn !== undefined && dialect === "sqlite";
    if (keep) mkdirSync(keepIn, { recursive: true });
    const dir = keep ? keepIn : mkdtempSync(join(tmpdir(), "lapwing-bench-network-"));
    const database =
      dialect === "sqlite" ? { url: `sqlite:${join(dir, "db.sqlite")}`, drop: async () => void (keep || rmSync(dir, { recursive: true, force: true })) } : await createTestDatabase("postgres");
    const { store, services } = await servicesFor(database.url);
    try {
      started = performance.now();
      for (let i = 0; i < graphEvents.length; i += 5000) await services.events.acceptParsed(graphEvents.slice(i, i + 5000));
      const graphSeconds = (performance.now() - started) / 1000;
      started = performance.now();
      for (let i = 0; i < accountEvents.length; i += 5000) await services.events.acceptParsed(accountEvents.slice(i, i + 5000));
      const accountSeconds = (performance.now() - started) / 1000;
      console.log(
        `  ${dialect}: graph events ingested in ${graphSeconds.toFixed(1)} s (${Math.round(graphEvents.length / graphSeconds)} events/s); account events in ${accountSeconds.toFixed(1)} s (${Math.round(accountEvents.length / accountSeconds)} events/s) (load ${loadavg()})`,
      );
      await services.network.seed(scenario.labels.network.seeds, "scenario seed", "bench");
    } finally {
      await services.close();
      await store.close();
    }
    if (keep) writeFileSync(join(dir, "kept.json"), JSON.stringify({ accounts, labels: scenario.labels, recs } satisfies KeptStore));
    await scaleScoring(dialect, database, scenario.labels, recs);
  }
  if (!flag("--no-peers")) {
    const g = scenario.graph;
    console.log(`\n  the graph detector against graphology and networkx on the scenario's follow graph (${g.ids.length} nodes, ${g.length} follows):`);
    const result = benchGraph({ nodeCount: g.ids.length, sources: g.from.subarray(0, g.length), targets: g.to.subarray(0, g.length) }, { seedCount: 5, graphology: !flag("--no-graphology"), networkx: !flag("--no-networkx") });
    printGraphTable(result);
  }
}

/** Scoring on an ingested, seeded store: alone in a child process, then in the service's thread, then the guard. */
async function scaleScoring(dialect: string, database: { url: string; drop(): Promise<void> }, labels: ScenarioLabels, recs: [string, readonly string[]][]): Promise<void> {
  const { store, services } = await servicesFor(database.url);
  try {
    console.log(`  ${dialect}: load ${loadavg()} before scoring`);
    // Scoring alone in a child process: its memory apart from the scenario this process holds.
    const child = spawnSync(process.execPath, ["--import", "tsx", join(import.meta.dirname, "network-score.ts"), database.url, "--add", "1000"], { encoding: "utf8", maxBuffer: 1 << 24 });
    if (child.status !== 0) throw new Error(`bench/network-score.ts failed: ${child.stderr}`);
    type Run = { seconds: number; cpuSeconds: number; timings: object };
    const alone = JSON.parse(child.stdout.trim().split("\n").pop()!) as { first: Run; again: Run; incremental: Run & { added: number }; peakRssMiB: number; heapUsedMiB: number; afterFirst: object; pairs: number; nodes: number };
    console.log(`  ${dialect}: scoring alone in a child process (load ${loadavg()}): first ${alone.first.seconds} s (${alone.first.cpuSeconds} CPU s) ${JSON.stringify(alone.first.timings)}`);
    console.log(`      again with nothing new ${alone.again.seconds} s (${alone.again.cpuSeconds} CPU s) ${JSON.stringify(alone.again.timings)}`);
    console.log(`      after ${alone.incremental.added} new follows ${alone.incremental.seconds} s (${alone.incremental.cpuSeconds} CPU s) ${JSON.stringify(alone.incremental.timings)}`);
    console.log(`      ${alone.nodes} nodes, ${alone.pairs} pairs; peak RSS ${alone.peakRssMiB} MiB, V8 heap ${alone.heapUsedMiB} MiB, after the first run ${JSON.stringify(alone.afterFirst)}`);
    // The serving path: scoring in the service's thread while this thread keeps a 10 ms timer and guard checks going.
    const started = performance.now();
    let previous: Awaited<ReturnType<Services["network"]["refresh"]>> | undefined;
    const loop = watchEventLoop(() => previous && services.network.guard({ viewer: recs[0]![0], surface: "accounts", candidates: recs[0]![1] }, previous));
    previous = await services.network.refresh();
    // Scored again (a seed or a review changed): the guard answers from the previous snapshot meanwhile.
    const snapshot = await services.network.refresh({ force: true });
    const scoreSeconds = (performance.now() - started) / 1000;
    const ticks = loop.stop();
    console.log(
      `  ${dialect}: scoring in the service's thread ${scoreSeconds.toFixed(1)} s (this includes the first scoring: ${JSON.stringify(snapshot.timings)}); ` +
        `meanwhile this thread ran ${ticks.ticks} timer ticks of 10 ms and ${ticks.calls} guard checks, the longest gap between ticks ${ticks.longestGapMs.toFixed(0)} ms (load ${loadavg()})`,
    );
    const ours = evaluateRanking(labels, snapshot.ranked.map((r) => r.account));
    console.log(`  ${dialect}: graph and links only (no content processed at this size): precision@N ${ours.precisionAtN.toFixed(3)} (N ${ours.n})`);
    if (dialect === "sqlite") guardLatency(services, snapshot, recs);
  } finally {
    await services.close();
    await store.close();
    await database.drop();
  }
}

/** Counts what this thread still does while it awaits: a 10 ms timer and a guard check on each tick. */
function watchEventLoop(onTick: () => unknown): { stop(): { ticks: number; calls: number; longestGapMs: number } } {
  let ticks = 0;
  let calls = 0;
  let last = performance.now();
  let longestGapMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longestGapMs = Math.max(longestGapMs, now - last);
    last = now;
    ticks += 1;
    if (onTick()) calls += 1;
  }, 10);
  return {
    stop() {
      clearInterval(timer);
      return { ticks, calls, longestGapMs };
    },
  };
}

function loadavg(): string {
  return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
}

function guardLatency(services: Services, snapshot: Awaited<ReturnType<Services["network"]["refresh"]>>, recs: [string, readonly string[]][]): void {
  const pool = recs.flatMap(([, c]) => c);
  const rounds = 5000;
  const times = new Float64Array(rounds);
  // Warm up (JIT), then measure.
  for (let r = 0; r < 500; r++) services.network.guard({ viewer: recs[r % recs.length]![0], surface: "accounts", candidates: pool.slice(r, r + 300) }, snapshot);
  for (let r = 0; r < rounds; r++) {
    const viewer = recs[r % recs.length]![0];
    const candidates = Array.from({ length: 300 }, (_, i) => pool[(r * 300 + i * 7919) % pool.length]!);
    const t = performance.now();
    services.network.guard({ viewer, surface: "accounts", candidates }, snapshot);
    times[r] = performance.now() - t;
  }
  times.sort();
  console.log(`  guard, 300 candidates, ${rounds} requests in-process: p50 ${percentile(times, 50).toFixed(3)} ms, p99 ${percentile(times, 99).toFixed(3)} ms, max ${times[rounds - 1]!.toFixed(3)} ms`);
}

console.log("quality on generated scenarios (seeds named from the labels; content processed as the worker would):");
if (!flag("--no-quality")) for (const [accounts, seed] of qualityRuns) await quality(accounts, seed);
if (!flag("--no-scale")) await scale(scaleAccounts, flag("--postgres") ? ["sqlite", "postgres"] : ["sqlite"]);
