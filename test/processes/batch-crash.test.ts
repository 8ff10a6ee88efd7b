// Kill `lapwing worker` with SIGKILL while it holds a batch of events: the
// batch's signals, decisions, cases, actions and job completions commit in one
// transaction, so at the kill every event is either processed with its job
// done or untouched with its job still leased; a second worker then finishes
// the file and every event's effects exist exactly once. On a SQLite file and
// on PostgreSQL; synthetic stand-in words and random hashes only.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { sql, type Kysely } from "kysely";
import { openStore } from "../../src/store/index.js";
import { createTestDatabase, dialects, dialectUnavailable } from "../../src/store/testing.js";
import { runLapwing, spawnLapwing, waitFor } from "../support/cli.js";
import { expireLeasesOfDeadWorkers, loadPlan, sendEvents, setUpDetectors, syntheticPdq, writeJsonl, type LoadPlan } from "../support/enforcement-load.js";

// Large batches, so that the kill lands inside one.
const workerEnv = { LAPWING_WORKER_BATCH_SIZE: "400", LAPWING_WORKER_POLL_MS: "50", LAPWING_CHANGE_POLL_MS: "200" };
const n = (v: unknown) => Number(v);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

/** Events processed, and event jobs by state. */
async function state(db: Db): Promise<{ processed: number; done: number; running: number; ready: number; dead: number }> {
  const processed = await sql<{ c: unknown }>`select count(*) as c from events where processed_at is not null`.execute(db);
  const jobs = await sql<{ state: string; c: unknown }>`select state, count(*) as c from jobs where queue = 'events' group by state`.execute(db);
  const by = (s: string) => n(jobs.rows.find((r) => r.state === s)?.c ?? 0);
  return { processed: n(processed.rows[0]!.c), done: by("done"), running: by("running"), ready: by("ready"), dead: by("dead") };
}

/** Every event's effects exactly once: decisions, actions (one per key, exactly the planned ones) and cases. */
async function assertEffectsOnce(db: Db, plan: LoadPlan): Promise<void> {
  const unprocessed = await sql<{ c: unknown }>`select count(*) as c from events where processed_at is null`.execute(db);
  assert.equal(n(unprocessed.rows[0]!.c), 0, "every stored event processed");
  const decisions = await sql<{ event_id: string; c: unknown }>`select event_id, count(*) as c from decisions group by event_id`.execute(db);
  assert.deepEqual(new Set(decisions.rows.map((r) => r.event_id)), plan.expected.decisionEventIds, "decisions for exactly the events with signals");
  assert.ok(decisions.rows.every((r) => n(r.c) === 1), "one decision per event");
  const twice = await sql<{ idempotency_key: string }>`select idempotency_key from actions group by idempotency_key having count(*) > 1`.execute(db);
  assert.deepEqual(twice.rows, [], "no action emitted twice");
  const actions = await sql<{ kind: string; target_type: string; target_id: string }>`select kind, target_type, target_id from actions`.execute(db);
  assert.equal(actions.rows.length, plan.expected.actions.size, "as many actions as a clean run");
  assert.deepEqual(new Set(actions.rows.map((a) => `${a.kind} ${a.target_type}:${a.target_id}`)), plan.expected.actions, "exactly the planned actions");
  const cases = await sql<{ account_id: string; c: unknown }>`select account_id, count(*) as c from cases where state <> 'decided' group by account_id`.execute(db);
  assert.deepEqual(new Set(cases.rows.map((r) => r.account_id)), plan.expected.caseAccounts, "a case for exactly the accounts with decisions");
  assert.ok(cases.rows.every((r) => n(r.c) === 1), "one open case per account");
  const audits = await sql<{ c: unknown }>`select count(*) as c from audit_log where action = 'decision.automated'`.execute(db);
  assert.equal(n(audits.rows[0]!.c), plan.expected.decisionEventIds.size, "one audit record per automated decision");
}

for (const dialect of dialects) {
  describe(`event worker killed mid-batch (${dialect})`, () => {
    it("commits each batch whole or not at all, and a second worker leaves every effect exactly once", async (t) => {
      const unavailable = await dialectUnavailable(dialect);
      if (unavailable) return t.skip(unavailable);
      const dir = mkdtempSync(join(tmpdir(), "lapwing-batch-crash-"));
      const database = await createTestDatabase(dialect);
      const store = await openStore(database.url);
      try {
        const csamPdqs = [syntheticPdq(), syntheticPdq()];
        await setUpDetectors(database.url, dir, csamPdqs);
        const plan = loadPlan(4000, csamPdqs, "bat");
        const file = join(dir, "load.jsonl");
        writeJsonl(file, plan.events);
        const sent = await sendEvents(database.url, file, 2000);
        assert.equal(sent.accepted, plan.events.length);

        const worker = spawnLapwing(["--database", database.url, "worker"], workerEnv);
        let log = "";
        worker.stdout!.on("data", (d) => (log += d));
        worker.stderr!.on("data", (d) => (log += d));
        const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
        try {
          // Killed once it has committed some batches and holds another.
          await waitFor(
            "the worker to hold a batch after committing some",
            async () => {
              if (worker.exitCode !== null) throw new Error(`worker exited:\n${log}`);
              const s = await state(store.db);
              return s.processed >= 400 && s.running > 0 ? true : undefined;
            },
            { timeoutMs: 120_000, intervalMs: 5 },
          );
        } finally {
          worker.kill("SIGKILL");
          await exited;
        }
        const atKill = await state(store.db);
        assert.ok(atKill.processed < plan.events.length, `killed mid-way (${atKill.processed} of ${plan.events.length} processed)`);
        assert.equal(atKill.done, atKill.processed, "a job is done exactly when its event's effects are committed (one transaction)");
        assert.equal(atKill.dead, 0);
        const inHand = await expireLeasesOfDeadWorkers(store.db);
        assert.ok(inHand > 0, "the worker held a batch when it was killed");

        const finish = await runLapwing(["--database", database.url, "worker", "--until-idle"], workerEnv);
        assert.equal(finish.code, 0, finish.stderr);
        const end = await state(store.db);
        assert.deepEqual([end.done, end.running, end.ready, end.dead], [end.processed, 0, 0, 0], "every job done, none dead");
        await assertEffectsOnce(store.db, plan);
        t.diagnostic(`killed at ${atKill.processed}/${plan.events.length} processed with ${inHand} jobs in hand`);
      } finally {
        await store.close();
        await database.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
