import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sql, type Kysely } from "kysely";
import { LapwingError } from "../errors/index.js";
import { openStore } from "../store/index.js";
import { dialects, withStore } from "../store/testing.js";
import { createJobQueue } from "./index.js";

const start = Date.parse("2026-01-01T00:00:00.000Z");

function testClock() {
  const state = { now: start };
  return { clock: () => new Date(state.now), advance: (ms: number) => (state.now += ms), state };
}

function isCode(code: string) {
  return (e: unknown) => e instanceof LapwingError && e.code === code;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function count(db: Kysely<any>, table: string): Promise<number> {
  const result = await sql<{ n: string | number }>`select count(*) as n from ${sql.table(table)}`.execute(db);
  return Number(result.rows[0]!.n);
}

for (const dialect of dialects) {
  describe(`job queue (${dialect})`, () => {
    it("enqueues a key once per queue, inside the caller's transaction", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { clock } = testClock();
        const jobs = createJobQueue(store.db, store.dialect, { clock, native: store.native });
        const first = await jobs.enqueue(store.db, { queue: "events", payload: { eventId: "e1" }, key: "e1" });
        const again = await jobs.enqueue(store.db, { queue: "events", payload: { eventId: "changed" }, key: "e1" });
        assert.deepEqual(again, { id: first.id, isDuplicate: true });
        assert.deepEqual((await jobs.get(first.id)).payload, { eventId: "e1" }, "the first payload stays");
        const otherQueue = await jobs.enqueue(store.db, { queue: "actions", payload: null, key: "e1" });
        assert.equal(otherQueue.isDuplicate, false);
        const keyless = await jobs.enqueue(store.db, { queue: "events", payload: [1, 2] });
        assert.equal((await jobs.get(keyless.id)).key, keyless.id, "no key: the id is the key");

        const batch = await jobs.enqueueMany(store.db, [
          { queue: "events", payload: 1, key: "e1" },
          { queue: "events", payload: 2, key: "e2" },
          { queue: "events", payload: 3, key: "e2" },
          { queue: "events", payload: 4, key: "e3" },
        ]);
        assert.deepEqual(batch, { enqueued: 2, duplicates: 2 });
        assert.equal(await count(store.db, "jobs"), 5);

        // Rolled back with the data it refers to: no job.
        await assert.rejects(
          store.db.transaction().execute(async (trx) => {
            await jobs.enqueue(trx, { queue: "events", payload: {}, key: "rolled-back" });
            throw new Error("the caller's write failed");
          }),
          /the caller's write failed/,
        );
        await store.db.transaction().execute((trx) => jobs.enqueue(trx, { queue: "events", payload: {}, key: "committed" }));
        const keys = await store.db.selectFrom("jobs").select("idempotency_key").where("queue", "=", "events").execute();
        assert.ok(!keys.some((row) => row.idempotency_key === "rolled-back"));
        assert.ok(keys.some((row) => row.idempotency_key === "committed"));
      });
    });

    it("rejects bad names, keys, payloads and limits with a pointer", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const jobs = createJobQueue(store.db, store.dialect, { maxPayloadBytes: 100 });
        await assert.rejects(jobs.enqueue(store.db, { queue: "", payload: 1 }), isCode("VALIDATION_FAILED"));
        await assert.rejects(jobs.enqueue(store.db, { queue: "has space", payload: 1 }), isCode("VALIDATION_FAILED"));
        await assert.rejects(jobs.enqueue(store.db, { queue: "q", payload: undefined }), (e) => isCode("VALIDATION_FAILED")(e) && (e as LapwingError).pointer === "/payload");
        await assert.rejects(jobs.enqueue(store.db, { queue: "q", payload: 10n }), isCode("VALIDATION_FAILED"));
        await assert.rejects(jobs.enqueue(store.db, { queue: "q", payload: "x".repeat(200) }), isCode("PAYLOAD_TOO_LARGE"));
        await assert.rejects(jobs.enqueue(store.db, { queue: "q", payload: 1, key: "" }), isCode("VALIDATION_FAILED"));
        await assert.rejects(jobs.enqueue(store.db, { queue: "q", payload: 1, maxAttempts: 0 }), isCode("VALIDATION_FAILED"));
        await assert.rejects(jobs.enqueue(store.db, { queue: "q", payload: 1, runAt: new Date(Number.NaN) }), isCode("VALIDATION_FAILED"));
        await assert.rejects(
          jobs.enqueueMany(store.db, [{ queue: "q", payload: 1 }, { queue: "q", payload: 1, key: "k".repeat(501) }]),
          (e) => (e as LapwingError).pointer === "/1/key",
        );
        await assert.rejects(jobs.claim("q", { worker: "w", limit: 0, leaseMs: 1000 }), isCode("VALIDATION_FAILED"));
        await assert.rejects(jobs.claim("q", { worker: "", limit: 1, leaseMs: 1000 }), isCode("VALIDATION_FAILED"));
        await assert.rejects(jobs.get("no-such-job"), isCode("NOT_FOUND"));
        assert.equal(await count(store.db, "jobs"), 0, "nothing half-written");
      });
    });

    it("claims due jobs oldest first, up to the limit, and not before runAt", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { clock, advance } = testClock();
        const jobs = createJobQueue(store.db, store.dialect, { clock, native: store.native });
        const at = (ms: number) => new Date(start + ms);
        await jobs.enqueue(store.db, { queue: "q", payload: "b", runAt: at(-2000) });
        await jobs.enqueue(store.db, { queue: "q", payload: "a", runAt: at(-3000) });
        await jobs.enqueue(store.db, { queue: "q", payload: "now" });
        await jobs.enqueue(store.db, { queue: "q", payload: "c", runAt: at(-1000) });
        await jobs.enqueue(store.db, { queue: "q", payload: "later", runAt: at(60_000) });
        await jobs.enqueue(store.db, { queue: "other", payload: "elsewhere" });

        const lease = { worker: "w1", leaseMs: 30_000 };
        const first = await jobs.claim("q", { ...lease, limit: 1 });
        assert.deepEqual(first.map((j) => j.payload), ["a"], "the earliest due first");
        assert.deepEqual([first[0]!.state, first[0]!.attempts, first[0]!.lockedBy], ["running", 1, "w1"]);
        assert.equal(first[0]!.lockedUntil, at(30_000).toISOString());
        const next = await jobs.claim("q", { ...lease, limit: 2 });
        assert.deepEqual(next.map((j) => j.payload).sort(), ["b", "c"], "then the next two in due order");
        assert.deepEqual((await jobs.claim("q", { ...lease, limit: 10 })).map((j) => j.payload), ["now"]);
        assert.deepEqual(await jobs.claim("q", { ...lease, limit: 10 }), [], "the future job waits; running ones are held");

        advance(60_000);
        assert.deepEqual((await jobs.claim("q", { worker: "w2", leaseMs: 120_000, limit: 10 })).map((j) => j.payload).sort(), ["a", "b", "c", "later", "now"]);
        assert.deepEqual((await jobs.claim("other", { ...lease, limit: 10 })).map((j) => j.payload), ["elsewhere"]);
        // SQLite claims commit without syncing the log; the store's own setting is back once they are done.
        if (store.native.sqlite) assert.equal(store.native.sqlite.pragma("synchronous", { simple: true }), 2, "synchronous = FULL again");
      });
    });

    it("a claim racing a transaction on the same store waits for it and commits on its own", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { clock } = testClock();
        const jobs = createJobQueue(store.db, store.dialect, { clock, native: store.native });
        await jobs.enqueue(store.db, { queue: "q", payload: "a" });
        let claimedInside: unknown[] | undefined;
        await assert.rejects(
          store.db.transaction().execute(async (trx) => {
            await jobs.enqueue(trx, { queue: "q", payload: "rolled back" });
            // Started while the transaction holds SQLite's one connection: it must wait, not run inside it.
            void jobs.claim("q", { worker: "w", leaseMs: 30_000, limit: 10 }).then((claimed) => (claimedInside = claimed.map((j) => j.payload)));
            await new Promise((resolve) => setTimeout(resolve, 20));
            if (store.dialect === "sqlite") assert.equal(claimedInside, undefined);
            throw new Error("roll back");
          }),
          /roll back/,
        );
        for (let i = 0; i < 100 && claimedInside === undefined; i++) await new Promise((resolve) => setTimeout(resolve, 10));
        assert.deepEqual(claimedInside, ["a"], "the claim ran after the rollback and kept only the committed job");
        assert.deepEqual(await jobs.claim("q", { worker: "w", leaseMs: 30_000, limit: 10 }), []);
      });
    });

    it("gives a job whose lease expired to the next claimant; the old holder can no longer finish it", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { clock, advance } = testClock();
        const jobs = createJobQueue(store.db, store.dialect, { clock, native: store.native });
        const { id } = await jobs.enqueue(store.db, { queue: "q", payload: {} });
        assert.equal((await jobs.claim("q", { worker: "crashed", limit: 1, leaseMs: 1000 })).length, 1);
        advance(999);
        assert.deepEqual(await jobs.claim("q", { worker: "fresh", limit: 1, leaseMs: 1000 }), [], "still leased");
        advance(1);
        const [again] = await jobs.claim("q", { worker: "fresh", limit: 1, leaseMs: 1000 });
        assert.equal(again?.id, id);
        assert.equal(again?.attempts, 2);
        assert.equal(await jobs.complete(id, "crashed"), false, "the old holder's late report is ignored");
        assert.equal(await jobs.fail(id, "crashed", new Error("late")), null);
        assert.equal(await jobs.complete(id, "fresh"), true);
        const done = await jobs.get(id);
        assert.equal(done.state, "done");
        assert.equal(done.finishedAt, clock().toISOString());
        assert.equal(await jobs.complete(id, "fresh"), false, "completing twice is a no-op");
      });
    });

    it("retries with exponential backoff, dead-letters after maxAttempts, and retries dead jobs on request", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { clock, advance } = testClock();
        // rng 0: the full, un-jittered delay, so the schedule is exact.
        const jobs = createJobQueue(store.db, store.dialect, { clock, rng: () => 0, backoff: { baseMs: 1000, maxMs: 60_000 } });
        const { id } = await jobs.enqueue(store.db, { queue: "q", payload: { n: 1 }, maxAttempts: 3 });
        const claimOne = () => jobs.claim("q", { worker: "w", limit: 1, leaseMs: 10_000 });

        const waits: number[] = [];
        for (let attempt = 1; attempt <= 2; attempt++) {
          const [job] = await claimOne();
          assert.equal(job?.attempts, attempt);
          const failedAt = clock().getTime();
          const result = await jobs.fail(id, "w", new Error(`boom ${attempt}`));
          assert.equal(result?.state, "ready");
          const retryAt = Date.parse((result as { retryAt: string }).retryAt);
          waits.push(retryAt - failedAt);
          advance(retryAt - failedAt - 1);
          assert.deepEqual(await claimOne(), [], "not before the backoff ends");
          advance(1);
        }
        assert.deepEqual(waits, [1000, 2000]);
        const failed = await jobs.get(id);
        assert.equal(failed.state, "ready");
        assert.match(failed.lastError ?? "", /boom 2/);

        await claimOne();
        assert.deepEqual(await jobs.fail(id, "w", "a string reason"), { state: "dead" });
        advance(3_600_000);
        assert.deepEqual(await claimOne(), [], "dead jobs are never claimed");
        const dead = await jobs.listDead("q");
        assert.deepEqual(dead.map((j) => [j.id, j.attempts, j.lastError]), [[id, 3, "a string reason"]]);
        assert.equal((await jobs.stats()).find((s) => s.queue === "q")?.dead, 1);

        const revived = await jobs.retryDead(id);
        assert.deepEqual([revived.state, revived.attempts, revived.finishedAt], ["ready", 0, null]);
        assert.deepEqual(await jobs.listDead("q"), []);
        await assert.rejects(jobs.retryDead(id), isCode("CONFLICT"));
        await assert.rejects(jobs.retryDead("no-such-job"), isCode("NOT_FOUND"));
        const [back] = await claimOne();
        assert.equal(back?.attempts, 1, "a retried dead job gets its full attempts again");
        assert.equal(await jobs.complete(id, "w"), true);
      });
    });

    it("dead-letters a job whose worker keeps dying on it (a poison job) instead of delivering it forever", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { clock, advance } = testClock();
        const jobs = createJobQueue(store.db, store.dialect, { clock, native: store.native });
        const { id } = await jobs.enqueue(store.db, { queue: "q", payload: "poison", maxAttempts: 2 });
        for (let i = 0; i < 2; i++) {
          assert.equal((await jobs.claim("q", { worker: `w${i}`, limit: 1, leaseMs: 1000 })).length, 1);
          advance(1000); // the worker is killed; its lease runs out
        }
        assert.deepEqual(await jobs.claim("q", { worker: "w2", limit: 1, leaseMs: 1000 }), []);
        const [dead] = await jobs.listDead("q");
        assert.equal(dead?.id, id);
        assert.equal(dead?.attempts, 2);
        assert.match(dead?.lastError ?? "", /lease expired/);
      });
    });

    it("delivers at least once; an idempotent handler makes the effect exactly once", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { clock, advance } = testClock();
        const jobs = createJobQueue(store.db, store.dialect, { clock, native: store.native });
        await sql`create table effects (job_key text primary key, worker text not null)`.execute(store.db);
        // The handler's write is keyed by the job key: a second delivery inserts nothing.
        const handler = (job: { key: string }, worker: string) =>
          store.db.insertInto("effects").values({ job_key: job.key, worker }).onConflict((oc) => oc.column("job_key").doNothing()).execute();

        await jobs.enqueue(store.db, { queue: "q", payload: {}, key: "event-1" });
        const [first] = await jobs.claim("q", { worker: "a", limit: 1, leaseMs: 1000 });
        await handler(first!, "a");
        // Worker "a" dies here, after the effect and before `complete`.
        advance(1000);
        const [second] = await jobs.claim("q", { worker: "b", limit: 1, leaseMs: 1000 });
        assert.equal(second?.id, first?.id, "delivered again");
        await handler(second!, "b");
        assert.equal(await jobs.complete(second!.id, "b"), true);

        const effects = await store.db.selectFrom("effects").selectAll().execute();
        assert.deepEqual(effects, [{ job_key: "event-1", worker: "a" }], "one effect, from the first delivery");
      });
    });

    it("never gives the same job to two concurrent claimants", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store, database) => {
        const jobs = createJobQueue(store.db, store.dialect);
        await jobs.enqueueMany(store.db, Array.from({ length: 500 }, (_, i) => ({ queue: "q", payload: i })));
        // Two stores: separate connections (separate pools on PostgreSQL), as two processes would have.
        const other = await openStore(database.url);
        try {
          const queues = [jobs, createJobQueue(other.db, other.dialect)];
          const claimed: string[] = [];
          const perClaimant = new Map<string, number>();
          await Promise.all(
            Array.from({ length: 8 }, async (_, i) => {
              const worker = `w${i}`;
              for (;;) {
                const batch = await queues[i % 2]!.claim("q", { worker, limit: 7, leaseMs: 60_000 });
                if (batch.length === 0) return;
                for (const job of batch) claimed.push(job.id);
                perClaimant.set(worker, (perClaimant.get(worker) ?? 0) + batch.length);
              }
            }),
          );
          assert.equal(claimed.length, 500);
          assert.equal(new Set(claimed).size, 500, "no job claimed twice");
          assert.ok(perClaimant.size > 1, "the work was shared");
          const rows = await store.db.selectFrom("jobs").select(["attempts", "state"]).execute();
          assert.ok(rows.every((row) => Number(row.attempts) === 1 && row.state === "running"));
        } finally {
          await other.close();
        }
      });
    });

    it("reports depth per state and the oldest ready age per queue", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { clock, advance } = testClock();
        const jobs = createJobQueue(store.db, store.dialect, { clock, native: store.native });
        assert.deepEqual(await jobs.stats(), []);
        await jobs.enqueueMany(store.db, [
          { queue: "a", payload: 1 },
          { queue: "a", payload: 2 },
          { queue: "a", payload: 3 },
          { queue: "b", payload: 4, runAt: new Date(start + 60_000) },
        ]);
        advance(5000);
        const [job] = await jobs.claim("a", { worker: "w", limit: 1, leaseMs: 1000 });
        await jobs.complete(job!.id, "w");
        await jobs.claim("a", { worker: "w", limit: 1, leaseMs: 1000 });
        assert.deepEqual(await jobs.stats(), [
          { queue: "a", ready: 1, running: 1, done: 1, dead: 0, oldestReadyAgeMs: 5000 },
          { queue: "b", ready: 1, running: 0, done: 0, dead: 0, oldestReadyAgeMs: null },
        ]);
      });
    });
  });
}
