// Kill `lapwing events send` with SIGKILL while it is sending a large file:
// every stored event must have its processing job (they commit together),
// only whole batches are stored, and re-sending the file stores the rest with
// the stored ones counted as duplicates.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { sql, type Kysely } from "kysely";
import { migrateToLatest, openStore } from "../../src/store/index.js";
import { createTestDatabase, dialects, postgresUnavailable } from "../../src/store/testing.js";
import { spawnLapwing, waitFor } from "../support/cli.js";

const total = 20_000;
const batch = 200;

function spawnEventsSend(databaseUrl: string, file: string) {
  return spawnLapwing(["--database", databaseUrl, "events", "send", file, "--batch", String(batch), "--json"]);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function counts(db: Kysely<any>): Promise<{ events: number; jobs: number }> {
  const events = await sql<{ n: string | number }>`select count(*) as n from events`.execute(db);
  const jobs = await sql<{ n: string | number }>`select count(*) as n from jobs where queue = 'events'`.execute(db);
  return { events: Number(events.rows[0]!.n), jobs: Number(jobs.rows[0]!.n) };
}

for (const dialect of dialects) {
  describe(`events send killed mid-way (${dialect})`, () => {
    it("keeps whole batches with their jobs, and a re-send completes the file exactly once", async (t) => {
      const unavailable = dialect === "postgres" ? await postgresUnavailable() : null;
      if (unavailable) return t.skip(unavailable);
      const dir = mkdtempSync(join(tmpdir(), "lapwing-events-crash-"));
      const file = join(dir, "events.jsonl");
      const lines: string[] = [];
      for (let i = 0; i < total; i++) {
        lines.push(JSON.stringify({ id: `evt-${i}`, type: "post.created", occurred_at: "2026-01-01T00:00:00Z", post: { id: `p${i}`, author_id: `a${i % 500}`, text: `post number ${i}` } }));
      }
      writeFileSync(file, lines.join("\n") + "\n");
      const database = await createTestDatabase(dialect);
      const store = await openStore(database.url);
      await migrateToLatest(store.db);
      try {
        const child = spawnEventsSend(database.url, file);
        let stderr = "";
        child.stderr!.on("data", (d) => (stderr += d));
        const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
        await waitFor(
          "the first batches to be stored",
          async () => {
            if (child.exitCode !== null) throw new Error(`send finished before it could be killed:\n${stderr}`);
            return (await counts(store.db)).events >= batch * 3 ? true : undefined;
          },
          { timeoutMs: 60_000, intervalMs: 10 },
        );
        child.kill("SIGKILL");
        await exited;

        const afterKill = await counts(store.db);
        assert.ok(afterKill.events < total, `killed mid-way (${afterKill.events} stored)`);
        assert.equal(afterKill.jobs, afterKill.events, "every stored event has its job, and no job lacks its event");
        assert.equal(afterKill.events % batch, 0, "only whole batches were stored");

        const rerun = spawnEventsSend(database.url, file);
        let stdout = "";
        rerun.stdout!.on("data", (d) => (stdout += d));
        rerun.stderr!.on("data", (d) => (stderr += d));
        await new Promise<void>((resolve) => rerun.on("exit", () => resolve()));
        const summary = JSON.parse(stdout.trim()) as { accepted: number; duplicates: number; errors: unknown[] };
        assert.deepEqual([summary.accepted, summary.duplicates, summary.errors.length], [total - afterKill.events, afterKill.events, 0], stderr);
        assert.deepEqual(await counts(store.db), { events: total, jobs: total });
      } finally {
        await store.close();
        await database.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
