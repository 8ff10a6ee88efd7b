/**
 * The NATS JetStream source against HTTP ingest, in one run, on the same events and databases.
 *
 *   node --import tsx bench/stream.ts [--events 20000] [--batch 500] [--senders 2]
 *     [--only sqlite|postgres] [--server nats://127.0.0.1:4222]
 *
 * Events: bench/ingest.ts's seeded realistic mix (accounts, posts with text and hashes, comments,
 * follows, likes). For each dialect, each row on a fresh database, with one `lapwing serve`
 * process running (its `events` worker processes what arrives, as in a deployment, so both
 * paths share the machine with processing):
 * - HTTP: `--senders` concurrent senders POST batches of `--batch` events to `/v1/events` (each
 *   sends its next batch when the previous one is acknowledged). Rate: accepted events / (last
 *   202 − first request), client clock.
 * - NATS: the events are first published to a fresh stream (timed on its own: the platform's
 *   side), then `lapwing consume nats --until-idle --json --batch 1000` drains it. Rate:
 *   stored events / the consumer's own elapsed time (from connecting to the last acknowledgement;
 *   the process start-up is excluded, as the server's is for HTTP).
 * - NATS live: the consumer runs first, then the bench publishes as fast as the server takes
 *   messages; rate: events / (first publish → the last event committed, polled every 20 ms).
 * - file: `lapwing events send FILE --batch 1000` (no HTTP, no broker), for reference.
 * The machine's load average is recorded beside every row.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { connect } from "nats";
import { openStore, type DialectName } from "../src/store/index.js";
import { createTestDatabase, postgresUnavailable } from "../src/store/testing.js";
import { startServeProcess } from "../test/support/cli.js";
import { generateEvents } from "./ingest.js";

const root = fileURLToPath(new URL("..", import.meta.url));

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const count = Number(flag("--events", "20000"));
const batch = Number(flag("--batch", "500"));
const senders = Number(flag("--senders", "2"));
const natsServer = flag("--server", "nats://127.0.0.1:4222");
const only = flag("--only", "");

interface Row {
  setup: string;
  events: number;
  perSecond: number;
  note: string;
  load: string;
}

const load = () => loadavg().map((l) => l.toFixed(2)).join(" ");
const env = { ...process.env, LAPWING_LOG_LEVEL: "warn", LAPWING_INDEX_SNAPSHOT_PATH: "off" };

function lapwing(databaseUrl: string, args: string[]): string {
  const result = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "--database", databaseUrl, ...args], { cwd: root, env, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`lapwing ${args.join(" ")} failed (${result.status}):\n${result.stderr}${result.stdout}`);
  return result.stdout;
}

async function storedEvents(databaseUrl: string): Promise<number> {
  const store = await openStore(databaseUrl);
  try {
    // Graph-only events (follows, likes) are edges, not event rows; comments and reports are both: count ids once.
    const stored = await sql<{ n: string | number }>`select count(*) as n from (select id from events union select event_id from graph_edges) as ids`.execute(store.db);
    return Number(stored.rows[0]!.n);
  } finally {
    await store.close();
  }
}

async function withDatabase<T>(dialect: DialectName, fn: (url: string) => Promise<T>): Promise<T> {
  const database = await createTestDatabase(dialect);
  try {
    lapwing(database.url, ["migrate"]);
    return await fn(database.url);
  } finally {
    await database.drop();
  }
}

async function withServe<T>(url: string, fn: (serverUrl: string) => Promise<T>): Promise<T> {
  const server = await startServeProcess(url, { LAPWING_INDEX_SNAPSHOT_PATH: "off" }, { startTimeoutMs: 60_000 });
  try {
    return await fn(server.url);
  } finally {
    await server.stop();
  }
}

async function httpRow(dialect: DialectName, events: Record<string, unknown>[]): Promise<Row> {
  return withDatabase(dialect, async (url) => {
    const key = (JSON.parse(lapwing(url, ["keys", "create", "--name", "bench", "--scope", "ingest", "--json"])) as { secret: string }).secret;
    return withServe(url, async (serverUrl) => {
      const bodies: string[] = [];
      for (let i = 0; i < events.length; i += batch) bodies.push(JSON.stringify({ events: events.slice(i, i + batch) }));
      let next = 0;
      let accepted = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: senders }, async () => {
          for (;;) {
            const index = next++;
            if (index >= bodies.length) return;
            const response = await fetch(`${serverUrl}/v1/events`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: bodies[index] });
            const body = (await response.json()) as { accepted: number };
            if (response.status !== 202) throw new Error(`POST /v1/events: ${response.status} ${JSON.stringify(body).slice(0, 300)}`);
            accepted += body.accepted;
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      return { setup: `${dialect}: HTTP POST /v1/events (${senders} senders × ${batch})`, events: accepted, perSecond: accepted / seconds, note: `${seconds.toFixed(2)} s`, load: load() };
    });
  });
}

async function withStream<T>(fn: (name: string, publish: () => Promise<number>) => Promise<T>, lines: string[]): Promise<T> {
  const nc = await connect({ servers: natsServer });
  const jsm = await nc.jetstreamManager();
  const name = `LW_BENCH_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await jsm.streams.add({ name, subjects: [`${name}.>`] });
  const js = nc.jetstream();
  const publish = async () => {
    const started = performance.now();
    for (let i = 0; i < lines.length; i += 1000) await Promise.all(lines.slice(i, i + 1000).map((line) => js.publish(`${name}.events`, line)));
    return (performance.now() - started) / 1000;
  };
  try {
    return await fn(name, publish);
  } finally {
    await jsm.streams.delete(name).catch(() => {});
    await nc.close();
  }
}

function consumeArgs(stream: string, extra: string[]): string[] {
  return ["consume", "nats", "--server", natsServer, "--stream", stream, "--subject", `${stream}.>`, "--batch", "1000", ...extra];
}

async function natsDrainRow(dialect: DialectName, lines: string[]): Promise<Row> {
  return withStream(async (stream, publish) => {
    const publishSeconds = await publish();
    return withDatabase(dialect, (url) =>
      withServe(url, async () => {
        const summary = JSON.parse(lapwing(url, consumeArgs(stream, ["--until-idle", "--json"]))) as { accepted: number; duplicates: number; seconds: number };
        return {
          setup: `${dialect}: NATS source, stream drained (consume --batch 1000)`,
          events: summary.accepted,
          perSecond: summary.accepted / summary.seconds,
          note: `${summary.seconds.toFixed(2)} s; publishing took ${publishSeconds.toFixed(2)} s (${Math.round(lines.length / publishSeconds)}/s)`,
          load: load(),
        };
      }),
    );
  }, lines);
}

async function natsLiveRow(dialect: DialectName, lines: string[], expected: number): Promise<Row> {
  return withStream(async (stream, publish) =>
    withDatabase(dialect, (url) =>
      withServe(url, async () => {
        const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "--database", url, ...consumeArgs(stream, [])], { cwd: root, env, stdio: ["ignore", "ignore", "pipe"] });
        let stderr = "";
        child.stderr!.on("data", (d) => (stderr += d));
        const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
        try {
          // Ready once it has printed its banner (connected, consumer in place).
          while (!/consuming events/.test(stderr)) {
            if (child.exitCode !== null) throw new Error(`consume exited:\n${stderr}`);
            await new Promise((r) => setTimeout(r, 50));
          }
          const started = performance.now();
          await publish();
          let stored = 0;
          while ((stored = await storedEvents(url)) < expected) await new Promise((r) => setTimeout(r, 20));
          const seconds = (performance.now() - started) / 1000;
          return { setup: `${dialect}: NATS source, live (publish while consuming)`, events: stored, perSecond: stored / seconds, note: `${seconds.toFixed(2)} s, first publish → last commit`, load: load() };
        } finally {
          child.kill("SIGTERM");
          await exited;
        }
      }),
    ),
  lines);
}

async function fileRow(dialect: DialectName, lines: string[]): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), "lapwing-stream-bench-"));
  const file = join(dir, "events.jsonl");
  writeFileSync(file, lines.join("\n") + "\n");
  try {
    return await withDatabase(dialect, async (url) => {
      const started = performance.now();
      const summary = JSON.parse(lapwing(url, ["events", "send", file, "--batch", "1000", "--json"])) as { accepted: number };
      const seconds = (performance.now() - started) / 1000;
      return { setup: `${dialect}: lapwing events send FILE (reference, incl. start-up)`, events: summary.accepted, perSecond: summary.accepted / seconds, note: `${seconds.toFixed(2)} s`, load: load() };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { events } = generateEvents(count);
  const lines = events.map((e) => JSON.stringify(e));
  const rows: Row[] = [];
  const dialects: DialectName[] = only ? [only as DialectName] : ["sqlite", "postgres"];
  console.log(`${count} events (bench/ingest.ts mix), load at start ${load()}`);
  for (const dialect of dialects) {
    if (dialect === "postgres") {
      const why = await postgresUnavailable();
      if (why) {
        console.log(`(skipping PostgreSQL: ${why})`);
        continue;
      }
    }
    for (const row of [() => httpRow(dialect, events), () => natsDrainRow(dialect, lines), () => natsLiveRow(dialect, lines, count), () => fileRow(dialect, lines)]) {
      const result = await row();
      rows.push(result);
      console.log(`  ${result.setup}: ${Math.round(result.perSecond)} events/s (${result.events} events, ${result.note}; load ${result.load})`);
    }
  }
  console.log("\n| setup | events/s | events | notes | load (1/5/15 min) |\n| --- | ---: | ---: | --- | --- |");
  for (const r of rows) console.log(`| ${r.setup} | ${Math.round(r.perSecond)} | ${r.events} | ${r.note} | ${r.load} |`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
