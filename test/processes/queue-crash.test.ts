// Kill a job-queue worker with SIGKILL half-way through 2,000 jobs, then start
// a fresh one: once the queue is empty every job is done (none lost, none
// dead) and every job's effect exists exactly once, although the jobs the
// killed worker had in hand were delivered twice (at least once + idempotent
// handler = exactly-once effect). On a SQLite file and on PostgreSQL.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { sql } from "kysely";
import { createJobQueue } from "../../src/queue/index.js";
import { migrateToLatest, openStore } from "../../src/store/index.js";
import { createTestDatabase, dialects, dialectUnavailable } from "../../src/store/testing.js";
import { waitFor } from "../support/cli.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const jobCount = 2000;
const queue = "crash-test";

function startWorker(databaseUrl: string): { child: ChildProcess; exited: Promise<number | null>; output: () => string } {
  const child = spawn(process.execPath, ["--import", "tsx", "test/support/queue-worker.ts", databaseUrl, queue], {
    cwd: root,
    env: { ...process.env, QUEUE_WORKER_CONCURRENCY: "8", QUEUE_WORKER_LEASE_MS: "1500", QUEUE_WORKER_SLEEP_MS: "3" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

for (const dialect of dialects) {
  describe(`queue worker killed mid-batch (${dialect})`, () => {
    it("loses no job, dead-letters none, and leaves every effect exactly once", async (t) => {
      const unavailable = await dialectUnavailable(dialect);
      if (unavailable) return t.skip(unavailable);
      const database = await createTestDatabase(dialect);
      const store = await openStore(database.url);
      try {
        await migrateToLatest(store.db);
        await sql`create table queue_effects (job_key text primary key, job_id text not null)`.execute(store.db);
        await sql`create table queue_deliveries (job_key text not null, worker text not null)`.execute(store.db);
        const jobs = createJobQueue(store.db, store.dialect);
        const enqueued = await jobs.enqueueMany(
          store.db,
          Array.from({ length: jobCount }, (_, i) => ({ queue, payload: { n: i }, key: `event-${i}` })),
        );
        assert.equal(enqueued.enqueued, jobCount);
        const countOf = async (table: "queue_effects" | "queue_deliveries") =>
          Number((await store.db.selectFrom(table).select((eb) => eb.fn.countAll<string | number>().as("n")).executeTakeFirstOrThrow()).n);

        const first = startWorker(database.url);
        await waitFor(
          "about half the jobs to be done",
          async () => {
            if (first.child.exitCode !== null) throw new Error(`worker exited early:\n${first.output()}`);
            return (await countOf("queue_effects")) >= jobCount / 2 ? true : undefined;
          },
          { timeoutMs: 60_000, intervalMs: 10 },
        );
        first.child.kill("SIGKILL");
        await first.exited;
        const atKill = (await jobs.stats()).find((s) => s.queue === queue)!;
        assert.ok(atKill.done < jobCount, "killed before the end");
        assert.ok(atKill.running > 0, "the killed worker had jobs in hand");

        const second = startWorker(database.url);
        await waitFor(
          "the fresh worker to finish the queue",
          async () => {
            if (second.child.exitCode !== null) throw new Error(`worker exited early:\n${second.output()}`);
            const s = (await jobs.stats()).find((x) => x.queue === queue)!;
            return s.done + s.dead === jobCount ? true : undefined;
          },
          { timeoutMs: 90_000, intervalMs: 50 },
        );
        second.child.kill("SIGTERM");
        assert.equal(await second.exited, 0, `a clean stop on SIGTERM:\n${second.output()}`);

        const after = (await jobs.stats()).find((s) => s.queue === queue)!;
        assert.deepEqual([after.ready, after.running, after.done, after.dead], [0, 0, jobCount, 0], "every job done, none dead");
        assert.equal(await countOf("queue_effects"), jobCount, "one effect per job");
        const missing = await store.db
          .selectFrom("jobs")
          .leftJoin("queue_effects", "queue_effects.job_key", "jobs.idempotency_key")
          .select("jobs.id")
          .where("jobs.queue", "=", queue)
          .where("queue_effects.job_key", "is", null)
          .execute();
        assert.deepEqual(missing, [], "no job without its effect");
        const redelivered = await store.db.selectFrom("jobs").select("id").where("queue", "=", queue).where("attempts", ">", 1).execute();
        assert.ok(redelivered.length >= atKill.running, "the killed worker's jobs were delivered again after its lease");
        const deliveries = await countOf("queue_deliveries");
        t.diagnostic(
          `killed with ${atKill.done} done and ${atKill.running} in hand; ${redelivered.length} jobs delivered twice; ` +
            `${deliveries - jobCount} extra deliveries absorbed by the idempotent handler`,
        );
        if (dialect === "sqlite") {
          const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(store.db);
          assert.equal(check.rows[0]!.integrity_check, "ok");
        }
      } finally {
        await store.close();
        await database.drop();
      }
    });
  });
}
