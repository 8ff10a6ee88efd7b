/**
 * End-to-end event benchmark: events ingested over HTTP and processed into
 * signals, decisions, cases and actions by real `lapwing serve` processes.
 *
 *   node --import tsx bench/ingest.ts [--events 20000] [--batch 500] [--senders 2]
 *     [--only sqlite|postgres] [--no-raw] [--no-analyze]
 *     [--paced-rate 250] [--paced-events 5000] [--paced-batch 50] [--json out.json]
 *
 * Two set-ups, each on a fresh database:
 * - SQLite: one `lapwing serve` process (HTTP API + `events` worker), file in a temp folder.
 * - PostgreSQL: a throwaway database on the local server (LAPWING_TEST_POSTGRES_URL, as the
 *   tests use) and two `lapwing serve` processes on it, both running the worker; sender i
 *   posts to server i mod 2, so each server takes half of the batches. PostgreSQL runs twice:
 *   on the fresh database as it is, and again (fresh) with `analyze jobs` run once by the bench
 *   when the first batch is acknowledged. A new database has no planner statistics for `jobs`
 *   until autovacuum's first analyze (up to a minute or more), and without them the claim query
 *   sorts every due job on each claim; the second run stands for a database that has been up
 *   for a while (`--no-analyze` skips it). See bench/README.md.
 *
 * Before serving, the `lapwing` command (as an operator would) creates an API key, stores a
 * lexicon of one invented stand-in term ("vornaxle", severity block) and a hash bank of 1,000
 * random synthetic PDQ hashes (verdict hold, category "synthetic"). Events come from a seeded
 * generator: 2,000 accounts; 6% account.created, 4% account.updated, 35% post.created, 20%
 * comment.created, 15% follow, 20% interaction (like). 8% of posts carry the stand-in term
 * (a `content.hold` action each, under the built-in default policies); 15% of posts carry a
 * precomputed synthetic PDQ hash, 5% of those within 6 bits of a bank entry (another hold).
 * Batches of `--batch` events, pre-serialised, are posted by `--senders` concurrent senders
 * (each takes the next batch when its previous one is acknowledged).
 *
 * Those runs send as fast as the senders can, so the work piles up in the queue and the
 * event→action times measure mostly the wait behind that backlog. Then each dialect runs once
 * more (fresh database; PostgreSQL without the `analyze`) on another `--paced-events` events
 * sent at `--paced-rate` events/s in batches of `--paced-batch` (a batch every 200 ms by
 * default), a rate both keep up with: those rows give the event→action time of a system that
 * is not behind (`--paced-rate 0` skips them).
 *
 * Figures:
 * - ingest: accepted events / (last 202 received − first request sent), client clock.
 * - end to end: events / (last `processed_at` in the events table − first request sent). The
 *   bench polls the jobs table (`queue='events' and state in ('ready','running')`) directly
 *   until it is empty, then reads the last `processed_at`. Same machine, same clock.
 * - event→action (server): from the actions table, `created_at − event_received_at` of every
 *   automated action (the time from the HTTP handler accepting the batch to the worker writing
 *   the action, both stamped by the serving processes).
 * - event→action (client): one poller calls `GET /v1/actions?after=<cursor>&limit=1000` on the
 *   first server in a loop (next call 20 ms after an answer with fewer than 1,000 actions, at
 *   once after a full page). For each `content.hold` action, the time the answer that first
 *   held it arrived, minus the time the 202 of the batch holding its event arrived. It includes
 *   the poller's gap (≤ 20 ms plus one request), so it is an upper bound of what a platform
 *   polling that often would see; an action seen before its batch's 202 arrived counts as 0.
 * - raw insert (reference, `--no-raw` skips it): the same events as plain rows into the
 *   `events` table of another fresh database of the same kind, in transactions of `--batch`
 *   rows from `--senders` concurrent writers in this process: no HTTP, validation, jobs or
 *   processing. The ratio (raw / end to end) is how many times faster the bare write is than
 *   the whole path: the cost of the HTTP, validation, queue and processing around it.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import SqliteDatabase from "better-sqlite3";
import { sql, type Kysely, type RawBuilder } from "kysely";
import pg from "pg";
import { seededRandom } from "../src/random/index.js";
import { migrateToLatest, openStore, type DialectName, type Store } from "../src/store/index.js";
import { createTestDatabase, postgresUnavailable, type TestDatabase } from "../src/store/testing.js";
import { startServeProcess } from "../test/support/cli.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const standInTerm = "vornaxle";
const bankSize = 1000;
const actionPollGapMs = 20;

// ---------------------------------------------------------------- events

interface Generated {
  events: Record<string, unknown>[];
  /** Content id (post) → event id, for mapping content actions back to their event. */
  eventOfContent: Map<string, string>;
  expectedHolds: number;
  counts: Record<string, number>;
  bank: string[];
}

const WORDS =
  "the a today garden kettle teapot glaze river morning coffee walk bike train music band concert film book chapter recipe bread soup rain sun cloud friend family weekend holiday photo painting yarn knit sew lamp window street market cheese apple harvest puppy kitten park beach hike trail city bridge".split(
    " ",
  );

function hex(rng: () => number, digits: number): string {
  let out = "";
  for (let i = 0; i < digits; i++) out += Math.floor(rng() * 16).toString(16);
  return out;
}

/** `hash` with `bits` distinct random bits flipped. */
function flipBits(rng: () => number, hash: string, bits: number): string {
  const nibbles = hash.split("").map((c) => parseInt(c, 16));
  const chosen = new Set<number>();
  while (chosen.size < bits) chosen.add(Math.floor(rng() * 256));
  for (const bit of chosen) nibbles[bit >> 2]! ^= 1 << (bit & 3);
  return nibbles.map((n) => n.toString(16)).join("");
}

export function generateEvents(count: number, seed = 7): Generated {
  const rng = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
  const sentence = (min: number, max: number) => {
    const n = min + Math.floor(rng() * (max - min + 1));
    return Array.from({ length: n }, () => pick(WORDS)).join(" ");
  };
  const accounts = Array.from({ length: 2000 }, (_, i) => `acct-${i}`);
  const bank = Array.from({ length: bankSize }, () => hex(rng, 64));
  const posts: string[] = [];
  const events: Record<string, unknown>[] = [];
  const eventOfContent = new Map<string, string>();
  const counts: Record<string, number> = {};
  let expectedHolds = 0;
  const start = Date.parse("2026-11-01T00:00:00Z");
  for (let i = 0; i < count; i++) {
    const id = `evt-${i}`;
    const occurred_at = new Date(start + i * 1000).toISOString();
    let r = rng();
    // Comments and likes need a post to point at: until the first post, make one.
    if (posts.length === 0 && r >= 0.45) r = 0.2;
    let event: Record<string, unknown>;
    let label: string;
    if (r < 0.06) {
      const account = pick(accounts);
      const band = rng() < 0.2 ? { age_band: { value: pick(["13_15", "16_17", "18_plus", "unknown"] as const), source: "declared" } } : {};
      event = { id, type: "account.created", occurred_at, account: { id: account, handle: `user_${account.slice(5)}`, display_name: sentence(1, 2), bio: sentence(3, 12), ...band } };
      label = "account.created";
    } else if (r < 0.1) {
      event = { id, type: "account.updated", occurred_at, account: { id: pick(accounts), bio: sentence(3, 12) } };
      label = "account.updated";
    } else if (r < 0.45) {
      const postId = `post-${i}`;
      const post: Record<string, unknown> = { id: postId, author_id: pick(accounts), text: sentence(5, 30) };
      label = "post.created (clean)";
      if (rng() < 0.08) {
        post.text = `${sentence(2, 10)} ${standInTerm} ${sentence(2, 10)}`;
        label = "post.created (stand-in term)";
        expectedHolds++;
      } else if (rng() < 0.15) {
        const matching = rng() < 0.05;
        const pdq = matching ? flipBits(rng, pick(bank), 1 + Math.floor(rng() * 6)) : hex(rng, 64);
        post.media = [{ kind: "hashes", id: `media-${i}`, pdq, quality: 90 }];
        label = matching ? "post.created (PDQ, bank match)" : "post.created (PDQ, no match)";
        if (matching) expectedHolds++;
      }
      if (rng() < 0.3) post.hashtags = [`#${pick(WORDS)}`];
      event = { id, type: "post.created", occurred_at, post };
      posts.push(postId);
      eventOfContent.set(postId, id);
    } else if (r < 0.65) {
      event = { id, type: "comment.created", occurred_at, comment: { id: `cmt-${i}`, post_id: pick(posts), author_id: pick(accounts), text: sentence(2, 15) } };
      label = "comment.created";
    } else if (r < 0.8) {
      event = { id, type: "follow", occurred_at, follower_id: pick(accounts), followee_id: pick(accounts) };
      label = "follow";
    } else {
      event = { id, type: "interaction", occurred_at, kind: "like", actor_id: pick(accounts), target_post_id: pick(posts) };
      label = "interaction (like)";
    }
    counts[label] = (counts[label] ?? 0) + 1;
    events.push(event);
  }
  return { events, eventOfContent, expectedHolds, counts, bank };
}

// ---------------------------------------------------------------- processes

function runLapwing(databaseUrl: string, args: string[]): string {
  const result = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "--database", databaseUrl, ...args], {
    cwd: root,
    env: { ...process.env, LAPWING_LOG_LEVEL: "warn", LAPWING_INDEX_SNAPSHOT_PATH: "off" },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`lapwing ${args.join(" ")} failed (${result.status}):\n${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** Operator set-up through the real command: an API key, the stand-in lexicon, the synthetic bank. */
function setUpOperator(databaseUrl: string, dir: string, bank: readonly string[]): { secret: string } {
  const key = JSON.parse(runLapwing(databaseUrl, ["keys", "create", "--name", "bench", "--scope", "ingest,admin", "--json"])) as { secret: string };
  const lexiconFile = join(dir, "lexicon.json");
  writeFileSync(lexiconFile, JSON.stringify({ entries: [{ term: standInTerm, category: "stand-in", severity: "block", source: "synthetic", note: "invented word for the benchmark" }] }));
  runLapwing(databaseUrl, ["lexicon", "import", "bench-stand-in", lexiconFile]);
  runLapwing(databaseUrl, ["bank", "create", "bench-synthetic", "--verdict", "hold", "--description", "random synthetic hashes"]);
  const bankFile = join(dir, "bank.csv");
  writeFileSync(bankFile, ["signal_type,signal,bank,category,note", ...bank.map((h) => `pdq,${h},bench-synthetic,synthetic,`)].join("\n") + "\n");
  runLapwing(databaseUrl, ["bank", "import", bankFile, "--no-create"]);
  return key;
}

type Server = Awaited<ReturnType<typeof startServeProcess>>;

function startServe(databaseUrl: string): Promise<Server> {
  return startServeProcess(databaseUrl, {}, { startTimeoutMs: 60_000, onLog: (text) => process.stderr.write(`  [serve] ${text}`) });
}

// ---------------------------------------------------------------- measuring

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface IngestBenchRow {
  setup: string;
  events: number;
  ingestPerSecond: number;
  endToEndPerSecond: number;
  drainSeconds: number;
  batchAckP50Ms: number;
  batchAckP99Ms: number;
  actions: number;
  serverP50Ms: number;
  serverP99Ms: number;
  clientP50Ms: number;
  clientP99Ms: number;
  clientMeasured: number;
  rawInsertPerSecond?: number;
  decisions: number;
  cases: number;
  deadJobs: number;
  loadStart: string;
  loadEnd: string;
}

async function scalar(store: Store, query: RawBuilder<{ n: number | string | null }>): Promise<number> {
  const result = await query.execute(store.db);
  return Number(result.rows[0]?.n ?? 0);
}

interface Database {
  url: string;
  dialect: DialectName;
  drop(): Promise<void>;
}

async function freshDatabase(dialect: DialectName): Promise<Database> {
  if (dialect === "postgres") {
    const database: TestDatabase = await createTestDatabase("postgres");
    return database;
  }
  const dir = mkdtempSync(join(tmpdir(), "lapwing-bench-"));
  return { url: `sqlite:${join(dir, "bench.sqlite")}`, dialect, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Waits (up to 3 minutes) for the 1-minute load average to drop below 1.5, so
 * a set-up does not start on the tail of the previous one or beside someone
 * else's tests; returns the load it starts at (printed, and kept in --json).
 */
async function quietMachine(): Promise<number> {
  const deadline = Date.now() + Number(flag("--quiet-wait-s") ?? 180) * 1000;
  let load = loadavg()[0]!;
  while (load >= 1.5 && Date.now() < deadline) {
    console.log(`  (load average ${load.toFixed(2)}: waiting for a quieter machine)`);
    await sleep(15_000);
    load = loadavg()[0]!;
  }
  return load;
}

async function runSetup(
  dialect: DialectName,
  serverCount: number,
  data: Generated,
  options: { batch: number; senders: number; raw: boolean; analyze?: boolean; rate?: number },
): Promise<IngestBenchRow> {
  let label = dialect === "sqlite" ? "SQLite, 1 process" : `PostgreSQL, ${serverCount} processes${options.analyze ? ", `analyze jobs` after the first batch" : ", fresh database"}`;
  if (options.rate) label += `, paced at ${options.rate} ev/s in batches of ${options.batch}`;
  await quietMachine();
  const loadStart = loadNow();
  console.log(`\n${label}: ${data.events.length} events, batches of ${options.batch}, ${options.senders} senders (load ${loadStart})`);
  const database = await freshDatabase(dialect);
  const dir = mkdtempSync(join(tmpdir(), "lapwing-bench-files-"));
  const servers: Server[] = [];
  let store: Store | undefined;
  try {
    const key = setUpOperator(database.url, dir, data.bank);

    for (let i = 0; i < serverCount; i++) servers.push(await startServe(database.url));
    store = await openStore(database.url);
    const auth = { authorization: `Bearer ${key.secret}` };

    const bodies: string[] = [];
    const batchOf: number[] = [];
    for (let start = 0; start < data.events.length; start += options.batch) {
      const slice = data.events.slice(start, start + options.batch);
      bodies.push(JSON.stringify({ events: slice }));
      for (let j = 0; j < slice.length; j++) batchOf.push(bodies.length - 1);
    }

    // The action poller (client-side latency), started before the first event.
    const seenAt = new Map<string, number>();
    let polling = true;
    let cursor = 0;
    const poller = (async () => {
      while (polling) {
        const response = await fetch(`${servers[0]!.url}/v1/actions?after=${cursor}&limit=1000`, { headers: auth });
        const arrived = performance.now();
        if (!response.ok) throw new Error(`GET /v1/actions: ${response.status} ${await response.text()}`);
        const page = (await response.json()) as { actions: { kind: string; target: { id: string } }[]; next: number };
        for (const action of page.actions) {
          if (action.kind === "content.hold" && !seenAt.has(action.target.id)) seenAt.set(action.target.id, arrived);
        }
        cursor = page.next;
        if (page.actions.length < 1000) await sleep(actionPollGapMs);
      }
    })();

    let analyzed: Promise<unknown> = Promise.resolve();
    const ackAt: number[] = new Array(bodies.length);
    const ackMs: number[] = [];
    let accepted = 0;
    let next = 0;
    const t0 = performance.now();
    const wallT0 = performance.timeOrigin + t0;
    await Promise.all(
      Array.from({ length: options.senders }, async (_, sender) => {
        const server = servers[sender % servers.length]!;
        for (;;) {
          const index = next++;
          if (index >= bodies.length) return;
          if (options.rate) {
            const due = t0 + ((index * options.batch) / options.rate) * 1000;
            const wait = due - performance.now();
            if (wait > 0) await sleep(wait);
          }
          const sent = performance.now();
          const response = await fetch(`${server.url}/v1/events`, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: bodies[index] });
          const text = await response.text();
          if (response.status !== 202) throw new Error(`POST /v1/events: ${response.status} ${text.slice(0, 500)}`);
          ackAt[index] = performance.now();
          // What autovacuum does on a running system: planner statistics for the filled jobs table.
          if (index === 0 && options.analyze) analyzed = sql`analyze jobs`.execute(store!.db);
          ackMs.push(ackAt[index]! - sent);
          if (process.env.BENCH_DEBUG) console.log(`  batch ${index} -> ${server.url}: ${Math.round(ackAt[index]! - sent)} ms`);
          accepted += (JSON.parse(text) as { accepted: number }).accepted;
        }
      }),
    );
    const ingestEnd = performance.now();
    await analyzed;
    if (accepted !== data.events.length) throw new Error(`accepted ${accepted} of ${data.events.length} events`);

    // Until the events queue is empty.
    for (;;) {
      const open = await scalar(store, sql<{ n: number }>`select count(*) as n from jobs where queue = 'events' and state in ('ready', 'running')`);
      if (open === 0) break;
      await sleep(100);
    }
    const drained = performance.now();
    const unprocessed = await scalar(store, sql<{ n: number }>`select count(*) as n from events where processed_at is null`);
    if (unprocessed !== 0) throw new Error(`${unprocessed} events unprocessed with the queue empty`);
    const lastProcessed = await sql<{ last: string }>`select max(processed_at) as last from events`.execute(store.db);
    const endToEndMs = Date.parse(lastProcessed.rows[0]!.last) - wallT0;

    const actions = await sql<{ kind: string; event_received_at: string; created_at: string; target_id: string }>`
      select kind, event_received_at, created_at, target_id from actions where decision_id is not null`.execute(store.db);
    const holds = actions.rows.filter((a) => a.kind === "content.hold").length;
    // Let the poller see every action, then stop it.
    const deadline = Date.now() + 30_000;
    while (seenAt.size < holds && Date.now() < deadline) await sleep(50);
    polling = false;
    await poller;

    const server = actions.rows.map((a) => Date.parse(a.created_at) - Date.parse(a.event_received_at)).sort((a, b) => a - b);
    const client: number[] = [];
    for (const [content, at] of seenAt) {
      const eventId = data.eventOfContent.get(content);
      if (eventId === undefined) continue;
      const batch = batchOf[Number(eventId.slice(4))]!;
      client.push(Math.max(0, at - ackAt[batch]!));
    }
    client.sort((a, b) => a - b);
    ackMs.sort((a, b) => a - b);
    const decisions = await scalar(store, sql<{ n: number }>`select count(*) as n from decisions`);
    const cases = await scalar(store, sql<{ n: number }>`select count(*) as n from cases`);
    const deadJobs = await scalar(store, sql<{ n: number }>`select count(*) as n from jobs where state = 'dead'`);
    if (holds !== data.expectedHolds) console.log(`  note: ${holds} content.hold actions, expected ${data.expectedHolds}`);

    const row: IngestBenchRow = {
      setup: label,
      events: data.events.length,
      ingestPerSecond: data.events.length / ((ingestEnd - t0) / 1000),
      endToEndPerSecond: data.events.length / (endToEndMs / 1000),
      drainSeconds: (drained - ingestEnd) / 1000,
      batchAckP50Ms: percentile(ackMs, 50),
      batchAckP99Ms: percentile(ackMs, 99),
      actions: actions.rows.length,
      serverP50Ms: percentile(server, 50),
      serverP99Ms: percentile(server, 99),
      clientP50Ms: percentile(client, 50),
      clientP99Ms: percentile(client, 99),
      clientMeasured: client.length,
      decisions,
      cases,
      deadJobs,
      loadStart,
      loadEnd: loadNow(),
    };
    console.log(
      `  ingest ${fmt(row.ingestPerSecond)} ev/s in ${((ingestEnd - t0) / 1000).toFixed(1)} s; end to end ${fmt(row.endToEndPerSecond)} ev/s in ${(endToEndMs / 1000).toFixed(1)} s; ` +
        `${row.actions} actions, ${decisions} decisions, ${cases} cases, ${deadJobs} dead jobs`,
    );
    for (const s of servers) await s.stop();
    servers.length = 0;
    await store.close();
    store = undefined;
    if (options.raw) row.rawInsertPerSecond = await rawInsert(dialect, data, options);
    return row;
  } finally {
    for (const s of servers) await s.stop();
    await store?.close();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The subject and actor columns, as the event service fills them (for the raw rows). */
function parties(e: Record<string, any>): [string | null, string | null] {
  switch (e.type) {
    case "account.created":
    case "account.updated":
      return [e.account.id, e.account.id];
    case "post.created":
      return [e.post.id, e.post.author_id];
    case "comment.created":
      return [e.comment.id, e.comment.author_id];
    case "follow":
      return [e.followee_id, e.follower_id];
    case "interaction":
      return [e.target_post_id ?? e.target_account_id ?? null, e.actor_id];
    default:
      return [null, null];
  }
}

/** Plain inserts of the same events into the `events` table of another fresh database: the reference rate. */
async function rawInsert(dialect: DialectName, data: Generated, options: { batch: number; senders: number }): Promise<number> {
  const database = await freshDatabase(dialect);
  const store = await openStore(database.url);
  try {
    await migrateToLatest(store.db);
    const db = store.db as unknown as Kysely<{ events: Record<string, string | null> }>;
    const batches: Record<string, string | null>[][] = [];
    for (let start = 0; start < data.events.length; start += options.batch) {
      batches.push(
        data.events.slice(start, start + options.batch).map((e) => {
          const [subject, actor] = parties(e);
          return { id: e.id as string, type: e.type as string, platform_id: "", subject_id: subject, actor_id: actor, occurred_at: e.occurred_at as string, received_at: "", payload: "", processed_at: null, signals: null };
        }),
      );
    }
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: options.senders }, async () => {
        for (;;) {
          const index = next++;
          if (index >= batches.length) return;
          const receivedAt = new Date().toISOString();
          // Serialised here, as the event service does, so the JSON cost is in the figure.
          const rows = batches[index]!.map((row, j) => ({ ...row, received_at: receivedAt, payload: JSON.stringify(data.events[index * options.batch + j]) }));
          await db.transaction().execute(async (trx) => {
            await trx.insertInto("events").values(rows).execute();
          });
        }
      }),
    );
    const rate = data.events.length / ((performance.now() - t0) / 1000);
    console.log(`  raw insert (reference): ${fmt(rate)} ev/s`);
    return rate;
  } finally {
    await store.close();
    await database.drop();
  }
}

// ---------------------------------------------------------------- CLI path against bare inserts

/** The 1-, 5- and 15-minute load averages, as /proc/loadavg gives them. */
function loadNow(): string {
  try {
    return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  } catch {
    return loadavg()
      .map((l) => l.toFixed(2))
      .join(" ");
  }
}

export interface CliBenchRow {
  setup: string;
  events: number;
  /** `events send`: first to last stored batch, from the `received_at` stamps, plus one batch's share. */
  sendSeconds: number;
  /** `worker --until-idle`: from the worker(s) saying they run to the last `processed_at`. */
  workSeconds: number;
  /** Both processes' wall time, start-up (tsx, loading services, the index) included. */
  wallSeconds: number;
  endToEndPerSecond: number;
  barePerSecond: number;
  /** CPU time of the send and worker processes (start-ups included), and of the bare inserts. */
  cpuSeconds: number;
  /** CPU time of the same processes started with nothing to do (to subtract). */
  startupCpuSeconds: number;
  bareCpuSeconds: number;
  actions: number;
  /** Time from the worker starting to an action's row, p50 / p99 (the burst waits in the store first). */
  fromStartP50Ms: number;
  fromStartP99Ms: number;
  deadJobs: number;
  loadStart: string;
  loadEnd: string;
}

/** Runs `lapwing ARGS` to completion, resolving with its output and, per process, when it printed `marker`. */
function runLapwingTimed(databaseUrl: string, args: string[], marker?: RegExp, env: Record<string, string> = {}): Promise<{ stdout: string; stderr: string; markedAt: number | undefined; cpuSeconds: number }> {
  return new Promise((resolve, reject) => {
    // Through bash, whose `times` prints the child's CPU time (user and system) when it ends: on a loaded
    // machine CPU time says what the work cost when wall time mostly says how long it waited for a core.
    const script = '"$@"; status=$?; times >&2; exit $status';
    const child = spawn("bash", ["-c", script, "bash", process.execPath, "--import", "tsx", "src/cli/main.ts", "--database", databaseUrl, ...args], {
      cwd: root,
      env: { ...process.env, LAPWING_LOG_LEVEL: "warn", LAPWING_INDEX_SNAPSHOT_PATH: "off", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let markedAt: number | undefined;
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => {
      stderr += d;
      if (marker && markedAt === undefined && marker.test(stderr)) markedAt = Date.now();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`lapwing ${args.join(" ")} failed (${code}):\n${stderr}${stdout}`));
      // The last line of `times`: the children's user and system time, as "1m2.345s 0m0.678s".
      const last = stderr.trim().split("\n").at(-1) ?? "";
      const cpuSeconds = [...last.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, m) => sum + Number(m[1]) * 60 + Number(m[2]), 0);
      resolve({ stdout, stderr, markedAt, cpuSeconds });
    });
  });
}

/**
 * The issue-11 comparison: the events as a JSON-lines file, `lapwing events send` into a fresh store,
 * then `lapwing worker --until-idle` (`workers` processes) until every event is processed; beside it, in the
 * same run, bare inserts of the same lines. Times come from the store's own stamps so that process
 * start-up (the same for 10 events as for 10 million) is reported apart, in the wall column.
 */
async function runCliSetup(dialect: DialectName, workers: number, data: Generated, options: { sendBatch: number; env: Record<string, string> }): Promise<CliBenchRow> {
  const label = dialect === "sqlite" ? "SQLite, 1 worker" : `PostgreSQL, ${workers} workers`;
  await quietMachine();
  const loadStart = loadNow();
  console.log(`\n${label}: ${data.events.length} events via events send + worker --until-idle (load ${loadStart})`);
  const database = await freshDatabase(dialect);
  const dir = mkdtempSync(join(tmpdir(), "lapwing-bench-cli-"));
  let store: Store | undefined;
  try {
    setUpOperator(database.url, dir, data.bank);
    const file = join(dir, "events.jsonl");
    writeFileSync(file, data.events.map((e) => JSON.stringify(e)).join("\n") + "\n");
    const wall0 = Date.now();
    const send = await runLapwingTimed(database.url, ["events", "send", file, "--batch", String(options.sendBatch), "--json"], undefined, options.env);
    const runs = await Promise.all(
      Array.from({ length: workers }, () => runLapwingTimed(database.url, ["worker", "--until-idle"], /Lapwing worker running/, options.env)),
    );
    const wallSeconds = (Date.now() - wall0) / 1000;
    // `--stages`: where each worker's time went (its `--until-idle` summary's stage line).
    if (process.argv.includes("--stages")) for (const run of runs) console.log(`  ${run.stderr.split("\n").find((line) => line.startsWith("Time in this worker by stage")) ?? "(no stage line)"}`);
    // The same commands with nothing to do: their CPU time is the start-up (tsx, services, the index) to take off.
    const emptyFile = join(dir, "empty.jsonl");
    writeFileSync(emptyFile, "");
    const startups = [
      await runLapwingTimed(database.url, ["events", "send", emptyFile, "--json"], undefined, options.env),
      ...(await Promise.all(Array.from({ length: workers }, () => runLapwingTimed(database.url, ["worker", "--until-idle"], undefined, options.env)))),
    ];
    const startupCpuSeconds = startups.reduce((sum, r) => sum + r.cpuSeconds, 0);
    store = await openStore(database.url);
    const stamps = await sql<{ first: string; last: string; done: string; open: number | string }>`
      select min(received_at) as first, max(received_at) as last, max(processed_at) as done,
             sum(case when processed_at is null then 1 else 0 end) as open from events`.execute(store.db);
    const { first, last, done, open } = stamps.rows[0]!;
    if (Number(open) !== 0) throw new Error(`${open} events unprocessed after worker --until-idle`);
    const stored = await scalar(store, sql<{ n: number }>`select count(*) as n from events`);
    const batches = Math.max(1, Math.ceil(stored / options.sendBatch));
    // received_at is stamped as each batch starts: the span covers all batches but the last one.
    const sendSeconds = batches > 1 ? ((Date.parse(last) - Date.parse(first)) / 1000) * (batches / (batches - 1)) : NaN;
    const started = Math.min(...runs.map((r) => r.markedAt ?? wall0));
    const workSeconds = (Date.parse(done) - started) / 1000;
    const actions = await sql<{ created_at: string }>`select created_at from actions where decision_id is not null`.execute(store.db);
    const fromStart = actions.rows.map((a) => Date.parse(a.created_at) - started).sort((a, b) => a - b);
    const deadJobs = await scalar(store, sql<{ n: number }>`select count(*) as n from jobs where state = 'dead'`);
    await store.close();
    store = undefined;
    const bare = await bareInserts(dialect, file);
    const barePerSecond = bare.perSecond;
    const row: CliBenchRow = {
      setup: label,
      events: data.events.length,
      sendSeconds,
      workSeconds,
      wallSeconds,
      endToEndPerSecond: data.events.length / (sendSeconds + workSeconds),
      barePerSecond,
      cpuSeconds: send.cpuSeconds + runs.reduce((sum, r) => sum + r.cpuSeconds, 0),
      startupCpuSeconds,
      bareCpuSeconds: bare.cpuSeconds,
      actions: actions.rows.length,
      fromStartP50Ms: percentile(fromStart, 50),
      fromStartP99Ms: percentile(fromStart, 99),
      deadJobs,
      loadStart,
      loadEnd: loadNow(),
    };
    console.log(
      `  send ${row.sendSeconds.toFixed(2)} s, work ${row.workSeconds.toFixed(2)} s (wall ${wallSeconds.toFixed(1)} s): ${fmt(row.endToEndPerSecond)} ev/s; ` +
        `bare ${fmt(barePerSecond)} ev/s (${(barePerSecond / row.endToEndPerSecond).toFixed(1)}×); CPU ${row.cpuSeconds.toFixed(1)} s (start-ups ${startupCpuSeconds.toFixed(1)} s) / bare ${row.bareCpuSeconds.toFixed(2)} s; ` +
        `${row.actions} actions, ${deadJobs} dead jobs; load ${row.loadEnd}`,
    );
    return row;
  } finally {
    await store?.close();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The floor: the same JSON lines read from the same file into one table (id, type, payload, time) of a
 * fresh database of the same kind by one prepared insert, 1,000 rows a transaction; SQLite in WAL with
 * Lapwing's `synchronous` setting (LAPWING_SQLITE_SYNCHRONOUS, default as Lapwing's).
 */
async function bareInserts(dialect: DialectName, file: string): Promise<{ perSecond: number; cpuSeconds: number }> {
  const perTransaction = 1000;
  const database = await freshDatabase(dialect);
  try {
    const cpu0 = process.cpuUsage();
    const cpuSeconds = () => {
      const used = process.cpuUsage(cpu0);
      return (used.user + used.system) / 1e6;
    };
    const t0 = performance.now();
    const lines = readFileSync(file, "utf8").split("\n").filter((l) => l !== "");
    const rows = lines.map((line) => {
      const e = JSON.parse(line) as { id: string; type: string; occurred_at: string };
      return [e.id, e.type, line, e.occurred_at] as const;
    });
    if (dialect === "sqlite") {
      const db = new SqliteDatabase(database.url.slice("sqlite:".length));
      db.pragma("journal_mode = WAL");
      db.pragma(`synchronous = ${sqliteSynchronous()}`);
      db.exec("create table bare (id text primary key, type text not null, payload text not null, time text not null)");
      const t1 = performance.now();
      const insert = db.prepare("insert into bare (id, type, payload, time) values (?, ?, ?, ?)");
      const chunk = db.transaction((slice: (typeof rows)[number][]) => {
        for (const r of slice) insert.run(r[0], r[1], r[2], r[3]);
      });
      for (let i = 0; i < rows.length; i += perTransaction) chunk(rows.slice(i, i + perTransaction));
      db.close();
      return { perSecond: rows.length / ((performance.now() - t1 + (t1 - t0)) / 1000), cpuSeconds: cpuSeconds() };
    }
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query("create table bare (id text primary key, type text not null, payload text not null, time text not null)");
      const t1 = performance.now();
      for (let i = 0; i < rows.length; i += perTransaction) {
        await client.query("begin");
        for (const r of rows.slice(i, i + perTransaction)) await client.query({ name: "bare-insert", text: "insert into bare (id, type, payload, time) values ($1, $2, $3, $4)", values: [...r] });
        await client.query("commit");
      }
      // The PostgreSQL server's own CPU time is in neither figure.
      return { perSecond: rows.length / ((performance.now() - t1 + (t1 - t0)) / 1000), cpuSeconds: cpuSeconds() };
    } finally {
      await client.end();
    }
  } finally {
    await database.drop();
  }
}

/** What Lapwing's SQLite store uses, so the bare inserts pay the same per-commit cost. */
function sqliteSynchronous(): string {
  return (process.env.LAPWING_SQLITE_SYNCHRONOUS ?? flag("--bare-synchronous") ?? "normal").toUpperCase();
}

export function printCliTable(rows: CliBenchRow[]): void {
  console.log("\n| setup | events | send s | work s | wall s (with start-ups) | end-to-end ev/s | bare insert ev/s | bare / end to end | CPU s: Lapwing − start-ups = work / bare (work / bare) | actions | worker start→action p50 / p99 ms | load at start | load at end |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |");
  for (const r of rows) {
    console.log(
      `| ${r.setup} | ${fmt(r.events)} | ${r.sendSeconds.toFixed(2)} | ${r.workSeconds.toFixed(2)} | ${r.wallSeconds.toFixed(1)} | ${fmt(r.endToEndPerSecond)} | ${fmt(r.barePerSecond)} | ${(r.barePerSecond / r.endToEndPerSecond).toFixed(1)}× | ${r.cpuSeconds.toFixed(1)} − ${r.startupCpuSeconds.toFixed(1)} = ${(r.cpuSeconds - r.startupCpuSeconds).toFixed(1)} / ${r.bareCpuSeconds.toFixed(2)} (${((r.cpuSeconds - r.startupCpuSeconds) / r.bareCpuSeconds).toFixed(0)}×) | ${fmt(r.actions)} | ${ms(r.fromStartP50Ms)} / ${ms(r.fromStartP99Ms)} | ${r.loadStart} | ${r.loadEnd} |`,
    );
  }
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString("en-GB");
}

function ms(n: number): string {
  return Number.isFinite(n) ? (n < 10 ? n.toFixed(1) : Math.round(n).toLocaleString("en-GB")) : "—";
}

export function printTable(rows: IngestBenchRow[]): void {
  console.log("\n| setup | events | ingest ev/s | end-to-end ev/s | drain after last 202 | batch 202 p50 / p99 ms | actions | event→action, server p50 / p99 ms | event→action, client p50 / p99 ms | raw insert ev/s | raw / end to end | load at start | load at end |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |");
  for (const r of rows) {
    const raw = r.rawInsertPerSecond;
    console.log(
      `| ${r.setup} | ${fmt(r.events)} | ${fmt(r.ingestPerSecond)} | ${fmt(r.endToEndPerSecond)} | ${r.drainSeconds.toFixed(1)} s | ${ms(r.batchAckP50Ms)} / ${ms(r.batchAckP99Ms)} | ${fmt(r.actions)} | ${ms(r.serverP50Ms)} / ${ms(r.serverP99Ms)} | ${ms(r.clientP50Ms)} / ${ms(r.clientP99Ms)} (${fmt(r.clientMeasured)}) | ${raw ? fmt(raw) : "—"} | ${raw ? `${(raw / r.endToEndPerSecond).toFixed(1)}×` : "—"} | ${r.loadStart} | ${r.loadEnd} |`,
    );
  }
}

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const count = Number(flag("--events") ?? 20_000);
  const batch = Number(flag("--batch") ?? 500);
  const senders = Number(flag("--senders") ?? 2);
  const only = flag("--only");
  const parts = new Set((flag("--parts") ?? "cli,burst,paced").split(","));
  const workers = Number(flag("--workers") ?? 2);
  const sendBatch = Number(flag("--send-batch") ?? 2000);
  const raw = !process.argv.includes("--no-raw");
  const pacedRate = Number(flag("--paced-rate") ?? 1000);
  const pacedEvents = Number(flag("--paced-events") ?? 10_000);
  const pacedBatch = Number(flag("--paced-batch") ?? 50);
  const data = generateEvents(count);
  const sqlite = only === undefined || only === "sqlite";
  const postgres = (only === undefined || only === "postgres") && (await postgresUnavailable()) === null;
  if ((only === undefined || only === "postgres") && !postgres) console.log(`\nPostgreSQL skipped: ${await postgresUnavailable()}`);
  console.log(`Events: ${Object.entries(data.counts).map(([k, v]) => `${k} ${v}`).join(", ")}; expected content.hold actions: ${data.expectedHolds}`);
  const cliRows: CliBenchRow[] = [];
  if (parts.has("cli")) {
    const env = {};
    if (sqlite) cliRows.push(await runCliSetup("sqlite", 1, data, { sendBatch, env }));
    if (postgres) cliRows.push(await runCliSetup("postgres", workers, data, { sendBatch, env }));
  }
  const rows: IngestBenchRow[] = [];
  if (parts.has("burst")) {
    if (sqlite) rows.push(await runSetup("sqlite", 1, data, { batch, senders, raw }));
    if (postgres) {
      rows.push(await runSetup("postgres", 2, data, { batch, senders, raw }));
      if (process.argv.includes("--analyze")) rows.push(await runSetup("postgres", 2, data, { batch, senders, raw: false, analyze: true }));
    }
  }
  if (parts.has("paced") && pacedRate > 0) {
    // Latency at a steady rate, rather than behind a backlog.
    const paced = generateEvents(pacedEvents, 11);
    const pacedOptions = { batch: pacedBatch, senders, raw: false, rate: pacedRate };
    if (sqlite) rows.push(await runSetup("sqlite", 1, paced, pacedOptions));
    if (postgres) rows.push(await runSetup("postgres", 2, paced, pacedOptions));
  }
  if (cliRows.length > 0) printCliTable(cliRows);
  if (rows.length > 0) printTable(rows);
  const out = flag("--json");
  if (out) writeFileSync(out, JSON.stringify({ cli: cliRows, served: rows }, null, 2));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
