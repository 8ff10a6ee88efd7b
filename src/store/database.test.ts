import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { sql } from "kysely";
import { migrateToLatest, openStore } from "./index.js";

describe("SQLite store shared by several processes", () => {
  it("a transaction that reads then writes waits for another process's write lock instead of failing with 'database is locked'", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lapwing-sqlite-lock-"));
    const file = join(dir, "shared.sqlite");
    try {
      const setup = await openStore(`sqlite:${file}`);
      await migrateToLatest(setup.db);
      const initial = (await sql<{ value: number }>`select value from counters where name = 'seq'`.execute(setup.db)).rows[0]!.value;
      await setup.close();
      // Another process takes the write lock and holds it for a moment, as a second `lapwing` command would.
      const holder = spawn(
        process.execPath,
        ["-e", `const D = require("better-sqlite3"); const d = new D(${JSON.stringify(file)}); d.exec("begin immediate"); d.exec("update counters set value = value + 1 where name = 'seq'"); console.log("held"); setTimeout(() => { d.exec("commit"); process.exit(0); }, 500);`],
        { stdio: ["ignore", "pipe", "inherit"] },
      );
      await new Promise((resolve) => holder.stdout!.once("data", resolve));
      const store = await openStore(`sqlite:${file}`);
      try {
        const before = await store.db.transaction().execute(async (trx) => {
          const row = await sql<{ value: number }>`select value from counters where name = 'seq'`.execute(trx);
          await sql`update counters set value = value + 1 where name = 'seq'`.execute(trx);
          return row.rows[0]!.value;
        });
        const after = await sql<{ value: number }>`select value from counters where name = 'seq'`.execute(store.db);
        assert.equal(before, initial + 1, "it began after the other process committed, so it read that write");
        assert.equal(after.rows[0]!.value, initial + 2);
      } finally {
        await store.close();
        await new Promise((resolve) => (holder.exitCode === null ? holder.once("exit", resolve) : resolve(undefined)));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("runs in WAL mode, with synchronous FULL unless NORMAL is asked for", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lapwing-sqlite-sync-"));
    try {
      // PRAGMA synchronous reads back 2 for FULL and 1 for NORMAL.
      for (const [option, expected] of [[undefined, 2], ["full", 2], ["normal", 1]] as const) {
        const store = await openStore(`sqlite:${join(dir, `${option ?? "default"}.sqlite`)}`, option ? { synchronous: option } : {});
        try {
          const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
          const sync = await sql<{ synchronous: number }>`pragma synchronous`.execute(store.db);
          assert.equal(mode.rows[0]!.journal_mode, "wal");
          assert.equal(sync.rows[0]!.synchronous, expected, `synchronous with ${option ?? "no option"}`);
        } finally {
          await store.close();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
