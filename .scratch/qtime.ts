import SqliteDatabase from "better-sqlite3";
import { loadConfig } from "../src/config/index.js";
import { createServices } from "../src/services.js";
import { databaseId, migrateToLatest, openStore } from "../src/store/index.js";
import { startEventWorker } from "../src/events/index.js";
const stats = new Map<string, { n: number; ms: number }>();
const proto = (SqliteDatabase as any).prototype;
const origPrepare = proto.prepare;
proto.prepare = function (src: string, ...rest: unknown[]) {
  const st = origPrepare.call(this, src, ...rest);
  for (const m of ["all", "run"]) {
    const f = st[m].bind(st);
    st[m] = (...a: unknown[]) => { const t = performance.now(); try { return f(...a); } finally { const k = src.replace(/\?(, \?)+/g, "?…").slice(0, 150); const s = stats.get(k) ?? { n: 0, ms: 0 }; s.n++; s.ms += performance.now() - t; stats.set(k, s); } };
  }
  return st;
};
const url = process.argv[2]!;
const config = loadConfig({ env: {}, overrides: { databaseUrl: url, logLevel: "silent", indexSnapshotPath: "off" } });
const store = await openStore(url, { synchronous: (process.env.SYNC as any) ?? "full" });
await migrateToLatest(store.db);
const services = createServices(config, store, { databaseId: await databaseId(store.db) });
await Promise.all(services.followers.map((f) => f.catchUp()));
stats.clear();
const stop = new AbortController();
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const done = startEventWorker(services, stop.signal, { pollMs: 50, batchSize: Number(process.env.BATCH ?? 200) });
for (;;) { const s = (await services.queue.stats()).find((q) => q.queue === "events"); if (!s || s.ready + s.running === 0) break; await new Promise((r) => setTimeout(r, 20)); }
stop.abort(); await done;
const cpu = process.cpuUsage(cpu0);
console.log("wall", (performance.now() - t0).toFixed(0), "ms cpu", ((cpu.user + cpu.system) / 1000).toFixed(0), "ms");
let tot = 0; for (const s of stats.values()) tot += s.ms;
console.log("sql total ms", tot.toFixed(0));
for (const [k, s] of [...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) console.log(s.ms.toFixed(0).padStart(6), String(s.n).padStart(7), k);
await services.close(); await store.close();
