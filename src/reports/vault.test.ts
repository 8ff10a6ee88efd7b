// Reports over the real evidence vault (src/evidence): the report waits for
// the vault to gather the case's files, uploads the decrypted bytes with the
// vault's hashes, every read is audited with the report as its reason, and
// NCMEC's acceptance starts the vault's retention clock.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { Kysely } from "kysely";
import { loadConfig } from "../config/index.js";
import { createLocalStorage } from "../evidence/index.js";
import { createServices } from "../services.js";
import { dialects, withStore } from "../store/testing.js";
import { startNcmecMock } from "../../test/support/ncmec-server.js";
import { schemaErrors } from "../../test/support/xmllint.js";

for (const dialect of dialects) {
  describe(`reports over the evidence vault (${dialect})`, () => {
    it("waits for the case's evidence, then files the vault's files with their hashes and starts retention", async (t) => {
      await withStore(dialect, t.skip.bind(t), async (store) => {
        const dir = mkdtempSync(join(tmpdir(), "lapwing-report-vault-"));
        const mock = await startNcmecMock({ username: "u", password: "p" });
        const config = loadConfig({
          env: {},
          overrides: {
            logLevel: "silent",
            ncmecUrl: mock.url,
            ncmecUsername: "u",
            ncmecPassword: "p",
            ncmecReporterEmail: "safety@social.example",
            evidenceMasterKey: randomBytes(32).toString("base64"),
          },
        });
        const services = createServices(config, store, { databaseId: 1, evidenceStorage: createLocalStorage(dir) });
        try {
          const accountId = "vault-account";
          const { caseId } = await store.db.transaction().execute((trx) =>
            services.cases.attach(trx as unknown as Kysely<unknown>, { accountId, decisionId: "d-vault", priority: "urgent", restricted: true, reportRequested: true, reason: "stand-in" }),
          );
          await services.cases.decide(caseId, { actor: "user:csr", canSeeRestricted: true }, { decision: "confirm", category: "csam" }, { claimIfFree: true });
          const reportId = (await services.reports.forCase(caseId))[0]!.id;

          // The vault has not gathered anything yet: the report waits, saying why.
          await assert.rejects(services.reports.process(reportId), /has not gathered/);
          const waiting = await services.reports.get(reportId);
          assert.equal(waiting.state, "draft");
          assert.equal(waiting.lastErrorCode, "EVIDENCE_PENDING");
          assert.equal(mock.log.length, 0);

          const bytes = Buffer.from("synthetic stand-in content preserved by the vault");
          await services.evidence.store({ caseId, accountId, kind: "content", bytes, contentId: "m1", targetType: "media", fileName: "m1.jpg", source: "event_bytes", trigger: "case.confirm", publishedAt: "2026-02-01T10:00:00Z", actor: "system", pdq: null });
          const other = Buffer.from("synthetic stand-in content nobody revealed");
          await services.evidence.store({ caseId, accountId, kind: "content", bytes: other, contentId: "m2", targetType: "media", fileName: "m2.jpg", source: "event_bytes", trigger: "case.confirm", publishedAt: null, actor: "system", pdq: null });
          await services.evidence.store({ caseId, accountId, kind: "signals", bytes: Buffer.from("{}"), source: "lapwing", trigger: "case.confirm", actor: "system", fileName: "signals.json" });

          // A reviewer un-blurred m1 in the console (what POST /v1/console/reveals records), never m2.
          await services.audit.record(store.db, { actor: "user:csr", action: "media.reveal", target: { type: "case", id: caseId }, details: { caseId, contentId: "m1", kind: "media" } });

          assert.equal((await services.reports.process(reportId)).state, "finished");
          const [filed] = mock.finished();
          assert.deepEqual(filed!.files.map((f) => f.name).sort(), ["m1.jpg", "m2.jpg"], "only content is uploaded, not the vault's JSON items");
          const m1 = filed!.files.find((f) => f.name === "m1.jpg")!;
          assert.equal(m1.bytes.toString(), bytes.toString());
          const details = m1.details[0]!;
          assert.deepEqual(schemaErrors(details), []);
          assert.match(details, new RegExp(`<originalFileHash hashType="SHA256">${createHash("sha256").update(bytes).digest("hex")}</originalFileHash>`));
          assert.match(details, /<fileViewedByEsp>true<\/fileViewedByEsp>/);
          const unrevealed = filed!.files.find((f) => f.name === "m2.jpg")!.details[0]!;
          assert.deepEqual(schemaErrors(unrevealed), []);
          assert.match(unrevealed, /<fileViewedByEsp>false<\/fileViewedByEsp>/);

          const reads = await services.audit.list({ action: "evidence.read" });
          assert.ok(reads.length >= 1 && reads.every((e) => e.actor === "system" && JSON.stringify(e.details).includes("CyberTipline")), "each read is audited with the report as its reason");
          const retention = await services.audit.list({ action: "evidence.retention" });
          assert.equal(retention.length, 1, "NCMEC's acceptance started the retention clock");
        } finally {
          await services.close();
          await mock.close();
          rmSync(dir, { recursive: true, force: true });
        }
      });
    });
  });
}
