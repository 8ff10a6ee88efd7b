import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadConfig } from "../config/index.js";
import { startNcmecMock } from "../../test/support/ncmec-server.js";
import { createNcmecClient, NcmecError, redact } from "./client.js";
import { buildReportXml } from "./xml.js";

const xml = buildReportXml({ incidentType: "Child Sex Trafficking", incidentDateTime: "2026-01-01T00:00:00Z", reporter: { email: "r@x.example" } });

describe("NCMEC client", () => {
  it("runs the documented flow and classifies each refusal for the outbox", async () => {
    const mock = await startNcmecMock({ username: "u", password: "p" });
    try {
      const client = createNcmecClient({ baseUrl: mock.url, username: "u", password: "p", timeoutMs: 5000 });
      assert.equal((await client.status()).responseCode, 0);
      const { reportId } = await client.submit(xml);
      const { fileId, md5 } = await client.upload(reportId, "a.jpg", Buffer.from("stand-in"));
      assert.ok(fileId);
      assert.match(md5 ?? "", /^[0-9a-f]{32}$/);
      const finished = await client.finish(reportId);
      assert.deepEqual(finished.fileIds, [fileId]);

      const kindOf = async (promise: Promise<unknown>) => {
        const error = await promise.then(
          () => undefined,
          (e: unknown) => e,
        );
        assert.ok(error instanceof NcmecError, String(error));
        return { kind: error.kind, code: error.responseCode, status: error.httpStatus };
      };
      assert.deepEqual(await kindOf(client.finish(reportId)), { kind: "already_finished", code: 5102, status: 200 });
      assert.deepEqual(await kindOf(client.upload("999999", "b.jpg", Buffer.from("x"))), { kind: "restart", code: 5001, status: 200 });
      assert.deepEqual(await kindOf(client.submit("<report><oops/></report>")), { kind: "permanent", code: 4100, status: 200 });
      assert.deepEqual(await kindOf(client.submit("<report>")), { kind: "permanent", code: 4110, status: 200 });
      mock.failNext("submit", { httpStatus: 503 });
      assert.deepEqual(await kindOf(client.submit(xml)), { kind: "retryable", code: null, status: 503 });
      mock.failNext("submit", { responseCode: 1100 });
      assert.deepEqual(await kindOf(client.submit(xml)), { kind: "retryable", code: 1100, status: 200 });
      const second = await client.submit(xml);
      await client.retract(second.reportId);
      assert.deepEqual(await kindOf(client.retract(second.reportId)), { kind: "already_retracted", code: 5101, status: 200 });

      const wrong = createNcmecClient({ baseUrl: mock.url, username: "u", password: "not-the-password", timeoutMs: 5000 });
      const refused = await wrong.submit(xml).catch((e: NcmecError) => e);
      assert.ok(refused instanceof NcmecError);
      assert.equal(refused.kind, "permanent");
      assert.ok(!refused.message.includes("not-the-password") && !refused.hint.includes("not-the-password"));

      const unreachable = createNcmecClient({ baseUrl: "http://127.0.0.1:1/ispws", username: "u", password: "p", timeoutMs: 2000 });
      assert.equal((await kindOf(unreachable.status())).kind, "retryable");
    } finally {
      await mock.close();
    }
  });

  it("redacts credentials from text bound for logs", () => {
    assert.equal(redact("GET https://user:pass@host/x failed"), "GET https://[redacted]@host/x failed");
    assert.equal(redact("authorization: Basic dTpw"), "authorization: Basic [redacted]");
  });

  it("reaches production only when configured explicitly", () => {
    assert.throws(() => loadConfig({ env: { LAPWING_NCMEC_ENVIRONMENT: "production" } }), /LAPWING_NCMEC_URL\): required with LAPWING_NCMEC_ENVIRONMENT=production/);
    assert.throws(() => loadConfig({ env: { LAPWING_NCMEC_URL: "https://report.cybertip.org/ispws" } }), /production server while LAPWING_NCMEC_ENVIRONMENT is test/);
    assert.equal(loadConfig({ env: { LAPWING_NCMEC_ENVIRONMENT: "production", LAPWING_NCMEC_URL: "https://report.cybertip.org/ispws" } }).ncmecEnvironment, "production");
    assert.equal(loadConfig({ env: {} }).ncmecEnvironment, "test");
  });
});
