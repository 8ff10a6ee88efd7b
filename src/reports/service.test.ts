import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Kysely } from "kysely";
import { loadConfig } from "../config/index.js";
import { createServices, type Services } from "../services.js";
import { dialects, withStore } from "../store/testing.js";
import type { Store } from "../store/index.js";
import { startJsonEndpoint, type JsonEndpoint } from "../../test/support/json-endpoint.js";
import { startNcmecMock, type NcmecMock } from "../../test/support/ncmec-server.js";
import { schemaErrors } from "../../test/support/xmllint.js";
import { standInVault } from "../../test/support/stand-in-vault.js";

const credentials = { username: "esp-test-user", password: "s3cret-stand-in-password" };
const reviewer = { actor: "user:reviewer-1", canSeeRestricted: true };

interface World {
  services: Services;
  mock: NcmecMock;
  platform: JsonEndpoint & { failing: boolean };
  vault: ReturnType<typeof standInVault>;
  now: { ms: number };
  /** Opens a case for the account with reportRequested and confirms it; returns the report id. */
  confirmCase(accountId: string, category?: string, reportRequested?: boolean): Promise<string | undefined>;
}

async function withWorld(store: Store, fn: (w: World) => Promise<void>, overrides: Record<string, unknown> = {}): Promise<void> {
  const mock = await startNcmecMock(credentials);
  const state = { failing: false };
  const endpoint = await startJsonEndpoint((request) => {
    if (state.failing) return { status: 503, json: { error: "down" } };
    const accountId = request.url.searchParams.get("accountId");
    return {
      json: {
        screenName: `${accountId}_handle`,
        displayNames: ["Stand In"],
        emails: [{ address: `${accountId}@mail.example`, type: "Home", verified: true }],
        ipCaptureEvents: [{ ipAddress: "192.0.2.44", eventName: "Login", dateTime: "2026-02-01T09:00:00Z" }],
        contentUrls: ["https://social.example/p/1"],
        victims: [{ espIdentifier: "young-1", screenName: "young_one", age: 14 }],
        unknownField: "ignored",
      },
    };
  });
  const platform = Object.assign(endpoint, state) as JsonEndpoint & { failing: boolean };
  Object.defineProperty(platform, "failing", { get: () => state.failing, set: (v: boolean) => void (state.failing = v) });
  const now = { ms: Date.parse("2026-03-01T12:00:00Z") };
  const vault = standInVault();
  const config = loadConfig({
    env: {},
    overrides: {
      databaseUrl: "sqlite::memory:",
      logLevel: "silent",
      ncmecUrl: mock.url,
      ncmecUsername: credentials.username,
      ncmecPassword: credentials.password,
      ncmecReporterEmail: "safety@social.example",
      ncmecEspService: "Example Social",
      accountDetailsUrl: `${endpoint.url}/account-details`,
      accountDetailsToken: "callback-token",
      accountDetailsAllowPrivate: true,
      ncmecMaxAttempts: 3,
      ...overrides,
    },
  });
  const services = createServices(config, store, { databaseId: 1, clock: () => new Date(now.ms), reportFiles: vault });
  const confirmCase = async (accountId: string, category = "csam", reportRequested = true) => {
    const { caseId } = await store.db.transaction().execute((trx) =>
      services.cases.attach(trx as unknown as Kysely<unknown>, { accountId, decisionId: `d-${accountId}`, priority: "high", restricted: true, reportRequested, reason: "stand-in match" }),
    );
    await services.cases.decide(caseId, reviewer, { decision: "confirm", category }, { claimIfFree: true });
    return (await services.reports.forCase(caseId))[0]?.id;
  };
  try {
    await fn({ services, mock, platform, vault, now, confirmCase });
  } finally {
    await services.close();
    await mock.close();
    await endpoint.close();
  }
}

for (const dialect of dialects) {
  describe(`CyberTipline reports (${dialect})`, () => {
    it("a confirmed case files one report through the whole flow: submit, each file and its details, finish", async (t) => {
      await withStore(dialect, t.skip.bind(t), (store) =>
        withWorld(store, async ({ services, mock, platform, confirmCase }) => {
          const id = await confirmCase("acct-1");
          assert.ok(id, "a report was created at confirmation");
          const draft = await services.reports.get(id);
          assert.equal(draft.state, "draft");
          assert.equal((await services.queue.stats()).find((q) => q.queue === "reports")?.ready, 1, "its job is queued with it");
          // Before anything is sent, the XML preview is already schema-valid.
          assert.deepEqual(schemaErrors(await services.reports.xml(id)), []);

          const done = await services.reports.process(id);
          assert.equal(done.state, "finished");
          assert.ok(done.ncmecReportId);
          const [filed, ...others] = mock.finished();
          assert.equal(others.length, 0);
          assert.equal(filed!.reportId, done.ncmecReportId);
          assert.deepEqual(filed!.files.map((f) => f.bytes.toString()), ["synthetic stand-in file one", "synthetic stand-in file two"]);
          assert.ok(filed!.files.every((f) => f.details.length === 1 && schemaErrors(f.details[0]!).length === 0));
          assert.match(filed!.files[1]!.details[0]!, /<possibleSelfProduction\/>/);
          assert.match(filed!.files[0]!.details[0]!, /<originalFileHash hashType="PDQ">a{64}<\/originalFileHash>/);
          // The submitted XML is what `reports xml` prints, and carries what the platform's callback gave.
          assert.equal(await services.reports.xml(id), filed!.xml);
          assert.match(filed!.xml, /<screenName>acct-1_handle<\/screenName>/);
          assert.match(filed!.xml, /<email type="Home" verified="true">acct-1@mail\.example<\/email>/);
          assert.match(filed!.xml, /<ipAddress>192\.0\.2\.44<\/ipAddress>/);
          assert.match(filed!.xml, /<victim>/);
          assert.equal(platform.requests[0]!.headers.authorization, "Bearer callback-token");
          const detail = await services.reports.get(id);
          assert.deepEqual(detail.files.map((f) => f.state), ["details_sent", "details_sent"]);
          assert.deepEqual(detail.history.map((h) => h.kind), ["created", "prepared", "submit.sent", "submitted", "file.uploaded", "file.details_sent", "file.uploaded", "file.details_sent", "finished"]);
          // Processing again (a redelivered job) sends nothing more.
          const before = mock.log.length;
          await services.reports.process(id);
          assert.equal(mock.log.length, before);
        }),
      );
    });

    it("each file says whether a reviewer revealed it in this case, and carries the decision's industry classification", async (t) => {
      await withStore(dialect, t.skip.bind(t), (store) =>
        withWorld(store, async ({ services, mock }) => {
          const open = (accountId: string) =>
            store.db.transaction().execute((trx) =>
              services.cases.attach(trx as unknown as Kysely<unknown>, { accountId, decisionId: `d-${accountId}`, priority: "high", restricted: true, reportRequested: true, reason: "stand-in match" }),
            );
          const { caseId } = await open("acct-revealed");
          const { caseId: otherCaseId } = await open("acct-other");
          // What the console's POST /v1/console/reveals writes (src/media-preview): media-1 revealed in this case,
          // media-2 only in another case, which says nothing about this one.
          const reveal = (inCase: string, contentId: string) =>
            services.audit.record(store.db, { actor: reviewer.actor, action: "media.reveal", target: { type: "case", id: inCase }, details: { caseId: inCase, contentId, kind: "media" } });
          await reveal(caseId, "media-1");
          await reveal(otherCaseId, "media-2");
          await services.cases.decide(caseId, reviewer, { decision: "confirm", category: "csam", industryClassification: "A2" }, { claimIfFree: true });
          const id = (await services.reports.forCase(caseId))[0]!.id;
          assert.equal((await services.reports.process(id)).state, "finished");
          const details = mock.finished()[0]!.files.map((f) => f.details[0]!);
          assert.equal(details.length, 2);
          assert.deepEqual(details.map((d) => schemaErrors(d)), [[], []]);
          assert.match(details[0]!, /<fileViewedByEsp>true<\/fileViewedByEsp>/);
          assert.match(details[1]!, /<fileViewedByEsp>false<\/fileViewedByEsp>/);
          assert.ok(details.every((d) => /<industryClassification>A2<\/industryClassification>/.test(d)));
          const history = (await services.cases.get(caseId, reviewer)).history.find((h) => h.kind === "decided");
          assert.equal(history?.details.industryClassification, "A2");
        }),
      );
    });

    it("sends no industry classification when the reviewer gave none", async (t) => {
      await withStore(dialect, t.skip.bind(t), (store) =>
        withWorld(store, async ({ services, mock, confirmCase }) => {
          const id = (await confirmCase("acct-unclassified"))!;
          await services.reports.process(id);
          const details = mock.finished()[0]!.files.map((f) => f.details[0]!);
          assert.equal(details.length, 2);
          assert.ok(details.every((d) => !d.includes("industryClassification") && d.includes("<fileViewedByEsp>false</fileViewedByEsp>")));
        }),
      );
    });

    it("refuses an industry classification with any decision but confirm, or outside A1, A2, B1, B2", async (t) => {
      await withStore(dialect, t.skip.bind(t), (store) =>
        withWorld(store, async ({ services }) => {
          const { caseId } = await store.db.transaction().execute((trx) =>
            services.cases.attach(trx as unknown as Kysely<unknown>, { accountId: "acct-x", decisionId: "d-acct-x", priority: "high", restricted: true, reportRequested: true, reason: "stand-in match" }),
          );
          await assert.rejects(services.cases.decide(caseId, reviewer, { decision: "dismiss", industryClassification: "A1" }, { claimIfFree: true }), /only with a confirm decision/);
          await assert.rejects(
            services.cases.decide(caseId, reviewer, { decision: "confirm", category: "csam", industryClassification: "C3" as "A1" }, { claimIfFree: true }),
            /must be one of A1, A2, B1, B2/,
          );
        }),
      );
    });

    it("files no report for other categories, dismissals, or cases no policy asked to report", async (t) => {
      await withStore(dialect, t.skip.bind(t), (store) =>
        withWorld(store, async ({ services, confirmCase }) => {
          assert.equal(await confirmCase("acct-spam", "spam"), undefined);
          assert.equal(await confirmCase("acct-unrequested", "csam", false), undefined);
          assert.deepEqual(await services.reports.list(), []);
        }),
      );
    });

    it("a failing account-details callback leaves a clear state and is retried until it answers", async (t) => {
      await withStore(dialect, t.skip.bind(t), (store) =>
        withWorld(store, async ({ services, mock, platform, confirmCase }) => {
          platform.failing = true;
          const id = (await confirmCase("acct-2"))!;
          await assert.rejects(services.reports.process(id));
          const stuck = await services.reports.get(id);
          assert.equal(stuck.state, "account_details_failed");
          assert.equal(stuck.lastErrorCode, "ACCOUNT_DETAILS_FAILED");
          assert.match(stuck.lastError!, /HTTP 503/);
          assert.match(stuck.hint!, /LAPWING_ACCOUNT_DETAILS_URL/);
          assert.equal(mock.log.length, 0, "nothing was sent to NCMEC");
          platform.failing = false;
          assert.equal((await services.reports.process(id)).state, "finished");
          assert.equal((await services.reports.get(id)).lastError, null);
        }),
      );
    });

    it("retries server errors and timeouts where it stopped, and files once", async (t) => {
      await withStore(dialect, t.skip.bind(t), (store) =>
        withWorld(store, async ({ services, mock, confirmCase }) => {
          const id = (await confirmCase("acct-3"))!;
          mock.failNext("upload", { httpStatus: 503 });
          await assert.rejects(services.reports.process(id), /HTTP 503/);
          let r: { state: string; attempts: number; lastErrorCode: string | null } = await services.reports.get(id);
          assert.equal(r.state, "submitted");
          assert.equal(r.attempts, 1);
          assert.equal(r.lastErrorCode, "NCMEC_HTTP_503");
          mock.failNext("fileinfo", { responseCode: 1000 });
          await assert.rejects(services.reports.process(id), /response code 1000/);
          r = await services.reports.process(id);
          assert.equal(r.state, "finished");
          assert.equal(mock.reports.size, 1, "one NCMEC report, resumed, not reopened");
          assert.equal(mock.finished()[0]!.files.length, 2);
        }),
      );
    });

    it("a permanent refusal retracts the open report and waits, with a hint, for a retry that files a new one", async (t) => {
      await withStore(dialect, t.skip.bind(t), (store) =>
        withWorld(store, async ({ services, mock, confirmCase }) => {
          const id = (await confirmCase("acct-4"))!;
          mock.failNext("fileinfo", { responseCode: 4100 });
          const failed = await services.reports.process(id);
          assert.equal(failed.state, "failed");
          assert.equal(failed.lastErrorCode, "NCMEC_4100");
          assert.match(failed.hint!, /lapwing reports xml/);
          const first = [...mock.reports.values()][0]!;
          assert.equal(first.state, "retracted", "the unfinished report was retracted");
          const retried = await services.reports.retry(id, "user:reviewer-1");
          assert.equal(retried.state, "draft");
          assert.equal((await services.reports.process(id)).state, "finished");
          assert.equal(mock.finished().length, 1);
          assert.notEqual(mock.finished()[0]!.reportId, first.reportId);
          assert.deepEqual((await services.reports.get(id)).abandonedNcmecReportIds, [first.reportId]);
          await assert.rejects(services.reports.retry(id, "user:reviewer-1"), { code: "REPORT_NOT_RETRYABLE" });
          const audit = await services.audit.list({ action: "report.retry" });
          assert.equal(audit.length, 1);
        }),
      );
    });

    it("refused credentials fail the report with what to do, and never show the password", async (t) => {
      await withStore(dialect, t.skip.bind(t), (store) =>
        withWorld(
          store,
          async ({ services, confirmCase }) => {
            const id = (await confirmCase("acct-5"))!;
            const r = await services.reports.process(id);
            assert.equal(r.state, "failed");
            assert.equal(r.lastErrorCode, "NCMEC_2000");
            assert.match(r.hint!, /LAPWING_NCMEC_USERNAME/);
            const shown = JSON.stringify(await services.reports.get(id));
            assert.ok(!shown.includes("wrong-password") && !shown.includes(Buffer.from(`${credentials.username}:wrong-password`).toString("base64")));
          },
          { ncmecPassword: "wrong-password" },
        ),
      );
    });

    it("opens a new report when the open one nears NCMEC's deletion deadline or NCMEC no longer has it", async (t) => {
      await withStore(dialect, t.skip.bind(t), (store) =>
        withWorld(store, async ({ services, mock, now, confirmCase }) => {
          const id = (await confirmCase("acct-6"))!;
          mock.failNext("upload", { httpStatus: 502, times: 1 });
          await assert.rejects(services.reports.process(id));
          const opened = (await services.reports.get(id)).ncmecReportId!;
          now.ms += 55 * 60_000; // within an hour of the last change, past Lapwing's margin
          assert.equal((await services.reports.process(id)).state, "finished");
          const detail = await services.reports.get(id);
          assert.deepEqual(detail.abandonedNcmecReportIds, [opened]);
          assert.ok(detail.history.some((h) => h.kind === "restarted"));
          assert.equal(mock.reports.get(opened)!.state, "retracted");

          // NCMEC deleted it (5001): start again at once.
          const id2 = (await confirmCase("acct-7"))!;
          mock.failNext("fileinfo", { httpStatus: 503 });
          await assert.rejects(services.reports.process(id2));
          const gone = (await services.reports.get(id2)).ncmecReportId!;
          mock.expire(gone);
          assert.equal((await services.reports.process(id2)).state, "finished");
          assert.deepEqual((await services.reports.get(id2)).abandonedNcmecReportIds, [gone]);
          assert.equal(mock.finished().length, 2);
          assert.ok(mock.finished().every((r) => r.files.length === 2));
        }),
      );
    });

    it("a lost answer to submit is recorded with when it was sent and shown to reviewers; the report is filed once; an answered failure is not a loss", async (t) => {
      await withStore(dialect, t.skip.bind(t), (store) =>
        withWorld(store, async ({ services, mock, now, confirmCase }) => {
          const id = (await confirmCase("acct-9"))!;
          const sentAt = new Date(now.ms).toISOString();
          mock.onApplied = (operation) => (operation === "submit" ? "drop" : undefined);
          await assert.rejects(services.reports.process(id), /connection failed/);
          const orphan = [...mock.reports.values()].find((r) => r.state === "open")!;
          assert.ok(orphan, "NCMEC opened a report whose id Lapwing never heard");
          const lost = await services.reports.get(id);
          assert.equal(lost.state, "submitting");
          assert.deepEqual(lost.lostSubmits, [{ sentAt, deletedByAbout: new Date(now.ms + 24 * 3600_000).toISOString() }]);
          assert.match(lost.notice ?? "", /A previous submit's answer was lost \(sent 2026-03-01T12:00:00\.000Z\)/);
          assert.match(lost.notice ?? "", /NCMEC deletes unfinished reports after about a day \(by about 2026-03-02T12:00:00\.000Z\)/);
          assert.deepEqual((await services.reports.list()).find((r) => r.id === id)?.lostSubmits, lost.lostSubmits, "the list says it too");

          now.ms += 60_000;
          mock.onApplied = undefined;
          const done = await services.reports.process(id);
          assert.equal(done.state, "finished");
          assert.equal(done.lostSubmits.length, 1, "recorded once, though the report was resumed after it");
          assert.match(done.notice ?? "", /lost/, "still said once filed: NCMEC may show the orphan until it deletes it");
          const filed = mock.finished();
          assert.deepEqual(filed.map((r) => r.reportId), [done.ncmecReportId]);
          assert.notEqual(done.ncmecReportId, orphan.reportId);
          assert.equal(mock.reports.get(orphan.reportId)!.state, "open", "the orphan is left for NCMEC to delete; it was never finished");
          const kinds = (await services.reports.get(id)).history.map((h) => h.kind);
          assert.deepEqual(kinds.slice(0, 6), ["created", "prepared", "submit.sent", "submit.answer_lost", "submit.sent", "submitted"]);
          const [first, again] = (await services.reports.get(id)).history.filter((h) => h.kind === "submit.sent");
          assert.deepEqual([first!.at, again!.at, again!.details.again], [sentAt, new Date(now.ms).toISOString(), true], "each submit's moment is in the history");

          // NCMEC answering with a server error opened nothing: no loss is recorded, and the next submit is a plain one.
          const other = (await confirmCase("acct-10"))!;
          mock.failNext("submit", { httpStatus: 503 });
          await assert.rejects(services.reports.process(other), /HTTP 503/);
          const answered = await services.reports.get(other);
          assert.deepEqual([answered.state, answered.lostSubmits, answered.notice], ["ready", [], null]);
          assert.equal((await services.reports.process(other)).state, "finished");
          assert.ok(!(await services.reports.get(other)).history.some((h) => h.kind === "submit.answer_lost"));
        }),
      );
    });

    it("a lost answer to an upload opens a new report, so the filed one holds each file once; a lost finish is finished once", async (t) => {
      await withStore(dialect, t.skip.bind(t), (store) =>
        withWorld(store, async ({ services, mock, confirmCase }) => {
          const id = (await confirmCase("acct-8"))!;
          mock.onApplied = (operation, count) => (operation === "upload" && count === 2 ? "drop" : undefined);
          await assert.rejects(services.reports.process(id), /connection failed/);
          assert.equal((await services.reports.get(id)).files[1]!.state, "uploading");
          mock.onApplied = (operation) => (operation === "finish" ? "drop" : undefined);
          await assert.rejects(services.reports.process(id));
          assert.equal((await services.reports.get(id)).state, "finishing");
          mock.onApplied = undefined;
          assert.equal((await services.reports.process(id)).state, "finished");
          const finished = mock.finished();
          assert.equal(finished.length, 1);
          assert.deepEqual(finished[0]!.files.map((f) => f.bytes.toString()), ["synthetic stand-in file one", "synthetic stand-in file two"]);
          assert.ok(mock.log.some((l) => l.operation === "finish" && l.responseCode === 5102), "the second finish met 'already finished'");
        }),
      );
    });
  });
}
