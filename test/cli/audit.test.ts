import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { sql, type Kysely } from "kysely";
import { createAuditLog, createAuditRepository, type AuditEntry, type AuditTables } from "../../src/audit/index.js";
import { migrateToLatest, openStore, type Store } from "../../src/store/index.js";
import { runLapwing } from "../support/cli.js";

describe("lapwing audit", () => {
  let dir: string;
  let db: string;
  let entries: AuditEntry[];

  async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
    const store = await openStore(db);
    try {
      await migrateToLatest(store.db);
      return await fn(store);
    } finally {
      await store.close();
    }
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "lapwing-audit-cli-"));
    db = `sqlite:${join(dir, "audit.sqlite")}`;
    entries = await withStore(async (store) => {
      const audit = createAuditLog(createAuditRepository(store.db as Kysely<AuditTables>));
      const recorded: AuditEntry[] = [];
      for (let i = 0; i < 5; i++) {
        recorded.push(await audit.record(store.db, { actor: "cli", action: i % 2 ? "bank.create" : "key.create", target: { type: "bank", id: `B${i}` }, details: { i } }));
      }
      return recorded;
    });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("verifies an intact log (exit 0) and lists it newest first", async () => {
    const verified = await runLapwing(["--database", db, "audit", "verify"]);
    assert.equal(verified.code, 0, verified.stderr);
    assert.match(verified.stdout, /Audit log intact: 5 entries checked/);
    assert.ok(verified.stdout.includes(`Head: ${entries[4]!.position}:${entries[4]!.hash}`), verified.stdout);

    const json = await runLapwing(["--database", db, "audit", "verify", "--json", "--anchor", `${entries[2]!.position}:${entries[2]!.hash}`]);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), { ok: true, checked: 5, head: { position: entries[4]!.position, hash: entries[4]!.hash } });

    const listed = await runLapwing(["--database", db, "audit", "list", "--action", "bank.create", "--limit", "5", "--json"]);
    assert.equal(listed.code, 0, listed.stderr);
    const lines = listed.stdout.trim().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((e) => e.details.i), [3, 1]);
    assert.deepEqual(lines[0].target, { type: "bank", id: "B3" });
  });

  it("exits 4 naming the position when an entry was edited", async () => {
    await withStore(async (store) => {
      await sql.raw("drop trigger audit_log_no_update").execute(store.db);
      await sql`update audit_log set details = '{"i":99}' where position = ${entries[3]!.position}`.execute(store.db);
    });
    const tampered = await runLapwing(["--database", db, "audit", "verify"]);
    assert.equal(tampered.code, 4, tampered.stderr);
    assert.match(tampered.stderr, new RegExp(`TAMPERED at position ${entries[3]!.position}: .*edited`));
    assert.equal(tampered.stdout, "");

    const json = await runLapwing(["--database", db, "audit", "verify", "--json"]);
    assert.equal(json.code, 4);
    const result = JSON.parse(json.stdout);
    assert.equal(result.ok, false);
    assert.equal(result.firstBadPosition, entries[3]!.position);

    const badAnchor = await runLapwing(["--database", db, "audit", "verify", "--anchor", "12"]);
    assert.equal(badAnchor.code, 1);
    assert.match(badAnchor.stderr, /POSITION:HASH/);
  });
});
