// The console's own API over real sockets, on both backends: the content of a
// case, media previews proxied from the platform's preview source (never
// stored, no-store, only image and video types, restricted cases for
// child-safety reviewers alone, also when the same post is named by an
// ordinary case), audited reveals, each user's own preferences, the dashboard
// figures, policy validation with lines, lexicon tests and bank entry search.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { dialects } from "../../src/store/testing.js";
import { waitFor } from "../support/cli.js";
import { startTestServer, type TestServer } from "../support/server.js";

const knownPdq = "3c".repeat(32);
const standIn = "vornaxle";
const password = "console test passphrase";
const at = "2026-03-01T12:00:00Z";
// Synthetic stand-ins for the platform's previews: bytes that only need to come back unchanged.
const previewBytes = Buffer.from("89504e470d0a1a0a" + "00".repeat(24), "hex");
const md5 = (n: number) => n.toString(16).padStart(32, "0");

type Session = { cookie: string; csrf: string };

/** The platform's preview source: m-ok and m-csam are images, m-html is a page, anything else is missing. */
async function startPreviewSource(): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? "");
    const id = decodeURIComponent((req.url ?? "").replace(/^\/media\//, ""));
    if (id === "m-ok" || id === "m-csam" || id === "p1") return void res.writeHead(200, { "content-type": "image/png" }).end(previewBytes);
    if (id === "m-html") return void res.writeHead(200, { "content-type": "text/html" }).end("<script>alert(1)</script>");
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

for (const dialect of dialects) {
  describe(`console API (${dialect})`, () => {
    let s: TestServer | undefined;
    let source: Awaited<ReturnType<typeof startPreviewSource>>;
    let skipReason = "";
    const sessions = new Map<string, Session>();
    let sellerCase = "";
    let hasherCase = "";

    const as = (role: string, path: string, init: RequestInit & { json?: unknown } = {}) => {
      const session = sessions.get(role)!;
      const headers = new Headers(init.headers);
      headers.set("cookie", session.cookie);
      headers.set("x-csrf-token", session.csrf);
      return s!.request(path, { ...init, headers, key: null });
    };
    const send = async (events: unknown[]) => {
      for (const event of events) {
        assert.equal((await s!.request("/v1/events", { method: "POST", json: { events: [event] } })).status, 202);
        const id = (event as { id: string }).id;
        await waitFor(`${id} processed`, async () => ((await (await as("child_safety_reviewer", `/v1/events/${id}`)).json()).state === "processed" ? true : undefined), { timeoutMs: 30_000 });
      }
    };
    const caseOf = async (role: string, account: string) => ((await (await as(role, `/v1/cases?account=${account}`)).json()).cases as Array<{ id: string; restricted: boolean }>)[0];

    before(async () => {
      source = await startPreviewSource();
      const started = await startTestServer(dialect, { mediaPreviewUrl: `${source.url}/media/{contentId}`, mediaPreviewPrivateAddresses: true, workerPollMs: 50, defaultLexicon: false });
      if (typeof started === "string") return void (skipReason = started);
      s = started;
      assert.equal((await s.request("/v1/lexicons/stand-ins", { method: "PUT", json: { entries: [{ term: standIn, category: "coded-term", severity: "block", source: "synthetic" }] } })).status, 200);
      assert.equal((await s.request("/v1/banks", { method: "POST", json: { name: "known-list", matchVerdict: "block" } })).status, 201);
      assert.equal((await s.request("/v1/banks/known-list/entries", { method: "POST", json: { entries: [{ signalType: "pdq", signal: knownPdq, category: "csam", note: "Synthetic Stand-in" }] } })).status, 201);
      // A shadow policy beside the active set, so the dashboard has shadow hits to count.
      const active = (await (await s.request("/v1/policies")).json()).content;
      const shadow = { id: "try-lexicon-review", description: "Trying: send every lexicon hit to review", when: { signal: "lexicon-hit" }, then: [{ decision: "review", priority: "low" }], mode: "shadow" };
      assert.equal((await s.request("/v1/policies", { method: "PUT", json: { version: 1, policies: [...active.policies, shadow] } })).status, 201);
      for (const role of ["admin", "moderator", "viewer", "child_safety_reviewer"]) {
        assert.equal((await s.request("/v1/users", { method: "POST", json: { username: role, password, role } })).status, 201);
        const res = await s.request("/v1/session", { method: "POST", key: null, json: { username: role, password } });
        sessions.set(role, { cookie: res.headers.getSetCookie()[0]!.split(";")[0]!, csrf: (await res.json()).csrfToken });
      }
      await send([
        {
          id: "e-seller",
          type: "post.created",
          occurred_at: at,
          post: {
            id: "p1",
            author_id: "seller",
            text: `${standIn} menu`,
            media: [
              { kind: "hashes", id: "m-ok", md5: md5(1) },
              { kind: "hashes", id: "m-html", md5: md5(2) },
              { kind: "hashes", id: "m-gone", md5: md5(3) },
            ],
          },
        },
        { id: "e-hasher", type: "post.created", occurred_at: at, post: { id: "p2", author_id: "hasher", media: [{ kind: "hashes", id: "m-csam", pdq: knownPdq, quality: 100 }] } },
      ]);
      sellerCase = (await caseOf("moderator", "seller"))!.id;
      hasherCase = (await caseOf("child_safety_reviewer", "hasher"))!.id;
    });
    after(async () => {
      await s?.close();
      await source?.close();
    });

    it("lists a case's content and proxies its previews without storing them", async (t) => {
      if (!s) return t.skip(skipReason);
      const listed = await (await as("moderator", `/v1/cases/${sellerCase}/content`)).json();
      assert.equal(listed.previewSource, true);
      assert.deepEqual(
        listed.content.map((c: { contentId: string; kind: string; field: string }) => [c.contentId, c.kind, c.field]),
        [["p1", "post", ""], ["m-ok", "media", "/post/media/0"], ["m-html", "media", "/post/media/1"], ["m-gone", "media", "/post/media/2"]],
      );

      const res = await as("moderator", `/v1/media/preview/m-ok?caseId=${sellerCase}`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-type"), "image/png");
      assert.equal(res.headers.get("cache-control"), "no-store");
      assert.equal(res.headers.get("x-content-type-options"), "nosniff");
      assert.deepEqual(Buffer.from(await res.arrayBuffer()), previewBytes);
      assert.ok(source.requests.includes("/media/m-ok"), "fetched from the template's URL");

      const html = await as("moderator", `/v1/media/preview/m-html?caseId=${sellerCase}`);
      assert.equal(html.status, 502);
      assert.equal((await html.json()).error.code, "PREVIEW_FAILED", "a page is never served from the console's origin");
      const gone = await as("moderator", `/v1/media/preview/m-gone?caseId=${sellerCase}`);
      assert.equal(gone.status, 404);
      assert.match((await gone.json()).error.message, /has no preview/);
      const elsewhere = await as("moderator", `/v1/media/preview/m-csam?caseId=${sellerCase}`);
      assert.equal(elsewhere.status, 404, "content of another case is not shown through this one");
      assert.equal((await elsewhere.json()).error.code, "PREVIEW_UNAVAILABLE");
      const noCase = await as("moderator", "/v1/media/preview/m-ok");
      assert.equal(noCase.status, 400, "a preview is always asked for within a case");
      assert.equal((await as("viewer", `/v1/media/preview/m-ok?caseId=${sellerCase}`)).status, 403, "viewers are never shown media");
    });

    it("shows a restricted case's media to child-safety reviewers alone, also when an ordinary case names the post", async (t) => {
      if (!s) return t.skip(skipReason);
      for (const role of ["moderator", "admin"]) {
        const res = await as(role, `/v1/media/preview/m-csam?caseId=${hasherCase}`);
        assert.equal(res.status, 404, role);
        assert.equal((await res.json()).error.code, "CASE_NOT_FOUND");
        assert.equal((await as(role, `/v1/cases/${hasherCase}/content`)).status, 404);
      }
      const admitted = await as("child_safety_reviewer", `/v1/media/preview/m-csam?caseId=${hasherCase}`);
      assert.equal(admitted.status, 200);
      assert.deepEqual(Buffer.from(await admitted.arrayBuffer()), previewBytes);

      // The reviewer decides the restricted case; a later report about the same post opens an ordinary case.
      assert.equal((await as("child_safety_reviewer", `/v1/cases/${hasherCase}/claim`, { method: "POST" })).status, 200);
      assert.equal((await as("child_safety_reviewer", `/v1/cases/${hasherCase}/decision`, { method: "POST", json: { decision: "confirm", category: "csam" } })).status, 200);
      await send([{ id: "e-report", type: "report.created", occurred_at: at, report: { id: "r1", reporter_id: "someone", target: { type: "post", id: "p2" }, reason: "looks wrong", category: "child-safety" } }]);
      const reported = await caseOf("moderator", "hasher");
      assert.ok(reported && !reported.restricted, "the report's case is an ordinary one");
      const content = (await (await as("moderator", `/v1/cases/${reported.id}/content`)).json()).content as Array<{ contentId: string }>;
      assert.ok(content.some((c) => c.contentId === "p2"));
      const refused = await as("moderator", `/v1/media/preview/p2?caseId=${reported.id}`);
      assert.equal(refused.status, 404, "the post sits in a restricted case too");
      assert.equal((await refused.json()).error.code, "PREVIEW_UNAVAILABLE");
      assert.equal((await as("moderator", "/v1/console/reveals", { method: "POST", json: { caseId: reported.id, contentId: "p2" } })).status, 404);
    });

    it("records each reveal in the audit log, refusing what the caller may not see", async (t) => {
      if (!s) return t.skip(skipReason);
      const res = await as("moderator", "/v1/console/reveals", { method: "POST", json: { caseId: sellerCase, contentId: "m-ok" } });
      assert.equal(res.status, 201);
      assert.equal((await res.json()).action, "media.reveal");
      const denied = await as("moderator", "/v1/console/reveals", { method: "POST", json: { caseId: hasherCase, contentId: "m-csam" } });
      assert.equal(denied.status, 404);
      assert.equal((await as("child_safety_reviewer", "/v1/console/reveals", { method: "POST", json: { caseId: hasherCase, contentId: "m-csam" } })).status, 201);
      assert.equal((await as("moderator", "/v1/console/reveals", { method: "POST", json: { caseId: sellerCase, contentId: "nothing-here" } })).status, 404);

      const entries = (await (await s.request("/v1/audit?action=media.reveal")).json()).entries as Array<{ actor: string; target: unknown; details: Record<string, unknown>; redacted?: true }>;
      assert.equal(entries.length, 2, "one entry per reveal made");
      assert.deepEqual(entries[0]!.details, { caseId: sellerCase, contentId: "m-ok", kind: "media", eventId: "e-seller", field: "/post/media/0" });
      assert.match(entries[0]!.actor, /^user:/);
      assert.equal(entries[1]!.redacted, true, "the restricted case's reveal is hidden from admins");
    });

    it("keeps each user's preferences their own, blurred and greyscale by default", async (t) => {
      if (!s) return t.skip(skipReason);
      assert.deepEqual(await (await as("moderator", "/v1/me/preferences")).json(), { blurMedia: true, greyscaleMedia: true, updatedAt: null });
      const changed = await (await as("moderator", "/v1/me/preferences", { method: "PUT", json: { greyscaleMedia: false } })).json();
      assert.equal(changed.blurMedia, true);
      assert.equal(changed.greyscaleMedia, false);
      assert.equal((await (await as("moderator", "/v1/me/preferences")).json()).greyscaleMedia, false);
      assert.equal((await (await as("viewer", "/v1/me/preferences")).json()).greyscaleMedia, true, "another user keeps the defaults");
      const noCsrf = await s.request("/v1/me/preferences", { method: "PUT", key: null, headers: { cookie: sessions.get("viewer")!.cookie }, json: { blurMedia: false } });
      assert.equal(noCsrf.status, 403);
      assert.equal((await s.request("/v1/me/preferences")).status, 404, "an API key has no preferences");
      assert.equal((await as("viewer", "/v1/me/preferences", { method: "PUT", json: { blurMedia: "no" } })).status, 400);
    });

    it("gives the dashboard its figures", async (t) => {
      if (!s) return t.skip(skipReason);
      for (const [query, surface] of [[standIn, "hashtag"], [`#${standIn}`, "hashtag"], [`${standIn} pics`, "search"], ["weather", "search"]]) {
        assert.equal((await s.request("/v1/search/check", { method: "POST", json: { query, surface } })).status, 200);
      }
      const filtered = await s.request("/v1/search/suggestions/filter", { method: "POST", json: { suggestions: ["cats", standIn], surface: "typeahead" } });
      assert.equal((await filtered.json()).removed.length, 1);

      const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000;
      const from = new Date(hour - 3_600_000).toISOString();
      const to = new Date(hour + 3_600_000).toISOString();
      const res = await as("viewer", `/v1/stats/dashboard?from=${from}&to=${to}&bucket=hour`);
      assert.equal(res.status, 200);
      const board = await res.json();
      assert.equal(board.timeToAction.automated.length, 2, "one point per hour bucket of the range");
      const automated = board.timeToAction.automated.reduce((n: number, p: { count: number }) => n + p.count, 0);
      assert.ok(automated >= 1, "the hash match's block was an automated action");
      assert.ok(board.timeToAction.automated.some((p: { p50Seconds: number | null; p99Seconds: number | null }) => p.p50Seconds !== null && p.p99Seconds! >= p.p50Seconds));
      assert.equal(board.timeToAction.reviewed.reduce((n: number, p: { count: number }) => n + p.count, 0), 1, "the reviewer's one decision");
      assert.deepEqual(board.decisions.reviewer, { confirm: 1 });
      assert.ok(Object.keys(board.decisions.automated).length > 0);
      assert.deepEqual(board.backlog.map((b: { priority: string }) => b.priority), ["urgent", "high", "normal", "low"]);
      assert.equal(board.backlog.reduce((n: number, b: { total: number }) => n + b.total, 0), 2, "the seller's case and the report's");
      assert.deepEqual(board.blockedSearches.bySurface, [
        { surface: "hashtag", blocked: 2, suggestionsRemoved: 0 },
        { surface: "search", blocked: 1, suggestionsRemoved: 0 },
        { surface: "typeahead", blocked: 0, suggestionsRemoved: 1 },
      ]);
      const shadow = board.policyHits.find((p: { policyId: string; mode: string }) => p.policyId === "try-lexicon-review");
      assert.equal(shadow?.mode, "shadow");
      assert.equal(shadow?.hits, 1, "the seller's post was the one lexicon hit");
      assert.deepEqual(shadow?.decisions, { review: 1 });

      const policies = await (await as("admin", `/v1/stats/policies?from=${from}&to=${to}`)).json();
      assert.deepEqual(policies.policies.find((p: { policyId: string }) => p.policyId === "try-lexicon-review"), shadow);
      assert.equal((await as("viewer", `/v1/stats/dashboard?from=${to}&to=${from}`)).status, 400, "from after to");
      assert.equal((await as("viewer", "/v1/stats/dashboard?from=2020-01-01T00:00:00Z&bucket=hour")).status, 400, "too many buckets");
    });

    it("validates a policy text with the problem's line, tests lexicon texts and drafts, and searches bank entries", async (t) => {
      if (!s) return t.skip(skipReason);
      const text = JSON.stringify({ version: 1, policies: [{ id: "x", description: "d", when: { signal: "hash-match", where: [{ field: "distanse", op: "<=", value: 10 }] }, then: [{ decision: "hold" }], mode: "enforce" }] }, null, 2);
      const bad = await (await s.request("/v1/policies/validate", { method: "POST", json: { text } })).json();
      assert.equal(bad.valid, false);
      assert.equal(bad.problems[0].pointer, "/policies/0/when/where/0/field");
      assert.equal(text.split("\n")[bad.problems[0].line - 1]!.trim(), '"field": "distanse",', "the line that holds the bad field");
      const syntax = await (await s.request("/v1/policies/validate", { method: "POST", json: { text: '{\n  "version": 1,\n  "policies": [\n  }' } })).json();
      assert.equal(syntax.problems[0].line, 4);
      const good = await (await s.request("/v1/policies/validate", { method: "POST", json: { text: JSON.stringify({ version: 1, policies: [] }) } })).json();
      assert.deepEqual(good, { valid: true, policies: 0, problems: [] });

      const live = await (await s.request("/v1/lexicons/test", { method: "POST", json: { text: `see ${standIn} now`, surface: "post" } })).json();
      assert.deepEqual(live.hits.map((h: { term: string; start: number; lexicon: string }) => [h.term, h.start, h.lexicon]), [[standIn, 4, "stand-ins"]]);
      const draft = await (await s.request("/v1/lexicons/test", { method: "POST", json: { text: "a zorblat here", entries: [{ term: "zorblat", category: "x", severity: "review" }] } })).json();
      assert.equal(draft.hits[0].term, "zorblat");
      const tried = await s.request("/v1/lexicons/stand-ins/try", {
        method: "POST",
        json: { entries: [{ term: "zorblat", category: "x", severity: "block" }], texts: ["zorblat menu", `${standIn} again`, "nothing at all"] },
      });
      assert.equal(tried.status, 200);
      const report = await tried.json();
      assert.equal(report.newlyMatched, 1);
      assert.equal(report.noLongerMatched, 1, "dropping the stand-in stops matching its text");
      assert.deepEqual(report.changes.find((c: { text: string }) => c.text === "zorblat menu"), { text: "zorblat menu", source: "given", before: [], after: ["zorblat"] });
      const invalid = await s.request("/v1/lexicons/stand-ins/try", { method: "POST", json: { entries: [{ term: "" }] } });
      assert.equal(invalid.status, 400);

      const search = async (query: string) => s!.request(`/v1/banks/known-list/entries?${query}`);
      assert.equal((await (await search("signal=3C3C")).json()).entries.length, 1);
      assert.equal((await (await search("signal=ff")).json()).entries.length, 0);
      assert.equal((await (await search("category=csam&text=stand-in")).json()).entries.length, 1, "note text, case aside");
      assert.equal((await (await search("text=100%25")).json()).entries.length, 0, "a % is literal");
      assert.equal((await search("signal=zz")).status, 400);
    });
  });
}
