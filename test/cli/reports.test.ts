// `lapwing reports`: the exact contract scripts rely on. `reports list --json`
// prints one JSON object per line per report (id, caseId, state,
// ncmecReportId, …); `reports xml ID` prints the report's XML as it will be
// submitted (schema-valid); `show` and `retry` work from the operator's shell.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Kysely } from "kysely";
import { loadConfig } from "../../src/config/index.js";
import { createServices } from "../../src/services.js";
import { migrateToLatest, openStore } from "../../src/store/index.js";
import { createTestDatabase } from "../../src/store/testing.js";
import { runLapwing } from "../support/cli.js";
import { standInVault } from "../support/stand-in-vault.js";
import { schemaErrors } from "../support/xmllint.js";

describe("lapwing reports", () => {
  it("lists reports as JSON lines, prints the XML to be submitted, shows and retries one", async () => {
    const database = await createTestDatabase("sqlite");
    const env = { LAPWING_DATABASE_URL: database.url, LAPWING_LOG_LEVEL: "silent", LAPWING_NCMEC_ESP_SERVICE: "Example Social" };
    const store = await openStore(database.url);
    try {
      await migrateToLatest(store.db);
      const services = createServices(loadConfig({ env }), store, { databaseId: 1, reportFiles: standInVault() });
      const caseIds: string[] = [];
      for (const accountId of ["cli-account-1", "cli-account-2"]) {
        const { caseId } = await store.db.transaction().execute((trx) =>
          services.cases.attach(trx as unknown as Kysely<unknown>, { accountId, decisionId: `d-${accountId}`, priority: "urgent", restricted: true, reportRequested: true, reason: "stand-in" }),
        );
        await services.cases.decide(caseId, { actor: "user:r", canSeeRestricted: true }, { decision: "confirm", category: accountId.endsWith("1") ? "csam" : "sextortion" }, { claimIfFree: true });
        caseIds.push(caseId);
      }
      await services.close();

      const list = await runLapwing(["reports", "list", "--json"], env);
      assert.equal(list.code, 0, list.stderr);
      const lines = list.stdout.trim().split("\n").map((l) => JSON.parse(l) as { id: string; caseId: string; state: string; ncmecReportId: string | null });
      assert.equal(lines.length, 2);
      assert.deepEqual(lines.map((r) => r.caseId).sort(), [...caseIds].sort());
      assert.ok(lines.every((r) => r.state === "draft" && r.ncmecReportId === null && typeof r.id === "string"));

      const sextortion = lines.find((r) => r.caseId === caseIds[1])!;
      const xml = await runLapwing(["reports", "xml", sextortion.id], env);
      assert.equal(xml.code, 0, xml.stderr);
      assert.deepEqual(schemaErrors(xml.stdout), []);
      assert.match(xml.stdout, /<incidentType>Online Enticement of Children for Sexual Acts<\/incidentType>/);
      assert.match(xml.stdout, /<sextortion\/>/);
      assert.match(xml.stdout, /<espIdentifier>cli-account-2<\/espIdentifier>/);

      const show = await runLapwing(["reports", "show", sextortion.id], env);
      assert.equal(show.code, 0, show.stderr);
      assert.match(show.stdout, new RegExp(`Report ${sextortion.id}: draft`));
      const retry = await runLapwing(["reports", "retry", sextortion.id], env);
      assert.equal(retry.code, 0, retry.stderr);
      assert.match(retry.stdout, /queued again/);
      const missing = await runLapwing(["reports", "xml", "no-such-report"], env);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /REPORT_NOT_FOUND|No report has id/);
    } finally {
      await store.close();
      await database.drop();
    }
  });
});
