// CyberTipline reports over HTTP: a csam hash match becomes a restricted case
// with a report requested; a child-safety reviewer confirms it; the server's
// own report worker files it with the local NCMEC server; reviewers read the
// report, its XML (schema-valid, as submitted) and its state on the case.
// Moderators are kept out.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { dialects } from "../../src/store/testing.js";
import { waitFor } from "../support/cli.js";
import { startNcmecMock, type NcmecMock } from "../support/ncmec-server.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { schemaErrors } from "../support/xmllint.js";

const csamPdq = "c3".repeat(32);
const password = "reports test passphrase";

for (const dialect of dialects) {
  describe(`reports over HTTP (${dialect})`, () => {
    let s: TestServer | undefined;
    let mock: NcmecMock | undefined;
    let skipReason = "";
    const sessions = new Map<string, { cookie: string; csrf: string }>();
    const as = (username: string, path: string, init: RequestInit & { json?: unknown } = {}) => {
      const session = sessions.get(username)!;
      const headers = new Headers(init.headers);
      headers.set("cookie", session.cookie);
      headers.set("x-csrf-token", session.csrf);
      return s!.request(path, { ...init, headers, key: null });
    };

    before(async () => {
      mock = await startNcmecMock({ username: "esp-http", password: "http-test-password" });
      const started = await startTestServer(dialect, {
        workerPollMs: 50,
        defaultLexicon: false,
        ncmecUrl: mock.url,
        ncmecUsername: "esp-http",
        ncmecPassword: "http-test-password",
        ncmecReporterEmail: "safety@social.example",
        ncmecEspService: "Example Social",
      });
      if (typeof started === "string") return void (skipReason = started);
      s = started;
      assert.equal((await s.request("/v1/banks", { method: "POST", json: { name: "synthetic-csam", matchVerdict: "block" } })).status, 201);
      assert.equal((await s.request("/v1/banks/synthetic-csam/entries", { method: "POST", json: { entries: [{ signalType: "pdq", signal: csamPdq, category: "csam" }] } })).status, 201);
      for (const [username, role] of [
        ["csr", "child_safety_reviewer"],
        ["mod", "moderator"],
      ] as const) {
        assert.equal((await s.request("/v1/users", { method: "POST", json: { username, password, role } })).status, 201);
        const res = await s.request("/v1/session", { method: "POST", key: null, json: { username, password } });
        sessions.set(username, { cookie: res.headers.getSetCookie()[0]!.split(";")[0]!, csrf: (await res.json()).csrfToken });
      }
    });
    after(async () => {
      await s?.close();
      await mock?.close();
    });

    it("files the report of a confirmed case and shows it to child-safety reviewers and admins only", async (t) => {
      if (!s) return t.skip(skipReason);
      const sent = await s.request("/v1/events", {
        method: "POST",
        json: { events: [{ id: "r1", type: "post.created", occurred_at: "2026-03-01T12:00:00Z", post: { id: "rp1", author_id: "reported-account", media: [{ kind: "hashes", pdq: csamPdq, quality: 100 }] } }] },
      });
      assert.equal(sent.status, 202);
      const found = await waitFor(
        "the case",
        async () => {
          const body = await (await as("csr", "/v1/cases?account=reported-account")).json();
          return body.cases?.[0] as { id: string; reportRequested: boolean } | undefined;
        },
        { timeoutMs: 30_000, intervalMs: 100 },
      );
      assert.equal(found.reportRequested, true);
      assert.equal((await as("csr", `/v1/cases/${found.id}/claim`, { method: "POST" })).status, 200);
      // An industry classification goes only with a confirm decision, and only as A1, A2, B1 or B2.
      const decide = (body: unknown) => as("csr", `/v1/cases/${found.id}/decision`, { method: "POST", json: body });
      const withDismiss = await decide({ decision: "dismiss", industryClassification: "A1" });
      assert.equal(withDismiss.status, 400);
      const refusal = (await withDismiss.json()).error;
      assert.equal(refusal.code, "VALIDATION_FAILED");
      assert.match(refusal.message, /industryClassification goes only with a confirm decision/);
      assert.equal((await decide({ decision: "confirm", category: "csam", industryClassification: "C3" })).status, 400);
      const decided = await decide({ decision: "confirm", category: "csam", industryClassification: "B1" });
      assert.equal(decided.status, 200, await decided.clone().text());
      const history = (await (await as("csr", `/v1/cases/${found.id}`)).json()).history as Array<{ kind: string; details: Record<string, unknown> }>;
      assert.equal(history.find((h) => h.kind === "decided")?.details.industryClassification, "B1");

      const report = await waitFor(
        "the report to be filed",
        async () => {
          const body = await (await as("csr", `/v1/cases/${found.id}/reports`)).json();
          const r = body.reports?.[0] as { id: string; state: string; ncmecReportId: string | null } | undefined;
          return r?.state === "finished" ? r : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 100 },
      );
      assert.ok(report.ncmecReportId);
      assert.equal(mock!.finished().length, 1);

      const xml = await as("csr", `/v1/reports/${report.id}/xml`);
      assert.equal(xml.status, 200);
      assert.match(xml.headers.get("content-type") ?? "", /application\/xml/);
      const text = await xml.text();
      assert.deepEqual(schemaErrors(text), []);
      assert.equal(text, mock!.finished()[0]!.xml, "the XML shown is the XML submitted");

      const listed = await (await as("csr", "/v1/reports?state=finished")).json();
      assert.deepEqual(listed.reports.map((r: { id: string }) => r.id), [report.id]);
      const shown = await (await s.request(`/v1/reports/${report.id}`)).json();
      assert.equal(shown.state, "finished", "an admin key reads it too");
      assert.ok(shown.history.some((h: { kind: string }) => h.kind === "finished"));

      assert.equal((await as("mod", "/v1/reports")).status, 403);
      assert.equal((await as("mod", `/v1/reports/${report.id}/xml`)).status, 403);
      assert.equal((await s.request(`/v1/reports/${report.id}`, { key: s.checkKey })).status, 403);

      const again = await as("csr", `/v1/reports/${report.id}/retry`, { method: "POST" });
      assert.equal(again.status, 409);
      assert.equal((await again.json()).error.code, "REPORT_NOT_RETRYABLE");
      const missing = await as("csr", "/v1/reports/no-such-report");
      assert.equal(missing.status, 404);
      assert.equal((await missing.json()).error.code, "REPORT_NOT_FOUND");
      assert.equal((await as("csr", "/v1/reports?state=bogus")).status, 400);
    });
  });
}
