/**
 * Ingest of graph events alone (issue 8's "10 million follows in under 2
 * minutes"), measured in CPU seconds per million follows so that a loaded
 * machine still gives comparable figures:
 *
 *   node --import tsx bench/graph-ingest.ts [--follows 1000000] [--accounts 100000] [--batch 5000]
 *        [--postgres] [--file] [--store DIR]
 *
 * Follows in the scenario generator's shape (ids `e1`, `e2`, ..., accounts
 * `u0`..., whole-second UTC times) go through `acceptParsed` in batches, as
 * bench/network.ts's scale ingest does. `--file` writes them to a JSON-lines
 * file first and sends that as `lapwing events send` does (reading, JSON and
 * validation included). Each run then sends the first batch again to check
 * that nothing is stored twice. `--store DIR` keeps the SQLite store in DIR
 * (a new DIR), for bench/network-score.ts.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sendEventsFile } from "../src/cli/commands/events.js";
import { loadConfig } from "../src/config/index.js";
import type { PlatformEvent } from "../src/events/index.js";
import { createServices } from "../src/services.js";
import { databaseId, migrateToLatest, openStore } from "../src/store/index.js";
import { createTestDatabase } from "../src/store/testing.js";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const stringOption = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const follows = option("--follows", 1_000_000);
const accounts = option("--accounts", 100_000);
const batch = option("--batch", 5000);

function followEvents(): PlatformEvent[] {
  const events: PlatformEvent[] = new Array(follows);
  let state = 12345;
  const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const start = Date.parse("2026-01-01T00:00:00Z") / 1000;
  for (let i = 0; i < follows; i++) {
    const a = Math.floor(random() * accounts);
    // Power-law followees: a few accounts take most follows, as in the scenario.
    let b = Math.floor(accounts * random() ** 3);
    if (b === a) b = (b + 1) % accounts;
    const at = new Date((start + Math.floor((i / follows) * 86400 * 180)) * 1000).toISOString().replace(".000Z", "Z");
    events[i] = { id: `e${i + 1}`, type: "follow", occurred_at: at, follower_id: `u${a}`, followee_id: `u${b}` } as PlatformEvent;
  }
  return events;
}

/** The 1, 5 and 15 minute load averages. */
function loadavg(): string {
  return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
}

async function run(dialect: "sqlite" | "postgres", events: PlatformEvent[]): Promise<void> {
  const keepIn = dialect === "sqlite" ? stringOption("--store") : undefined;
  if (keepIn) mkdirSync(keepIn, { recursive: true });
  const dir = keepIn ?? mkdtempSync(join(tmpdir(), "lapwing-bench-graph-ingest-"));
  const database = dialect === "sqlite" ? { url: `sqlite:${join(dir, "db.sqlite")}`, drop: async () => {} } : await createTestDatabase("postgres");
  const store = await openStore(database.url);
  await migrateToLatest(store.db);
  const config = loadConfig({ env: {}, overrides: { databaseUrl: database.url, logLevel: "silent", defaultLexicon: false } });
  const services = createServices(config, store, { databaseId: await databaseId(store.db) });
  try {
    const load = loadavg();
    const cpu = process.cpuUsage();
    const started = performance.now();
    let accepted = 0;
    if (args.includes("--file")) {
      const file = join(dir, "follows.jsonl");
      writeFileSync(file, events.map((e) => JSON.stringify(e)).join("\n") + "\n");
      const cpuAfterWrite = process.cpuUsage();
      const startedSend = performance.now();
      const summary = await sendEventsFile(services.events, file, { batchSize: batch });
      accepted = summary.accepted;
      const used = process.cpuUsage(cpuAfterWrite);
      report(dialect, "events send (file)", accepted, (performance.now() - startedSend) / 1000, (used.user + used.system) / 1e6, load);
    } else {
      for (let i = 0; i < events.length; i += batch) accepted += (await services.events.acceptParsed(events.slice(i, i + batch))).accepted;
      const used = process.cpuUsage(cpu);
      report(dialect, "acceptParsed", accepted, (performance.now() - started) / 1000, (used.user + used.system) / 1e6, load);
    }
    const again = await services.events.acceptParsed(events.slice(0, batch));
    if (again.accepted !== 0 || accepted !== events.length) throw new Error(`idempotency: ${accepted} of ${events.length} accepted, then ${again.accepted} again`);
  } finally {
    await services.close();
    await store.close();
    await database.drop();
    if (!keepIn) rmSync(dir, { recursive: true, force: true });
  }
}

function report(dialect: string, path: string, accepted: number, seconds: number, cpuSeconds: number, load: string): void {
  console.log(
    `${dialect} ${path}: ${accepted} follows in ${seconds.toFixed(1)} s wall (${Math.round(accepted / seconds)}/s), ${cpuSeconds.toFixed(2)} CPU s of this process ` +
      `(${((cpuSeconds / accepted) * 1e6).toFixed(2)} CPU s per million); load before ${load}, after ${loadavg()}`,
  );
}

const events = followEvents();
await run("sqlite", events);
if (args.includes("--postgres")) await run("postgres", events);
