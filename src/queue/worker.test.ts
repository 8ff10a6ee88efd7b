import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { sql, type Kysely } from "kysely";
import { openStore } from "../store/index.js";
import { dialects, withStore } from "../store/testing.js";
import { createJobQueue, type JobQueue, type QueueStats, type WorkerLog } from "./index.js";

// Polls `probe`; a probe that throws (its connection was just dropped) counts as "not yet".
async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await probe()) return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`, { cause: lastError });
    await sleep(20);
  }
}

async function queueStats(jobs: JobQueue, queue: string): Promise<QueueStats> {
  return (await jobs.stats()).find((s) => s.queue === queue) ?? { queue, ready: 0, running: 0, done: 0, dead: 0, oldestReadyAgeMs: null };
}

function recordingLog() {
  const messages: string[] = [];
  const log: WorkerLog = { warn: (_details, message) => messages.push(message) };
  return { log, messages };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function createEffects(db: Kysely<any>): Promise<void> {
  await sql`create table effects (job_key text primary key, job_id text not null, worker text not null)`.execute(db);
}

for (const dialect of dialects) {
  describe(`job worker (${dialect})`, () => {
    it("runs jobs up to its concurrency and stops cleanly when aborted", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const jobs = createJobQueue(store.db, store.dialect);
        await jobs.enqueueMany(store.db, Array.from({ length: 40 }, (_, i) => ({ queue: "q", payload: i })));
        let active = 0;
        let mostActive = 0;
        const seen: number[] = [];
        const stop = new AbortController();
        const running = jobs.runWorker<number>({
          queue: "q",
          concurrency: 4,
          pollMs: 20,
          leaseMs: 10_000,
          signal: stop.signal,
          handler: async (job) => {
            active++;
            mostActive = Math.max(mostActive, active);
            await sleep(5);
            seen.push(job.payload);
            active--;
          },
        });
        await until("every job done", async () => (await queueStats(jobs, "q")).done === 40);
        // A job enqueued while the worker idles is picked up at the next poll.
        await jobs.enqueue(store.db, { queue: "q", payload: 40 });
        await until("the late job done", async () => (await queueStats(jobs, "q")).done === 41);
        stop.abort();
        await running;
        assert.deepEqual([...seen].sort((a, b) => a - b), Array.from({ length: 41 }, (_, i) => i));
        assert.ok(mostActive > 1 && mostActive <= 4, `at most 4 at once (saw ${mostActive})`);
        await jobs.enqueue(store.db, { queue: "q", payload: 99 });
        await sleep(60);
        assert.equal((await queueStats(jobs, "q")).ready, 1, "a stopped worker claims nothing");
      });
    });

    it("finishes jobs in hand before it stops", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const jobs = createJobQueue(store.db, store.dialect);
        await jobs.enqueueMany(store.db, Array.from({ length: 3 }, (_, i) => ({ queue: "q", payload: i })));
        const stop = new AbortController();
        let started = 0;
        const running = jobs.runWorker({
          queue: "q",
          concurrency: 3,
          pollMs: 10,
          signal: stop.signal,
          handler: async () => {
            started++;
            await sleep(150);
          },
        });
        await until("all three started", async () => started === 3);
        stop.abort();
        await running;
        assert.deepEqual(await queueStats(jobs, "q"), { queue: "q", ready: 0, running: 0, done: 3, dead: 0, oldestReadyAgeMs: null });
      });
    });

    it("hands a job whose handler stops on shutdown back at once, its attempt uncounted", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const jobs = createJobQueue(store.db, store.dialect);
        const { id } = await jobs.enqueue(store.db, { queue: "q", payload: "slow" });
        const stop = new AbortController();
        let started = false;
        const running = jobs.runWorker({
          queue: "q",
          pollMs: 10,
          leaseMs: 60 * 60_000,
          signal: stop.signal,
          handler: async (_job, { signal }) => {
            started = true;
            await sleep(60_000, undefined, { signal });
          },
        });
        await until("the job to start", async () => started);
        stop.abort();
        await running;
        const job = await jobs.get(id);
        assert.deepEqual([job.state, job.attempts], ["ready", 0], "ready again, not leased for an hour nor counted as a failed attempt");
        const [claimed] = await jobs.claim("q", { worker: "next", limit: 1, leaseMs: 1000 });
        assert.equal(claimed?.id, id, "another worker takes it at once");
        assert.equal(await jobs.release(id, "someone-else"), false, "only the holder may hand it back");
      });
    });

    it("retries failing handlers with backoff and dead-letters a job that always fails", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const jobs = createJobQueue(store.db, store.dialect, { backoff: { baseMs: 10, maxMs: 50 } });
        await jobs.enqueue(store.db, { queue: "q", payload: "flaky", maxAttempts: 3 });
        await jobs.enqueue(store.db, { queue: "q", payload: "poison", maxAttempts: 3 });
        const calls = new Map<string, number>();
        const { log, messages } = recordingLog();
        const stop = new AbortController();
        const running = jobs.runWorker<string>({
          queue: "q",
          pollMs: 5,
          signal: stop.signal,
          log,
          handler: async (job) => {
            const n = (calls.get(job.payload) ?? 0) + 1;
            calls.set(job.payload, n);
            if (job.payload === "poison" || n === 1) throw new Error(`${job.payload} failed (call ${n})`);
          },
        });
        await until("one done, one dead", async () => {
          const s = await queueStats(jobs, "q");
          return s.done === 1 && s.dead === 1;
        });
        stop.abort();
        await running;
        assert.deepEqual(Object.fromEntries(calls), { flaky: 2, poison: 3 });
        const [dead] = await jobs.listDead("q");
        assert.equal(dead?.payload, "poison");
        assert.match(dead?.lastError ?? "", /poison failed \(call 3\)/);
        assert.equal(messages.filter((m) => m.includes("retrying later")).length, 3);
        assert.equal(messages.filter((m) => m.includes("dead-lettered")).length, 1);
      });
    });

    it("two workers on separate connections share 500 jobs with no job handled twice", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store, database) => {
        await createEffects(store.db);
        const other = await openStore(database.url);
        try {
          const queues = [createJobQueue(store.db, store.dialect), createJobQueue(other.db, other.dialect)];
          await queues[0]!.enqueueMany(store.db, Array.from({ length: 500 }, (_, i) => ({ queue: "q", payload: i, key: `event-${i}` })));
          const stop = new AbortController();
          const workers = queues.map((jobs, i) =>
            jobs.runWorker({
              queue: "q",
              worker: `worker-${i}`,
              concurrency: 4,
              pollMs: 10,
              leaseMs: 60_000,
              signal: stop.signal,
              // A plain insert into a primary key: a second delivery of any job
              // would fail here and show up as a retried job.
              handler: async (job, { worker }) => {
                await (i === 0 ? store : other).db.insertInto("effects").values({ job_key: job.key, job_id: job.id, worker }).execute();
              },
            }),
          );
          await until("every job done", async () => (await queueStats(queues[0]!, "q")).done === 500, 60_000);
          stop.abort();
          await Promise.all(workers);

          const effects = await store.db.selectFrom("effects").select(["job_key", "worker"]).execute();
          assert.equal(effects.length, 500);
          assert.equal(new Set(effects.map((e) => e.job_key)).size, 500);
          const byWorker = new Set(effects.map((e) => e.worker));
          assert.deepEqual([...byWorker].sort(), ["worker-0", "worker-1"], "both workers took part");
          const retried = await store.db.selectFrom("jobs").select("id").where((eb) => eb.or([eb("attempts", "<>", 1), eb("last_error", "is not", null)])).execute();
          assert.deepEqual(retried, [], "every job delivered exactly once");
        } finally {
          await other.close();
        }
      });
    });

    it("logs database errors and carries on at the next poll", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const jobs = createJobQueue(store.db, store.dialect);
        const { log, messages } = recordingLog();
        await jobs.enqueueMany(store.db, Array.from({ length: 20 }, (_, i) => ({ queue: "q", payload: i })));
        // The table disappears under the worker, as it does to a worker whose database went away.
        await sql`alter table jobs rename to jobs_away`.execute(store.db);
        const stop = new AbortController();
        const running = jobs.runWorker({ queue: "q", pollMs: 20, leaseMs: 500, signal: stop.signal, log, handler: async () => {} });
        await until("a failed claim to be logged", async () => messages.some((m) => m.includes("claiming jobs failed")));
        await sql`alter table jobs_away rename to jobs`.execute(store.db);
        await until("every job done", async () => (await queueStats(jobs, "q")).done === 20);
        stop.abort();
        await running;
      });
    });

    it("records an outcome the database missed as soon as it is back, not when the lease ends", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const jobs = createJobQueue(store.db, store.dialect);
        const { log, messages } = recordingLog();
        await jobs.enqueueMany(store.db, [{ queue: "q", payload: "only" }]);
        const stop = new AbortController();
        let isFirst = true;
        // The database "goes away" while the handler runs, so `complete` fails; it comes back 100 ms later.
        const handler = async () => {
          if (!isFirst) return;
          isFirst = false;
          await sql`alter table jobs rename to jobs_away`.execute(store.db);
          setTimeout(() => void sql`alter table jobs_away rename to jobs`.execute(store.db), 100);
        };
        const running = jobs.runWorker({ queue: "q", pollMs: 20, leaseMs: 10 * 60_000, signal: stop.signal, log, handler });
        try {
          await until("the job recorded done, well inside its ten-minute lease", async () => (await queueStats(jobs, "q")).done === 1);
          assert.ok(messages.some((m) => m.includes("could not mark a job done")));
          assert.ok(messages.some((m) => m.includes("recorded a job outcome the database missed")));
        } finally {
          stop.abort();
          await running;
        }
      });
    });

    if (dialect === "postgres") {
      it("survives its connections being dropped, with every effect exactly once", async (t) => {
        await withStore(dialect, (r) => t.skip(r), async (store, database) => {
          await createEffects(store.db);
          const workerStore = await openStore(database.url);
          try {
            const jobs = createJobQueue(workerStore.db, workerStore.dialect);
            await jobs.enqueueMany(store.db, Array.from({ length: 300 }, (_, i) => ({ queue: "q", payload: i, key: `event-${i}` })));
            const { log, messages } = recordingLog();
            const stop = new AbortController();
            const running = jobs.runWorker({
              queue: "q",
              concurrency: 4,
              pollMs: 20,
              leaseMs: 300,
              signal: stop.signal,
              log,
              handler: async (job, { worker }) => {
                await workerStore.db
                  .insertInto("effects")
                  .values({ job_key: job.key, job_id: job.id, worker })
                  .onConflict((oc) => oc.column("job_key").doNothing())
                  .execute();
                await sleep(2);
              },
            });
            try {
              for (let i = 0; i < 6; i++) {
                await sleep(100);
                await sql`select pg_terminate_backend(pid) from pg_stat_activity
                          where datname = current_database() and pid <> pg_backend_pid()`.execute(store.db);
              }
              await until("every job done", async () => (await queueStats(jobs, "q")).done === 300, 30_000);
            } finally {
              stop.abort();
              await running;
            }
            const effects = await store.db.selectFrom("effects").select("job_key").execute();
            assert.equal(effects.length, 300);
            assert.equal((await queueStats(jobs, "q")).dead, 0);
            t.diagnostic(`worker warnings while connections were dropped: ${messages.length}`);
          } finally {
            await workerStore.close();
          }
        });
      });
    }
  });
}
