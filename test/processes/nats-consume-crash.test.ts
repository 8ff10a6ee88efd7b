// Kill `lapwing consume nats` with SIGKILL while it is storing a stream of events, then start it
// again: the messages it had not acknowledged come back (after the ack wait) and every event is
// stored exactly once, each with one processing job, and the consumer ends with nothing pending.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sql, type Kysely } from "kysely";
import { migrateToLatest, openStore } from "../../src/store/index.js";
import { createTestDatabase, dialects, postgresUnavailable } from "../../src/store/testing.js";
import { spawnLapwing, waitFor } from "../support/cli.js";
import { createTestStream, natsUnavailable, testNatsUrl } from "../support/nats.js";

const total = 20_000;
const batch = 200;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function counts(db: Kysely<any>): Promise<{ events: number; jobs: number }> {
  const events = await sql<{ n: string | number }>`select count(*) as n from events`.execute(db);
  const jobs = await sql<{ n: string | number }>`select count(*) as n from jobs where queue = 'events'`.execute(db);
  return { events: Number(events.rows[0]!.n), jobs: Number(jobs.rows[0]!.n) };
}

for (const dialect of dialects) {
  describe(`consume nats killed mid-stream (${dialect})`, () => {
    it("stores every event exactly once after a restart", async (t) => {
      const unavailable = (await natsUnavailable()) ?? (dialect === "postgres" ? await postgresUnavailable() : null);
      if (unavailable) return t.skip(unavailable);
      const stream = await createTestStream();
      const database = await createTestDatabase(dialect);
      const store = await openStore(database.url);
      await migrateToLatest(store.db);
      const args = ["--database", database.url, "consume", "nats", "--server", testNatsUrl, "--stream", stream.name, "--subject", stream.subject, "--durable", "crash", "--batch", String(batch), "--ack-wait", "2"];
      try {
        const payloads = [];
        for (let i = 0; i < total; i++) payloads.push({ id: `evt-${i}`, type: "post.created", occurred_at: "2026-01-01T00:00:00Z", post: { id: `p${i}`, author_id: `a${i % 500}`, text: `post number ${i}` } });
        await stream.publish(payloads);

        const child = spawnLapwing(args);
        let stderr = "";
        child.stderr!.on("data", (d) => (stderr += d));
        const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
        await waitFor(
          "the first batches to be stored",
          async () => {
            if (child.exitCode !== null) throw new Error(`consume exited before it could be killed:\n${stderr}`);
            return (await counts(store.db)).events >= batch * 3 ? true : undefined;
          },
          { timeoutMs: 60_000, intervalMs: 10 },
        );
        child.kill("SIGKILL");
        await exited;

        const afterKill = await counts(store.db);
        assert.ok(afterKill.events < total, `killed mid-stream (${afterKill.events} stored)`);
        assert.equal(afterKill.jobs, afterKill.events, "every stored event has its job");

        const rerun = spawnLapwing([...args, "--until-idle", "--json"]);
        let stdout = "";
        rerun.stdout!.on("data", (d) => (stdout += d));
        rerun.stderr!.on("data", (d) => (stderr += d));
        const code = await new Promise<number | null>((resolve) => rerun.on("exit", (c) => resolve(c)));
        assert.equal(code, 0, stderr);
        const summary = JSON.parse(stdout.trim()) as { messages: number; accepted: number; duplicates: number; refused: number };
        assert.equal(summary.accepted, total - afterKill.events, stdout);
        assert.equal(summary.refused, 0);
        // Stored but not acknowledged when killed: delivered again, found to be duplicates.
        assert.equal(summary.messages, summary.accepted + summary.duplicates);
        assert.deepEqual(await counts(store.db), { events: total, jobs: total });
        const info = await (await stream.nc.jetstreamManager()).consumers.info(stream.name, "crash");
        assert.deepEqual([info.num_pending, info.num_ack_pending], [0, 0]);
      } finally {
        await store.close();
        await database.drop();
        await stream.drop();
      }
    });
  });
}
