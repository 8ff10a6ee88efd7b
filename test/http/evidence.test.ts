// The evidence vault over real sockets: a confirmed case's content asked of
// the platform with content.preserve, uploaded with an ingest key, read by a
// child-safety reviewer with a reason, held, exported and verified.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { verifyArchive } from "../../src/evidence/index.js";
import { dialects } from "../../src/store/testing.js";
import { waitFor } from "../support/cli.js";
import { startTestServer, type TestServer } from "../support/server.js";

// Synthetic bytes and hashes only.
const csamPdq = "a5".repeat(32);
const password = "evidence test passphrase";
const upload = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 17) % 256));
const maxUpload = 64 * 1024;

for (const dialect of dialects) {
  describe(`evidence over HTTP (${dialect})`, () => {
    let s: TestServer | undefined;
    let skipReason = "";
    let dir = "";
    let ingestKey = "";
    const sessions = new Map<string, { cookie: string; csrf: string }>();
    const as = (who: string, path: string, init: RequestInit & { json?: unknown } = {}) => {
      const session = sessions.get(who)!;
      const headers = new Headers(init.headers);
      headers.set("cookie", session.cookie);
      headers.set("x-csrf-token", session.csrf);
      return s!.request(path, { ...init, headers, key: null });
    };

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), "lapwing-evidence-http-"));
      const started = await startTestServer(dialect, {
        workerPollMs: 50,
        defaultLexicon: false,
        evidenceMasterKey: Buffer.alloc(32, 4).toString("base64"),
        evidenceDir: dir,
        maxUploadBytes: maxUpload,
      });
      if (typeof started === "string") return void (skipReason = started);
      s = started;
      assert.equal((await s.request("/v1/banks", { method: "POST", json: { name: "synthetic-csam", matchVerdict: "block" } })).status, 201);
      assert.equal((await s.request("/v1/banks/synthetic-csam/entries", { method: "POST", json: { entries: [{ signalType: "pdq", signal: csamPdq, category: "csam" }] } })).status, 201);
      ingestKey = (await (await s.request("/v1/keys", { method: "POST", json: { name: "platform", scopes: ["ingest"] } })).json()).secret;
      for (const [username, role] of [
        ["mod", "moderator"],
        ["csr", "child_safety_reviewer"],
      ]) {
        assert.equal((await s.request("/v1/users", { method: "POST", json: { username, password, role } })).status, 201);
        const res = await s.request("/v1/session", { method: "POST", key: null, json: { username, password } });
        sessions.set(username!, { cookie: res.headers.getSetCookie()[0]!.split(";")[0]!, csrf: (await res.json()).csrfToken });
      }
    });
    after(async () => {
      await s?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("asks the platform for a confirmed case's content, takes the upload, and lets a child-safety reviewer read, hold and export it", async (t) => {
      if (!s) return t.skip(skipReason);
      const events = [
        { id: "e1", occurred_at: "2026-03-01T12:00:00Z", type: "account.created", account: { id: "acct-1", handle: "stand-in" } },
        { id: "e2", occurred_at: "2026-03-01T12:01:00Z", type: "post.created", post: { id: "p1", author_id: "acct-1", media: [{ kind: "hashes", id: "m1", pdq: csamPdq, quality: 100 }] } },
      ];
      assert.equal((await s.request("/v1/events", { method: "POST", key: ingestKey, json: { events } })).status, 202);
      const caseId = await waitFor("the case", async () => ((await (await as("csr", "/v1/cases?account=acct-1")).json()).cases[0]?.id as string | undefined), { timeoutMs: 60_000 });
      assert.equal((await as("csr", `/v1/cases/${caseId}/claim`, { method: "POST" })).status, 200);
      const decided = await as("csr", `/v1/cases/${caseId}/decision`, { method: "POST", json: { decision: "confirm", category: "csam" } });
      assert.equal(decided.status, 200, await decided.clone().text());

      // The platform polls its feed and finds the preservation request.
      const preserve = await waitFor(
        "content.preserve",
        async () => ((await (await s!.request("/v1/actions", { key: ingestKey })).json()).actions as Array<{ kind: string; details: { preservation?: { requestId: string; uploadPath: string } } }>).find((a) => a.kind === "content.preserve"),
        { timeoutMs: 60_000 },
      );
      const { uploadPath } = preserve.details.preservation!;
      const uploaded = await s.request(uploadPath, { method: "POST", key: ingestKey, headers: { "content-type": "application/octet-stream" }, body: upload });
      assert.equal(uploaded.status, 201, await uploaded.clone().text());
      const { itemId } = await uploaded.json();
      assert.equal((await s.request(uploadPath, { method: "POST", key: ingestKey, headers: { "content-type": "application/octet-stream" }, body: upload })).status, 409);

      // A reason is required; moderators are refused.
      assert.equal((await as("csr", `/v1/cases/${caseId}/evidence`)).status, 400);
      assert.equal((await as("mod", `/v1/cases/${caseId}/evidence?reason=curious`)).status, 403);
      const listed = await (await as("csr", `/v1/cases/${caseId}/evidence?reason=${encodeURIComponent("Preparing the report")}`)).json();
      assert.ok(listed.items.some((i: { id: string; source: string }) => i.id === itemId && i.source === "platform_upload"));
      const content = await as("csr", `/v1/evidence/${itemId}/content?reason=check`);
      assert.equal(content.status, 200);
      assert.deepEqual(Buffer.from(await content.arrayBuffer()), upload);
      assert.match(content.headers.get("x-lapwing-sha256")!, /^[0-9a-f]{64}$/);

      const hold = await as("csr", `/v1/cases/${caseId}/evidence/holds`, { method: "POST", json: { reason: "Preservation request ref 5", until: "2030-01-01T00:00:00Z" } });
      assert.equal(hold.status, 201);
      const holdId = (await hold.json()).id;
      assert.equal((await as("csr", `/v1/evidence/holds/${holdId}/extend`, { method: "POST", json: { reason: "Extended", until: "2031-01-01T00:00:00Z" } })).status, 200);
      assert.equal((await as("csr", `/v1/evidence/holds/${holdId}/release`, { method: "POST", json: { reason: "Closed" } })).status, 200);

      const exported = await as("csr", `/v1/cases/${caseId}/evidence/export`, { method: "POST", json: { reason: "Law-enforcement request 8" } });
      assert.equal(exported.status, 200);
      assert.equal(exported.headers.get("content-type"), "application/x-tar");
      const verified = verifyArchive(Buffer.from(await exported.arrayBuffer()));
      assert.equal(verified.ok, true, verified.problems.join("; "));
      assert.equal(verified.caseId, caseId);
    });

    it("refuses bad preservation uploads with a clear 4xx and keeps answering: unknown, malformed, odd Unicode and huge ids, huge and mistyped bodies", async (t) => {
      if (!s) return t.skip(skipReason);
      const octets = { "content-type": "application/octet-stream" };
      const cases: Array<{ what: string; path: string; init?: RequestInit & { key?: string | null }; status: number; code?: string | RegExp }> = [
        { what: "an unknown well-formed id", path: "/v1/evidence/preservations/01JZZZZZZZZZZZZZZZZZZZZZZZ", status: 404, code: "EVIDENCE_NOT_FOUND" },
        { what: "a malformed id", path: `/v1/evidence/preservations/${encodeURIComponent("not an id; drop table")}`, status: 400, code: "VALIDATION_FAILED" },
        { what: "a lower-case id", path: "/v1/evidence/preservations/01jzzzzzzzzzzzzzzzzzzzzzzz", status: 400, code: "VALIDATION_FAILED" },
        { what: "a NUL in the id", path: "/v1/evidence/preservations/abc%00def", status: 400, code: "VALIDATION_FAILED" },
        { what: "a control character in the id", path: "/v1/evidence/preservations/abc%1Bdef", status: 400, code: "VALIDATION_FAILED" },
        { what: "right-to-left override and emoji", path: `/v1/evidence/preservations/${encodeURIComponent("\u202eabc\u{1F600}")}`, status: 400, code: "VALIDATION_FAILED" },
        { what: "invalid UTF-8 (a lone surrogate's bytes)", path: "/v1/evidence/preservations/%ED%A0%80", status: 400 },
        { what: "a malformed percent escape", path: "/v1/evidence/preservations/%E0%A4%A", status: 400 },
        { what: "an id over the limit", path: `/v1/evidence/preservations/${"A".repeat(101)}`, status: 400 },
        { what: "a huge id", path: `/v1/evidence/preservations/${"A".repeat(8_000)}`, status: 400 },
        { what: "a body over the upload limit", path: "/v1/evidence/preservations/01JZZZZZZZZZZZZZZZZZZZZZZZ", init: { headers: octets, body: Buffer.alloc(maxUpload + 1, 1) }, status: 413 },
        { what: "a JSON body", path: "/v1/evidence/preservations/01JZZZZZZZZZZZZZZZZZZZZZZZ", init: { headers: { "content-type": "application/json" }, body: JSON.stringify({ bytes: "AAAA" }) }, status: 415, code: "UNSUPPORTED_CONTENT_TYPE" },
        { what: "no key", path: "/v1/evidence/preservations/01JZZZZZZZZZZZZZZZZZZZZZZZ", init: { headers: octets, body: upload, key: null }, status: 401 },
      ];
      for (const c of cases) {
        const res = await s.request(c.path, { method: "POST", key: ingestKey, headers: octets, body: upload, ...c.init });
        const text = await res.text();
        assert.equal(res.status, c.status, `${c.what}: ${text.slice(0, 300)}`);
        const body = JSON.parse(text) as { error?: { code: string; message: string } };
        assert.ok(typeof body.error?.message === "string" && body.error.message.length > 0, `${c.what}: an error with a message (${text.slice(0, 300)})`);
        if (c.code) assert.match(body.error.code, c.code instanceof RegExp ? c.code : new RegExp(`^${c.code}$`), c.what);
      }
      // Past Node's own request-line limit (16 KiB) the HTTP parser answers before any route: a 431, then the server goes on.
      assert.equal((await s.request(`/v1/evidence/preservations/${"A".repeat(20_000)}`, { method: "POST", key: ingestKey, headers: octets, body: upload })).status, 431);
      assert.equal((await s.request("/healthz", { key: null })).status, 200, "still answering");
    });
  });
}
