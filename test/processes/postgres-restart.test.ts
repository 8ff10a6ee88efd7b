// `lapwing serve` working through a large batch while its PostgreSQL server is
// crashed and restarted under it (`pg_ctl restart -m immediate`, then a stop
// with a few seconds of downtime and a start): the server keeps running,
// logging and retrying the database errors, and in the end every event is
// processed, every action emitted exactly once and delivered at least once
// with one body. Runs on a throwaway cluster (test/support/postgres-cluster.ts);
// the shared server at 127.0.0.1:5432 is never restarted.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { sql } from "kysely";
import { openStore } from "../../src/store/index.js";
import { startServeProcess, waitFor } from "../support/cli.js";
import { assertExactlyOnce, loadPlan, newWebhookSecret, progress, sendEvents, serveEnv, setUpDetectors, syntheticPdq, writeJsonl } from "../support/enforcement-load.js";
import { clusterUnavailable, startPostgresCluster } from "../support/postgres-cluster.js";
import { startWebhookReceiver } from "../support/webhook-receiver.js";

describe("PostgreSQL restarted under load", () => {
  it("keeps lapwing serve running, and loses, repeats and double-sends nothing", async (t) => {
    const unavailable = clusterUnavailable();
    if (unavailable) return t.skip(unavailable);
    // Cleanups run last-registered first: the server stops before its database does.
    const cleanups: Array<() => unknown> = [];
    t.after(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
    });
    const cluster = await startPostgresCluster();
    cleanups.push(() => cluster.destroy());
    const dir = mkdtempSync(join(tmpdir(), "lapwing-pg-restart-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const secret = newWebhookSecret();
    const receiver = await startWebhookReceiver({ secret });
    cleanups.push(() => receiver.close());

    const csamPdqs = [syntheticPdq(), syntheticPdq()];
    await setUpDetectors(cluster.url, dir, csamPdqs);
    const plan = loadPlan(3000, csamPdqs, "pgr");
    const file = join(dir, "load.jsonl");
    writeJsonl(file, plan.events);

    const server = await startServeProcess(cluster.url, serveEnv(receiver.url, secret));
    // Its structured log (pino, on stdout) and anything on stderr; reading stdout also keeps the pipe from filling.
    let log = "";
    server.child.stdout!.on("data", (d) => (log += d));
    server.child.stderr!.on("data", (d) => (log += d));
    cleanups.push(() => server.stop());
    const store = await openStore(cluster.url);
    cleanups.push(() => store.close());
    // The test's own reads fail while the server is away; a probe then just says "not yet".
    const settled = async <T>(probe: () => Promise<T | undefined>): Promise<T | undefined> => {
      if (server.child.exitCode !== null) throw new Error(`lapwing serve exited (${server.child.exitCode}):\n${log}`);
      try {
        return await probe();
      } catch {
        return undefined;
      }
    };
    const processedAtLeast = (share: number) => () => settled(async () => ((await progress(store.db)).processed >= plan.events.length * share ? true : undefined));

    const started = Date.now();
    // A job whose claim committed just before the database died, its answer lost, stays leased
    // until the lease ends (a minute for events). (Outcomes the worker could not record, it records
    // again itself once the database is back.) Rather than wait out those leases, the test ends any
    // job still running 5 s after the database is back (handling one takes milliseconds). Should such
    // a job still be in hand after all, it is delivered twice, which the invariants below must absorb.
    const expired = new Set<string>();
    const runningSince = new Map<string, number>();
    const endLostLeases = async () => {
      const running = await sql<{ id: string; attempts: number | string }>`select id, attempts from jobs where state = 'running'`.execute(store.db);
      const now = Date.now();
      const lost: string[] = [];
      const current = new Set<string>();
      for (const job of running.rows) {
        const key = `${job.id}:${Number(job.attempts)}`;
        current.add(key);
        if (!runningSince.has(key)) runningSince.set(key, now);
        if (!expired.has(key) && now - runningSince.get(key)! > 5000) lost.push(key);
      }
      for (const key of runningSince.keys()) if (!current.has(key)) runningSince.delete(key);
      for (const key of lost) {
        const [id, attempts] = key.split(":");
        await sql`update jobs set run_at = 0, locked_until = 0 where id = ${id} and state = 'running' and attempts = ${Number(attempts)}`.execute(store.db);
        expired.add(key);
      }
    };

    const sent = await sendEvents(cluster.url, file);
    assert.deepEqual([sent.accepted, sent.duplicates], [plan.events.length, 0]);

    await waitFor("a quarter of the events processed", processedAtLeast(0.25), { timeoutMs: 60_000, intervalMs: 10 });
    await cluster.restartImmediate();
    const afterFirst = await waitFor("progress after the first restart", () => settled(() => progress(store.db)), { timeoutMs: 30_000 });
    assert.ok(afterFirst.processed < plan.events.length, `the first restart came mid-batch (${afterFirst.processed} of ${plan.events.length} processed)`);

    await waitFor("more than half the events processed", processedAtLeast(0.55), { timeoutMs: 60_000, intervalMs: 10 });
    const deliveredBeforeSecond = receiver.acceptedIds().size;
    await cluster.stopImmediate();
    // Down for a while, so the server's polls and deliveries meet a refused connection, not a quick recovery.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    assert.equal(server.child.exitCode, null, "serve stays up while its database is gone");
    await cluster.start();

    await waitFor(
      "every event processed and every action delivered",
      () => settled(async () => {
        await endLostLeases();
        const p = await progress(store.db);
        return p.processed === plan.events.length && p.unfinishedJobs === 0 && receiver.acceptedIds().size >= p.actions ? true : undefined;
      }),
      { timeoutMs: 120_000, intervalMs: 100 },
    );
    assert.equal(server.child.exitCode, null, `serve kept running through both restarts:\n${log}`);
    const warnings = log.split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line) as { level: number; msg: string });
    assert.ok(
      warnings.some((w) => w.level >= 40 && /retry|again/i.test(w.msg)),
      `the database errors were logged as warnings and retried:\n${[...new Set(warnings.map((w) => w.msg))].join("\n")}`,
    );
    await assertExactlyOnce(store.db, plan, receiver);
    t.diagnostic(`elapsed ${Date.now() - started} ms; ${expired.size} leases ended early (left leased by the restarts)`);
    t.diagnostic(
      `first restart at ${afterFirst.processed}/${plan.events.length} processed; second at ${deliveredBeforeSecond}/${plan.expected.actions.size} delivered; ` +
        `${[...receiver.byActionId().values()].filter((d) => d.length > 1).length} actions delivered more than once; ` +
        `${warnings.length} log lines: ${[...new Set(warnings.map((w) => w.msg))].join("; ")}`,
    );

    const exited = new Promise<number | null>((resolve) => server.child.once("exit", (code) => resolve(code)));
    await server.stop();
    assert.equal(await exited, 0, "a clean stop on SIGTERM afterwards");
  });
});
