// Kill `lapwing events send` with SIGKILL while it is sending a large file:
// every stored event must have its processing job (they commit together),
// only whole batches are stored, and re-sending the file stores the rest with
// the stored ones counted as duplicates.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { migrateToLatest, openStore } from "../../src/store/index.js";
import { createTestDatabase, dialects, postgresUnavailable } from "../../src/store/testing.js";
import { spawnLapwing } from "../support/cli.js";
import { killOnceStored, storedCounts, syntheticPosts } from "../support/ingest-crash.js";

const total = 20_000;
const batch = 200;

function spawnEventsSend(databaseUrl: string, file: string) {
  return spawnLapwing(["--database", databaseUrl, "events", "send", file, "--batch", String(batch), "--json"]);
}


for (const dialect of dialects) {
  describe(`events send killed mid-way (${dialect})`, () => {
    it("keeps whole batches with their jobs, and a re-send completes the file exactly once", async (t) => {
      const unavailable = dialect === "postgres" ? await postgresUnavailable() : null;
      if (unavailable) return t.skip(unavailable);
      const dir = mkdtempSync(join(tmpdir(), "lapwing-events-crash-"));
      const file = join(dir, "events.jsonl");
      const lines = syntheticPosts(total).map((post) => JSON.stringify(post));
      writeFileSync(file, lines.join("\n") + "\n");
      const database = await createTestDatabase(dialect);
      const store = await openStore(database.url);
      await migrateToLatest(store.db);
      try {
        await killOnceStored(spawnEventsSend(database.url, file), store.db, batch * 3);

        const afterKill = await storedCounts(store.db);
        assert.ok(afterKill.events < total, `killed mid-way (${afterKill.events} stored)`);
        assert.equal(afterKill.jobs, afterKill.events, "every stored event has its job, and no job lacks its event");
        assert.equal(afterKill.events % batch, 0, "only whole batches were stored");

        const rerun = spawnEventsSend(database.url, file);
        let stdout = "";
        rerun.stdout!.on("data", (d) => (stdout += d));
        let stderr = "";
        rerun.stderr!.on("data", (d) => (stderr += d));
        await new Promise<void>((resolve) => rerun.on("exit", () => resolve()));
        const summary = JSON.parse(stdout.trim()) as { accepted: number; duplicates: number; errors: unknown[] };
        assert.deepEqual([summary.accepted, summary.duplicates, summary.errors.length], [total - afterKill.events, afterKill.events, 0], stderr);
        assert.deepEqual(await storedCounts(store.db), { events: total, jobs: total });
      } finally {
        await store.close();
        await database.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
