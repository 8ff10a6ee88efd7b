// A job-queue worker process for the crash tests: `node --import tsx
// test/support/queue-worker.ts DATABASE_URL QUEUE`. Each job records a
// delivery (every time it runs) and its effect (keyed by the job key, so a
// second delivery adds nothing), in one transaction, then sleeps briefly so
// that a SIGKILL lands with jobs in hand. SIGTERM stops it cleanly.
// Settings: QUEUE_WORKER_CONCURRENCY, QUEUE_WORKER_LEASE_MS, QUEUE_WORKER_SLEEP_MS.
import { setTimeout as sleep } from "node:timers/promises";
import { createJobQueue } from "../../src/queue/index.js";
import { openStore } from "../../src/store/index.js";

const [url, queue] = process.argv.slice(2);
if (!url || !queue) {
  console.error("usage: queue-worker.ts DATABASE_URL QUEUE");
  process.exit(2);
}
const setting = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

const store = await openStore(url);
const jobs = createJobQueue(store.db, store.dialect);
const stop = new AbortController();
process.once("SIGTERM", () => stop.abort());

await jobs.runWorker({
  queue,
  concurrency: setting("QUEUE_WORKER_CONCURRENCY", 8),
  leaseMs: setting("QUEUE_WORKER_LEASE_MS", 1500),
  pollMs: 20,
  signal: stop.signal,
  log: { warn: (details, message) => console.error(JSON.stringify({ message, ...details, err: String(details.err ?? "") })) },
  handler: async (job, { worker }) => {
    await store.db.transaction().execute(async (trx) => {
      await trx.insertInto("queue_deliveries").values({ job_key: job.key, worker }).execute();
      await trx
        .insertInto("queue_effects")
        .values({ job_key: job.key, job_id: job.id })
        .onConflict((oc) => oc.column("job_key").doNothing())
        .execute();
    });
    await sleep(setting("QUEUE_WORKER_SLEEP_MS", 3));
  },
});
await store.close();
