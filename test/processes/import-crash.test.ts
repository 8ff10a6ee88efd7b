// Kill `lapwing bank import` with SIGKILL half-way through a large file: the
// banks must be exactly as before (no bank, no entries), the database intact,
// and the same import must then succeed.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { sql } from "kysely";
import { createBankRepository, createBankService } from "../../src/banks/index.js";
import { migrateToLatest, openStore } from "../../src/store/index.js";
import { createTestDatabase, dialects, dialectUnavailable } from "../../src/store/testing.js";
import { runLapwing, spawnLapwing, waitFor } from "../support/cli.js";

const rows = 200_000;

for (const dialect of dialects) {
  describe(`bank import killed mid-way (${dialect})`, () => {
    it("leaves no partial bank, and a re-run imports everything", async (t) => {
      const unavailable = await dialectUnavailable(dialect);
      if (unavailable) return t.skip(unavailable);
      const dir = mkdtempSync(join(tmpdir(), "lapwing-import-"));
      const file = join(dir, "bank.csv");
      const lines = ["signal_type,signal,bank,category,note"];
      for (let i = 0; i < rows; i++) lines.push(`pdq,${randomBytes(32).toString("hex")},crash-test,synthetic,row ${i}`);
      writeFileSync(file, lines.join("\n") + "\n");

      const database = await createTestDatabase(dialect);
      const store = await openStore(database.url);
      await migrateToLatest(store.db);
      try {
        const child = spawnLapwing(["--database", database.url, "bank", "import", file]);
        let stderr = "";
        child.stderr!.on("data", (d) => (stderr += d));
        const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));

        // Wait until the import is demonstrably writing inside its transaction.
        await waitFor(
          "the import to be mid-transaction",
          async () => {
            if (child.exitCode !== null) throw new Error(`import finished before it could be killed:\n${stderr}`);
            if (dialect === "sqlite") {
              const wal = database.url.slice("sqlite:".length) + "-wal";
              try {
                return statSync(wal).size > 4 * 1024 * 1024 ? true : undefined;
              } catch {
                return undefined;
              }
            }
            const active = await sql<{ n: string }>`
              select count(*) as n from pg_stat_activity
              where datname = current_database() and pid <> pg_backend_pid() and xact_start is not null
                and now() - xact_start > interval '300 milliseconds'`.execute(store.db);
            return Number(active.rows[0]!.n) > 0 ? true : undefined;
          },
          { timeoutMs: 60_000, intervalMs: 20 },
        );
        child.kill("SIGKILL");
        await exited;

        const banks = createBankService(createBankRepository(store.db));
        assert.deepEqual(await banks.listBanks(), [], "no bank from the killed import");
        const count = await sql<{ n: string | number }>`select count(*) as n from bank_entries`.execute(store.db);
        assert.equal(Number(count.rows[0]!.n), 0, "no entries from the killed import");
        if (dialect === "sqlite") {
          const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(store.db);
          assert.equal(check.rows[0]!.integrity_check, "ok");
        }

        const rerun = await runLapwing(["--database", database.url, "bank", "import", file, "--json"]);
        assert.equal(rerun.code, 0, rerun.stderr);
        const result = JSON.parse(rerun.stdout);
        assert.equal(result.added, rows);
        assert.equal((await banks.listBanks())[0]!.entryCount, rows);
      } finally {
        await store.close();
        await database.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
