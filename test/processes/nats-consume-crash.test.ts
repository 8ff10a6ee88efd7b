// Kill `lapwing consume nats` with SIGKILL while it is storing a stream of events, then start it
// again: the messages it had not acknowledged come back (after the ack wait) and every event is
// stored exactly once, each with one processing job, and the consumer ends with nothing pending.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { migrateToLatest, openStore } from "../../src/store/index.js";
import { createTestDatabase, dialects, postgresUnavailable } from "../../src/store/testing.js";
import { spawnLapwing } from "../support/cli.js";
import { killOnceStored, storedCounts, syntheticPosts } from "../support/ingest-crash.js";
import { createTestStream, natsUnavailable, testNatsUrl } from "../support/nats.js";

const total = 20_000;
const batch = 200;


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
        await stream.publish(syntheticPosts(total));
        await killOnceStored(spawnLapwing(args), store.db, batch * 3);

        const afterKill = await storedCounts(store.db);
        assert.ok(afterKill.events < total, `killed mid-stream (${afterKill.events} stored)`);
        assert.equal(afterKill.jobs, afterKill.events, "every stored event has its job");

        const rerun = spawnLapwing([...args, "--until-idle", "--json"]);
        let stdout = "";
        rerun.stdout!.on("data", (d) => (stdout += d));
        let stderr = "";
        rerun.stderr!.on("data", (d) => (stderr += d));
        const code = await new Promise<number | null>((resolve) => rerun.on("exit", (c) => resolve(c)));
        assert.equal(code, 0, stderr);
        const summary = JSON.parse(stdout.trim()) as { messages: number; accepted: number; duplicates: number; refused: number };
        assert.equal(summary.accepted, total - afterKill.events, stdout);
        assert.equal(summary.refused, 0);
        // Stored but not acknowledged when killed: delivered again, found to be duplicates.
        assert.equal(summary.messages, summary.accepted + summary.duplicates);
        assert.deepEqual(await storedCounts(store.db), { events: total, jobs: total });
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
