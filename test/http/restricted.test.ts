// Defect 6 of issue 10: a restricted (child sexual abuse) case exists only for
// child-safety reviewers. Every route that could name one (cases, events,
// audit, actions, bulk decisions) and the webhook body must hide its id, its
// decisions, its category and its reasons from everyone else (API keys of any
// scope, admins, moderators, viewers), while the platform still receives the
// actions themselves. Checked over real sockets, on both backends, including a
// case that becomes restricted later (a reviewer confirms it as `csam`).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { restrictedReason } from "../../src/actions/index.js";
import { dialects } from "../../src/store/testing.js";
import { waitFor } from "../support/cli.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { startWebhookReceiver, type WebhookReceiver } from "../support/webhook-receiver.js";

const secret = "synthetic-webhook-secret-0123456789abcdef";
const knownPdq = "3c".repeat(32);
const standIn = "vornaxle";
const password = "restricted test passphrase";
const at = "2026-03-01T12:00:00Z";

type Caller = { name: string; key: string } | { name: string; session: { cookie: string; csrf: string } };

/**
 * The routes of the sweep each caller's role refuses with 403 (by route, ids left out); every other route must
 * answer, so a caller refused everywhere cannot pass the sweep by being refused. The bulk decision is last.
 */
const refusedByCaller: Record<string, readonly string[]> = {
  "admin key": [],
  // The platform's key reads the action feed only.
  "ingest key": ["/v1/events/:id", "/v1/audit?limit=1000", "/v1/cases/:id", "/v1/cases/:id/history", "/v1/cases", "/v1/cases?account=hasher", "POST /v1/cases/decisions"],
  "admin session": [],
  // Reviewers work in cases: events, the audit log and the action feed are not theirs; viewers also may not decide.
  "moderator session": ["/v1/events/:id", "/v1/audit?limit=1000", "/v1/actions?limit=1000"],
  "viewer session": ["/v1/events/:id", "/v1/audit?limit=1000", "/v1/actions?limit=1000", "POST /v1/cases/decisions"],
};

for (const dialect of dialects) {
  describe(`restricted cases stay hidden on every route (${dialect})`, () => {
    let s: TestServer | undefined;
    let receiver: WebhookReceiver;
    let skipReason = "";
    const callers: Caller[] = [];
    let reviewer: Caller;

    const call = (caller: Caller, path: string, init: RequestInit & { json?: unknown } = {}) => {
      if ("key" in caller) return s!.request(path, { ...init, key: caller.key });
      const headers = new Headers(init.headers);
      headers.set("cookie", caller.session.cookie);
      headers.set("x-csrf-token", caller.session.csrf);
      return s!.request(path, { ...init, headers, key: null });
    };

    before(async () => {
      receiver = await startWebhookReceiver({ secret });
      const started = await startTestServer(dialect, { webhookUrl: receiver.url, webhookSecret: secret, workerPollMs: 50, defaultLexicon: false });
      if (typeof started === "string") return void (skipReason = started);
      s = started;
      assert.equal((await s.request("/v1/lexicons/stand-ins", { method: "PUT", json: { entries: [{ term: standIn, category: "coded-term", severity: "block", source: "synthetic" }] } })).status, 200);
      assert.equal((await s.request("/v1/banks", { method: "POST", json: { name: "known-list", matchVerdict: "block" } })).status, 201);
      assert.equal((await s.request("/v1/banks/known-list/entries", { method: "POST", json: { entries: [{ signalType: "pdq", signal: knownPdq, category: "csam" }] } })).status, 201);
      callers.push({ name: "admin key", key: s.adminKey });
      const ingest = await s.request("/v1/keys", { method: "POST", json: { name: "platform", scopes: ["ingest"] } });
      callers.push({ name: "ingest key", key: (await ingest.json()).secret });
      for (const role of ["admin", "moderator", "viewer", "child_safety_reviewer"]) {
        assert.equal((await s.request("/v1/users", { method: "POST", json: { username: role, password, role } })).status, 201);
        const res = await s.request("/v1/session", { method: "POST", key: null, json: { username: role, password } });
        const session = { cookie: res.headers.getSetCookie()[0]!.split(";")[0]!, csrf: (await res.json()).csrfToken };
        if (role === "child_safety_reviewer") reviewer = { name: role, session };
        else callers.push({ name: `${role} session`, session });
      }
    });
    after(async () => {
      await s?.close();
      await receiver?.close();
    });

    it("hides the case id, decisions, category and reasons from everyone but child-safety reviewers", async (t) => {
      if (!s) return t.skip(skipReason);
      const events = [
        { id: "e-match", type: "post.created", occurred_at: at, post: { id: "p1", author_id: "hasher", media: [{ kind: "hashes", pdq: knownPdq, quality: 100 }] } },
        { id: "e-later", type: "post.created", occurred_at: at, post: { id: "p2", author_id: "hasher", text: `${standIn} again` } },
        { id: "e-seller", type: "post.created", occurred_at: at, post: { id: "p3", author_id: "seller", text: `${standIn} menu` } },
      ];
      // One at a time, so the second post joins the case the first one opened.
      for (const event of events) {
        assert.equal((await s.request("/v1/events", { method: "POST", json: { events: [event] } })).status, 202);
        const isProcessed = async () => ((await (await call(reviewer, `/v1/events/${event.id}`)).json()).state === "processed" ? true : undefined);
        await waitFor(`${event.id} processed`, isProcessed, { timeoutMs: 30_000, intervalMs: 50 });
      }

      // What the child-safety reviewer sees: the restricted case, its decisions and why.
      const queue = (await (await call(reviewer, "/v1/cases")).json()).cases as Array<{ id: string; accountId: string; restricted: boolean }>;
      const restricted = queue.find((c) => c.accountId === "hasher")!;
      assert.equal(restricted.restricted, true);
      const detail = await (await call(reviewer, `/v1/cases/${restricted.id}`)).json();
      assert.equal(detail.decisions.length, 2, "both of the account's events went into the restricted case");
      assert.ok(detail.actions.some((a: { reason: string }) => /known-csam-hash/.test(a.reason)));
      const hidden = [restricted.id, ...detail.decisions.map((d: { id: string }) => d.id), "known-csam-hash", "category csam"];

      /**
       * Every route that could name a restricted case, called as `caller`: the ones the caller's role refuses
       * answer 403 (exactly those), the named ones 404, and the bodies of the lists are returned.
       */
      const sweep = async (caller: Caller, eventIds: readonly string[], caseId: string) => {
        const bodies: string[] = [];
        const refused: string[] = [];
        const paths = [...eventIds.map((id) => `/v1/events/${id}`), "/v1/audit?limit=1000", "/v1/actions?limit=1000", `/v1/cases/${caseId}`, `/v1/cases/${caseId}/history`, "/v1/cases", "/v1/cases?account=hasher"];
        for (const path of paths) {
          const res = await call(caller, path);
          const body = await res.text();
          if (res.status === 403) {
            refused.push(path.replace(caseId, ":id").replace(/^\/v1\/events\/.*/, "/v1/events/:id"));
            continue;
          }
          if (path.startsWith("/v1/events/") || path.startsWith(`/v1/cases/${caseId}`)) {
            // Exactly what a missing one answers (the message repeats the id asked for, nothing more).
            assert.equal(res.status, 404, `${caller.name} ${path}: ${body}`);
            assert.match(JSON.parse(body).error.message, /^No (event|case) has id/);
            continue;
          }
          assert.equal(res.status, 200, `${caller.name} ${path}: ${body}`);
          bodies.push(body);
        }
        assert.deepEqual([...new Set(refused)], refusedByCaller[caller.name]!.filter((r) => !r.startsWith("POST ")), `${caller.name}: the routes its role refuses, and only those`);
        return bodies;
      };

      for (const caller of callers) {
        for (const body of await sweep(caller, ["e-match", "e-later"], restricted.id)) {
          for (const secretText of hidden) assert.ok(!body.includes(secretText), `${caller.name} must not see ${secretText}: ${body.slice(0, 300)}`);
        }
        const bulk = await call(caller, "/v1/cases/decisions", { method: "POST", json: { decision: "dismiss", accountIds: ["hasher"] } });
        if (refusedByCaller[caller.name]!.includes("POST /v1/cases/decisions")) assert.equal(bulk.status, 403, `${caller.name}: bulk decisions are not its role's`);
        else assert.equal(bulk.status, 400, `${caller.name}: a bulk decision by account finds no case it may see`);
      }
      assert.equal((await call(reviewer, "/v1/events/e-later")).status, 200, "the child-safety reviewer sees the events");

      // The platform still gets its actions (which content, which account), without the reasons or the case.
      const feed = (await (await call(callers[1]!, "/v1/actions")).json()).actions as Array<Record<string, unknown> & { accountId: string; kind: string }>;
      const hashersActions = feed.filter((a) => a.accountId === "hasher");
      assert.deepEqual(hashersActions.map((a) => a.kind).sort(), ["account.suspend", "content.hold", "content.hold"]);
      for (const a of hashersActions) assert.deepEqual([a.caseId, a.decisionId, a.reason, a.details], [null, null, restrictedReason, {}]);
      const one = await (await call(callers[1]!, `/v1/actions/${hashersActions[0]!.id}`)).json();
      assert.equal(one.reason, restrictedReason);
      const audit = (await (await call(callers[0]!, "/v1/audit?limit=1000")).json()).entries as Array<{ redacted?: boolean; action: string }>;
      assert.ok(audit.filter((e) => e.redacted).length >= 4, "the restricted case's decisions and actions are in the log, redacted");
      assert.equal((await (await s.request("/v1/audit/verify")).json()).ok, true, "the chain still verifies");

      // Webhooks carry what the platform's key sees.
      const delivered = await waitFor("every action delivered", async () => (receiver.acceptedIds().size >= feed.length ? receiver.deliveries : undefined), { timeoutMs: 30_000, intervalMs: 100 });
      for (const d of delivered.filter((d) => d.action?.accountId === "hasher")) {
        for (const secretText of hidden) assert.ok(!d.body.includes(secretText), `webhook body names ${secretText}`);
      }

      // A case a reviewer confirms as csam becomes restricted: from then on it is hidden the same way, on every route.
      const seller = queue.find((c) => c.accountId === "seller")!;
      const sellerDecision = (await (await call(reviewer, `/v1/cases/${seller.id}`)).json()).decisions[0].id as string;
      assert.equal((await call(reviewer, `/v1/cases/${seller.id}/claim`, { method: "POST" })).status, 200);
      assert.equal((await call(reviewer, `/v1/cases/${seller.id}/decision`, { method: "POST", json: { decision: "confirm", category: "csam" } })).status, 200);
      for (const caller of callers) {
        for (const body of await sweep(caller, ["e-seller"], seller.id)) {
          for (const secretText of [seller.id, sellerDecision, "category csam"]) assert.ok(!body.includes(secretText), `${caller.name} must not see ${secretText} after the confirmation`);
        }
      }
    });
  });
}
