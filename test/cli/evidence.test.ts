import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { loadConfig } from "../../src/config/index.js";
import { createServices } from "../../src/services.js";
import { databaseId, migrateToLatest, openStore } from "../../src/store/index.js";
import { runLapwing } from "../support/cli.js";

// Synthetic bytes only.
const keyA = Buffer.alloc(32, 5).toString("base64");
const keyB = Buffer.alloc(32, 6).toString("base64");
const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 13) % 256));

describe("lapwing evidence", () => {
  let dir: string;
  let db: string;
  let env: Record<string, string>;
  let itemId: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "lapwing-evidence-cli-"));
    db = `sqlite:${join(dir, "lapwing.sqlite")}`;
    env = { LAPWING_EVIDENCE_MASTER_KEY: keyA, LAPWING_EVIDENCE_MASTER_KEY_ID: "k1", LAPWING_LOG_LEVEL: "silent" };
    const store = await openStore(db, { create: true });
    await migrateToLatest(store.db);
    const config = loadConfig({ env: {}, overrides: { databaseUrl: db, evidenceMasterKey: keyA } });
    const services = createServices(config, store, { databaseId: await databaseId(store.db) });
    const { item } = await services.evidence.store({ caseId: "case-1", accountId: "acct-1", kind: "content", bytes, source: "platform_upload", trigger: "case.confirm", actor: "cli", fileName: "upload.bin" });
    itemId = item.id;
    await services.close();
    await store.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("has --help naming every subcommand, and each subcommand's own", async () => {
    const top = await runLapwing(["evidence", "--help"]);
    assert.equal(top.code, 0, top.stderr);
    for (const sub of ["list", "show", "hold", "release", "export", "verify", "purge", "rotate-key"]) assert.match(top.stdout, new RegExp(`\\n\\s+${sub}\\b`), sub);
    const verify = await runLapwing(["evidence", "verify", "--help"]);
    assert.match(verify.stdout, /Usage: lapwing evidence verify \[options\] <archive>/);
  });

  it("lists, shows, writes out bytes, holds and releases, with a reason each time", async () => {
    const refused = await runLapwing(["--database", db, "evidence", "list", "--case", "case-1"], env);
    assert.notEqual(refused.code, 0, "a read without --reason is refused");
    const listed = await runLapwing(["--database", db, "evidence", "list", "--case", "case-1", "--reason", "cli test", "--json"], env);
    assert.equal(listed.code, 0, listed.stderr);
    const item = JSON.parse(listed.stdout.trim());
    assert.equal(item.id, itemId);
    assert.equal(item.fileName, "upload.bin");
    const out = join(dir, "item.bin");
    const shown = await runLapwing(["--database", db, "evidence", "show", itemId, "--reason", "cli test", "--out", out, "--json"], env);
    assert.equal(shown.code, 0, shown.stderr);
    assert.deepEqual(readFileSync(out), bytes);
    const held = await runLapwing(["--database", db, "evidence", "hold", "case-1", "--reason", "court order 7", "--json"], env);
    assert.equal(held.code, 0, held.stderr);
    const hold = JSON.parse(held.stdout);
    const released = await runLapwing(["--database", db, "evidence", "release", hold.id, "--reason", "order lifted", "--json"], env);
    assert.equal(released.code, 0, released.stderr);
    assert.ok(JSON.parse(released.stdout).releasedAt);
    const noKey = await runLapwing(["--database", db, "evidence", "show", itemId, "--reason", "x", "--out", out], { LAPWING_LOG_LEVEL: "silent" });
    assert.notEqual(noKey.code, 0);
    assert.match(noKey.stderr, /LAPWING_EVIDENCE_MASTER_KEY.*openssl rand -base64 32/s);
  });

  it("exports an archive that verifies, and verify exits 1 naming what changed", async () => {
    const archive = join(dir, "case-1.tar");
    const exported = await runLapwing(["--database", db, "evidence", "export", "case-1", "--reason", "law-enforcement request 9", "--out", archive, "--json"], env);
    assert.equal(exported.code, 0, exported.stderr);
    assert.equal(JSON.parse(exported.stdout).files, 1);
    const ok = await runLapwing(["evidence", "verify", archive]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^OK/);
    const tar = readFileSync(archive);
    const at = tar.indexOf(bytes.subarray(0, 32));
    tar[at + 100] = tar[at + 100]! ^ 1;
    writeFileSync(archive, tar);
    const bad = await runLapwing(["evidence", "verify", archive]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /MISMATCH[\s\S]*items\/001-.*SHA-256/);
  });

  it("rotates to a new master key, then reads with the new key alone; purge runs and reports", async () => {
    const rotated = await runLapwing(["--database", db, "evidence", "rotate-key", "--json"], { ...env, LAPWING_EVIDENCE_MASTER_KEY: keyB, LAPWING_EVIDENCE_MASTER_KEY_ID: "k2", LAPWING_EVIDENCE_PREVIOUS_KEYS: `k1:${keyA}` });
    assert.equal(rotated.code, 0, rotated.stderr);
    assert.deepEqual(JSON.parse(rotated.stdout), { rewrapped: 1, total: 1, keyId: "k2" });
    const shown = await runLapwing(["--database", db, "evidence", "show", itemId, "--reason", "after rotation", "--json"], { ...env, LAPWING_EVIDENCE_MASTER_KEY: keyB, LAPWING_EVIDENCE_MASTER_KEY_ID: "k2" });
    assert.equal(shown.code, 0, shown.stderr);
    assert.equal(JSON.parse(shown.stdout).keyId, "k2");
    const purged = await runLapwing(["--database", db, "evidence", "purge", "--json"], env);
    assert.equal(purged.code, 0, purged.stderr);
    assert.deepEqual(JSON.parse(purged.stdout), { purgedCases: [], purgedItems: 0, keptByHold: [] });
  });
});
