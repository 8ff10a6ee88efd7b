// Issue 13's "done when": a confirmed case's CyberTipline report survives the
// report worker being SIGKILLed at every step of NCMEC's flow (submit, upload
// file 1, its details, upload file 2, its details, finish), each time just
// after the local NCMEC server applied the request and before its answer
// arrived (the worst moment: NCMEC did it, Lapwing does not know). A new
// worker resumes, and NCMEC ends with exactly one finished report for the
// case, holding each file once with its details, finished once. Real
// processes, on a SQLite file and on PostgreSQL.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import type { Kysely } from "kysely";
import { loadConfig } from "../../src/config/index.js";
import { createServices } from "../../src/services.js";
import { migrateToLatest, openStore } from "../../src/store/index.js";
import { createTestDatabase, dialects, dialectUnavailable } from "../../src/store/testing.js";
import { startNcmecMock, type MockReport } from "../support/ncmec-server.js";
import { standInVault } from "../support/stand-in-vault.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const credentials = { username: "esp-crash-test", password: "crash-test-password" };
/** The flow for a report with two files. */
const steps = ["submit", "upload", "fileinfo", "upload", "fileinfo", "finish"] as const;

function startWorker(env: Record<string, string>): { child: ChildProcess; exited: Promise<number | null>; output: () => string } {
  const child = spawn(process.execPath, ["--import", "tsx", "test/support/report-worker.ts"], { cwd: root, env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

async function until(what: string, check: () => Promise<boolean> | boolean, output: () => string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}; worker output:\n${output()}`);
    await sleep(50);
  }
}

for (const dialect of dialects) {
  describe(`CyberTipline report survives SIGKILL at every step (${dialect})`, () => {
    it("files exactly one report per case, each file once, finished once", async (t) => {
      const unavailable = await dialectUnavailable(dialect);
      if (unavailable) return t.skip(unavailable);
      const database = await createTestDatabase(dialect);
      const mock = await startNcmecMock(credentials);
      const env = {
        LAPWING_DATABASE_URL: database.url,
        LAPWING_LOG_LEVEL: "silent",
        LAPWING_NCMEC_URL: mock.url,
        LAPWING_NCMEC_USERNAME: credentials.username,
        LAPWING_NCMEC_PASSWORD: credentials.password,
        LAPWING_NCMEC_REPORTER_EMAIL: "safety@social.example",
        LAPWING_REPORTS_LEASE_SECONDS: "1",
        LAPWING_NCMEC_MAX_ATTEMPTS: "50",
      };
      const store = await openStore(database.url);
      await migrateToLatest(store.db);
      const config = loadConfig({ env });
      const services = createServices(config, store, { databaseId: 1, reportFiles: standInVault() });
      const reviewer = { actor: "user:crash-reviewer", canSeeRestricted: true };
      const summary: string[] = [];
      try {
        for (let k = 1; k <= steps.length; k++) {
          const accountId = `crash-account-${k}`;
          const { caseId } = await store.db.transaction().execute((trx) =>
            services.cases.attach(trx as unknown as Kysely<unknown>, { accountId, decisionId: `d-${k}`, priority: "urgent", restricted: true, reportRequested: true, reason: "stand-in match" }),
          );
          await services.cases.decide(caseId, reviewer, { decision: "confirm", category: "csam" }, { claimIfFree: true });
          const reportId = (await services.reports.forCase(caseId))[0]!.id;

          let seen = 0;
          let killed = false;
          const first = startWorker(env);
          mock.onApplied = () => {
            seen++;
            if (seen !== k || killed) return undefined;
            killed = true;
            first.child.kill("SIGKILL");
            return "drop";
          };
          await until(`the kill at step ${k} (${steps[k - 1]})`, () => killed, first.output);
          await first.exited;
          mock.onApplied = undefined;
          const atKill = await services.reports.get(reportId);
          assert.notEqual(atKill.state, "finished", `step ${k}: killed before the report was recorded as finished`);

          const second = startWorker(env);
          await until(`report ${reportId} to finish after the kill at step ${k}`, async () => (await services.reports.get(reportId)).state === "finished", second.output);
          second.child.kill("SIGTERM");
          assert.equal(await second.exited, 0, second.output());

          const ours = [...mock.reports.values()].filter((r: MockReport) => r.xml.includes(`<espIdentifier>${accountId}</espIdentifier>`));
          const finished = ours.filter((r) => r.state === "finished");
          assert.equal(finished.length, 1, `step ${k}: exactly one finished NCMEC report`);
          const report = await services.reports.get(reportId);
          assert.equal(report.ncmecReportId, finished[0]!.reportId, `step ${k}: Lapwing records the finished one`);
          assert.deepEqual(
            finished[0]!.files.map((f) => f.bytes.toString()),
            ["synthetic stand-in file one", "synthetic stand-in file two"],
            `step ${k}: each file once, in order`,
          );
          assert.ok(finished[0]!.files.every((f) => f.details.length >= 1), `step ${k}: each file has its details`);
          const finishes = mock.log.filter((l) => l.operation === "finish" && l.responseCode === 0 && ours.some((r) => r.reportId === l.reportId));
          assert.equal(finishes.length, 1, `step ${k}: one finish accepted`);
          // Killed with the submit's answer unrecorded: the resumed worker records the loss for reviewers, once; no other kill is a lost submit.
          assert.equal(report.lostSubmits.length, steps[k - 1] === "submit" ? 1 : 0, `step ${k}: lost submits recorded`);
          if (steps[k - 1] === "submit") assert.match(report.notice ?? "", /previous submit's answer was lost.*NCMEC deletes unfinished reports after about a day/);
          const submits = ours.length;
          summary.push(`step ${k} (${steps[k - 1]}): NCMEC reports opened ${submits}, finished 1, abandoned ${report.abandonedNcmecReportIds.length}`);
        }
        t.diagnostic(summary.join("; "));
      } finally {
        await services.close();
        await store.close();
        await mock.close();
        await database.drop();
      }
    });
  });
}
