import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { openStore } from "../src/store/index.js";
import { createTestDatabase } from "../src/store/testing.js";
import { startServeProcess } from "../test/support/cli.js";
import { loadPlan, progress, sendEvents, setUpDetectors, syntheticPdq, writeJsonl } from "../test/support/enforcement-load.js";
import { startWebhookReceiver } from "../test/support/webhook-receiver.js";
import { newWebhookSecret, serveEnv } from "../test/support/enforcement-load.js";

const dir = mkdtempSync(join(tmpdir(), "repro-"));
const database = await createTestDatabase("postgres");
const secret = newWebhookSecret();
const receiver = await startWebhookReceiver({ secret });
const pdqs = [syntheticPdq(), syntheticPdq(), syntheticPdq()];
await setUpDetectors(database.url, dir, pdqs);
const plan = loadPlan(3000, pdqs);
const file = join(dir, "load.jsonl");
writeJsonl(file, plan.events);
const store = await openStore(database.url);
const server = await startServeProcess(database.url, serveEnv(receiver.url, secret), { onLog: (t) => process.stdout.write("[serve] " + t) });
server.child.stdout!.on("data", (d) => { const s = String(d); if (!s.includes('"level":30')) process.stdout.write("[out] " + s.slice(0, 400)); });
const t0 = Date.now();
const sending = sendEvents(database.url, file).then(() => console.log("sent at", Date.now() - t0));
for (let i = 0; i < 90; i++) {
  const p = await progress(store.db);
  const locks = await sql<{ c: unknown }>`select count(*) as c from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(store.db);
  console.log(((Date.now() - t0) / 1000).toFixed(1), JSON.stringify(p), "waiting on locks:", locks.rows[0]!.c);
  if (p.processed === 3000) break;
  await new Promise((r) => setTimeout(r, 1000));
}
await sending;
await server.stop();
await store.close();
await receiver.close();
await database.drop();
