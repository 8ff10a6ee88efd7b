// Kill `lapwing bank import` with SIGKILL half-way through a large file: the
// banks must be exactly as before (no bank, no visible entry), the database
// intact, and the same import must then succeed and clear the dead import's
// staged rows.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
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

        // Wait until the import has demonstrably staged a good part of the file.
        await waitFor(
          "the import to be half-way",
          async () => {
            if (child.exitCode !== null) throw new Error(`import finished before it could be killed:\n${stderr}`);
            const staged = await sql<{ n: string | number }>`select count(*) as n from bank_entries`.execute(store.db);
            return Number(staged.rows[0]!.n) >= rows / 4 ? true : undefined;
          },
          { timeoutMs: 60_000, intervalMs: 20 },
        );
        child.kill("SIGKILL");
        await exited;

        const banks = createBankService(createBankRepository(store.db));
        assert.deepEqual(await banks.listBanks(), [], "no bank from the killed import");
        const visible = await banks.changesSince(0, Number.MAX_SAFE_INTEGER);
        assert.deepEqual([visible.addedPdq.length, visible.banks.length], [0, 0], "nothing from the killed import in the change feed");
        if (dialect === "sqlite") {
          const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(store.db);
          assert.equal(check.rows[0]!.integrity_check, "ok");
        }

        const rerun = await runLapwing(["--database", database.url, "bank", "import", file, "--json"]);
        assert.equal(rerun.code, 0, rerun.stderr);
        const result = JSON.parse(rerun.stdout);
        assert.equal(result.added, rows);
        assert.equal((await banks.listBanks())[0]!.entryCount, rows);
        const all = await sql<{ n: string | number }>`select count(*) as n from bank_entries`.execute(store.db);
        assert.equal(Number(all.rows[0]!.n), rows, "the killed import's staged rows are gone");
      } finally {
        await store.close();
        await database.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
