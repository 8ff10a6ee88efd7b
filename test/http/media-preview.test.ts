// The media preview proxy (GET /v1/media/preview/{contentId}) against a hostile
// preview source, over real sockets on both backends: a page declared as an
// image, a body past the preview limit, a redirect to a private address, no
// Content-Type, an empty image and a body cut short each end in 502
// PREVIEW_FAILED; malformed, odd and unknown ids in a clear 4xx; the server
// keeps answering.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { dialects } from "../../src/store/testing.js";
import { waitFor } from "../support/cli.js";
import { startTestServer, type TestServer } from "../support/server.js";

const standIn = "vornaxle";
const password = "preview test passphrase";
const at = "2026-03-01T12:00:00Z";
// A synthetic PNG header and filler: only its first bytes need to be a PNG's.
const pngBytes = Buffer.from("89504e470d0a1a0a" + "00".repeat(24), "hex");
const md5 = (n: number) => n.toString(16).padStart(32, "0");
/** Each hostile answer, and the reason the proxy must give for refusing it. */
const hostileReasons = {
  "h-fake": /is not image\/png data \(38 bytes/,
  "h-huge": /over the 10485760-byte limit/,
  "h-redirect": /HTTP 302 \(redirects are not followed\)/,
  "h-notype": /no Content-Type/,
  "h-empty": /is not image\/png data \(0 bytes/,
  "h-cut": /Reading the media failed/,
} as const;
const hostile = Object.keys(hostileReasons) as Array<keyof typeof hostileReasons>;

/** A preview source that answers each hostile id its own way, and h-ok with a PNG. */
async function startHostileSource(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    res.on("error", () => undefined);
    const id = decodeURIComponent((req.url ?? "").replace(/^\/media\//, ""));
    switch (id) {
      case "h-ok":
        return void res.writeHead(200, { "content-type": "image/png" }).end(pngBytes);
      case "h-fake":
        return void res.writeHead(200, { "content-type": "image/png" }).end("<html><script>alert(1)</script></html>");
      case "h-huge": {
        // 16 MiB past a PNG header, written as the client reads: the proxy must give up at its 10 MiB limit.
        res.writeHead(200, { "content-type": "image/png" });
        res.write(pngBytes);
        const chunk = Buffer.alloc(1024 * 1024);
        let sent = 0;
        const more = (): void => {
          while (sent < 16) {
            sent++;
            if (!res.write(chunk)) return void res.once("drain", more);
          }
          res.end();
        };
        return more();
      }
      case "h-redirect":
        return void res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end();
      case "h-notype":
        return void res.writeHead(200).end(pngBytes);
      case "h-empty":
        return void res.writeHead(200, { "content-type": "image/png", "content-length": "0" }).end();
      case "h-cut":
        res.writeHead(200, { "content-type": "image/png", "content-length": "100000" });
        return void res.write(pngBytes, () => res.destroy());
      default:
        return void res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

for (const dialect of dialects) {
  describe(`media previews from a hostile source (${dialect})`, () => {
    let s: TestServer | undefined;
    let source: Awaited<ReturnType<typeof startHostileSource>> | undefined;
    let skipReason = "";
    let session = { cookie: "", csrf: "" };
    let caseId = "";
    const preview = (contentId: string, query = `?caseId=${caseId}`) =>
      s!.request(`/v1/media/preview/${contentId}${query}`, { key: null, headers: { cookie: session.cookie, "x-csrf-token": session.csrf } });

    before(async () => {
      source = await startHostileSource();
      const started = await startTestServer(dialect, { mediaPreviewUrl: `${source.url}/media/{contentId}`, mediaPreviewPrivateAddresses: true, workerPollMs: 50, defaultLexicon: false });
      if (typeof started === "string") return void (skipReason = started);
      s = started;
      assert.equal((await s.request("/v1/lexicons/stand-ins", { method: "PUT", json: { entries: [{ term: standIn, category: "coded-term", severity: "block", source: "synthetic" }] } })).status, 200);
      assert.equal((await s.request("/v1/users", { method: "POST", json: { username: "mo", password, role: "moderator" } })).status, 201);
      const res = await s.request("/v1/session", { method: "POST", key: null, json: { username: "mo", password } });
      session = { cookie: res.headers.getSetCookie()[0]!.split(";")[0]!, csrf: (await res.json()).csrfToken };
      const media = ["h-ok", ...hostile].map((id, i) => ({ kind: "hashes", id, md5: md5(i + 1) }));
      const event = { id: "e-hostile", type: "post.created", occurred_at: at, post: { id: "p-h", author_id: "hostile-source", text: `${standIn} menu`, media } };
      assert.equal((await s.request("/v1/events", { method: "POST", json: { events: [event] } })).status, 202);
      caseId = await waitFor("the case", async () => ((await (await s!.request("/v1/cases?account=hostile-source")).json()).cases[0]?.id as string | undefined), { timeoutMs: 30_000 });
    });
    after(async () => {
      await s?.close();
      await source?.close();
    });

    it("proxies a real image, and answers every hostile answer with 502 PREVIEW_FAILED", async (t) => {
      if (!s) return t.skip(skipReason);
      const ok = await preview("h-ok");
      assert.equal(ok.status, 200);
      assert.deepEqual(Buffer.from(await ok.arrayBuffer()), pngBytes);
      for (const id of hostile) {
        const res = await preview(id);
        const body = (await res.json()) as { error: { code: string; message: string } };
        assert.equal(res.status, 502, `${id}: ${JSON.stringify(body)}`);
        assert.equal(body.error.code, "PREVIEW_FAILED", id);
        assert.match(body.error.message, hostileReasons[id], id);
      }
      assert.equal((await s.request("/healthz", { key: null })).status, 200, "still answering");
    });

    it("refuses malformed, odd and unknown ids with a clear 4xx", async (t) => {
      if (!s) return t.skip(skipReason);
      const refusals: Array<{ what: string; contentId: string; query?: string; status: number; code: string }> = [
        { what: "content the case does not name", contentId: "h-unknown", status: 404, code: "PREVIEW_UNAVAILABLE" },
        { what: "right-to-left override and emoji", contentId: encodeURIComponent("\u202eh-ok\u{1F600}"), status: 404, code: "PREVIEW_UNAVAILABLE" },
        { what: "a NUL in the content id", contentId: "h-ok%00", status: 400, code: "VALIDATION_FAILED" },
        { what: "invalid UTF-8 in the content id", contentId: "%ED%A0%80", status: 400, code: "BAD_REQUEST" },
        { what: "a content id over the limit", contentId: "x".repeat(5000), status: 400, code: "" },
        { what: "an unknown case", contentId: "h-ok", query: "?caseId=01JZZZZZZZZZZZZZZZZZZZZZZZ", status: 404, code: "CASE_NOT_FOUND" },
        { what: "a malformed case id", contentId: "h-ok", query: "?caseId=not-a-case", status: 400, code: "VALIDATION_FAILED" },
        { what: "a NUL in the case id", contentId: "h-ok", query: "?caseId=01JZZZZZZZZZZZZZZZZZZZZZZ%00", status: 400, code: "VALIDATION_FAILED" },
        { what: "no case", contentId: "h-ok", query: "", status: 400, code: "VALIDATION_FAILED" },
      ];
      for (const r of refusals) {
        const res = await preview(r.contentId, r.query);
        const body = (await res.json()) as { error: { code: string; message: string } };
        assert.equal(res.status, r.status, `${r.what}: ${JSON.stringify(body)}`);
        if (r.code) assert.equal(body.error.code, r.code, r.what);
        assert.match(body.error.message, /\S/, r.what);
      }
      assert.equal((await s.request("/healthz", { key: null })).status, 200, "still answering");
    });
  });
}
