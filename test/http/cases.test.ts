// Cases and actions over real sockets: events in, a signed webhook out to a
// real HTTP receiver, the review queue as each role sees it, a reviewer's
// decision reversing automated actions, polling and replay.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { verifyWebhook } from "../../src/actions/index.js";
import { dialects } from "../../src/store/testing.js";
import { waitFor } from "../support/cli.js";
import { startWebhookReceiver, type WebhookReceiver } from "../support/webhook-receiver.js";
import { startTestServer, type TestServer } from "../support/server.js";

const secret = "synthetic-webhook-secret-0123456789abcdef";
const csamPdq = "a5".repeat(32);
const standIn = "vornaxle";
const password = "cases test passphrase";

for (const dialect of dialects) {
  describe(`cases and actions over HTTP (${dialect})`, () => {
    let s: TestServer | undefined;
    let receiver: WebhookReceiver;
    // Every delivery that was answered 2xx (the first try of each hold is refused, so retries are exercised).
    const accepted = () => receiver.deliveries.filter((d) => d.status < 300);
    let skipReason = "";
    const sessions = new Map<string, { cookie: string; csrf: string }>();

    const as = (who: string, path: string, init: RequestInit & { json?: unknown } = {}) => {
      const session = sessions.get(who)!;
      const headers = new Headers(init.headers);
      headers.set("cookie", session.cookie);
      headers.set("x-csrf-token", session.csrf);
      return s!.request(path, { ...init, headers, key: null });
    };

    before(async () => {
      receiver = await startWebhookReceiver({ secret, answer: (d, previous) => (d.action?.kind === "content.hold" && previous === 0 ? 503 : undefined) });
      const started = await startTestServer(dialect, { webhookUrl: receiver.url, webhookSecret: secret, workerPollMs: 50, defaultLexicon: false });
      if (typeof started === "string") return void (skipReason = started);
      s = started;
      assert.equal((await s.request(`/v1/lexicons/stand-ins`, { method: "PUT", json: { entries: [{ term: standIn, category: "coded-term", severity: "block", source: "synthetic" }] } })).status, 200);
      assert.equal((await s.request("/v1/banks", { method: "POST", json: { name: "synthetic-csam", matchVerdict: "block" } })).status, 201);
      assert.equal((await s.request("/v1/banks/synthetic-csam/entries", { method: "POST", json: { entries: [{ signalType: "pdq", signal: csamPdq, category: "csam" }] } })).status, 201);
      for (const [username, role] of [
        ["mod", "moderator"],
        ["csr", "child_safety_reviewer"],
        ["view", "viewer"],
      ]) {
        assert.equal((await s.request("/v1/users", { method: "POST", json: { username, password, role } })).status, 201);
        const res = await s.request("/v1/session", { method: "POST", key: null, json: { username, password } });
        sessions.set(username!, { cookie: res.headers.getSetCookie()[0]!.split(";")[0]!, csrf: (await res.json()).csrfToken });
      }
    });
    after(async () => {
      await s?.close();
      await receiver?.close();
    });

    it("turns events into cases and signed webhooks, shows each role what it may see, and reverses on dismissal", async (t) => {
      if (!s) return t.skip(skipReason);
      const at = "2026-03-01T12:00:00Z";
      const sent = await s.request("/v1/events", {
        method: "POST",
        json: {
          events: [
            { id: "e1", type: "post.created", occurred_at: at, post: { id: "p1", author_id: "seller", text: `${standIn} menu, dm me` } },
            { id: "e2", type: "post.created", occurred_at: at, post: { id: "p2", author_id: "hasher", media: [{ kind: "hashes", pdq: csamPdq, quality: 100 }] } },
            { id: "e3", type: "post.created", occurred_at: at, post: { id: "p3", author_id: "gardener", text: "tulips today" } },
          ],
        },
      });
      assert.equal(sent.status, 202);

      // Every action arrives signed, the holds after a refused first attempt.
      const expected = ["content.hold:p1", "content.hold:p2", "account.suspend:hasher"];
      const delivered = await waitFor(
        "three actions delivered",
        async () => {
          const kinds = new Set(accepted().map((d) => `${d.action!.kind}:${d.action!.target.id}`));
          return expected.every((k) => kinds.has(k)) ? accepted() : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 100 },
      );
      for (const d of delivered) {
        assert.equal(verifyWebhook(secret, d.body, d.signature), true, "the signature verifies");
        assert.equal(verifyWebhook(secret, d.body + " ", d.signature), false, "a changed body does not");
        assert.equal(d.action!.id, d.idempotencyKey, "the idempotency key is the action id");
      }
      assert.ok(delivered.some((d) => d.attempt === 2), "a refused delivery is retried");

      const event = await (await s.request("/v1/events/e1")).json();
      assert.deepEqual([event.state, event.decision.kinds, event.decision.policyVersion], ["processed", ["hold", "review"], 0]);
      assert.equal((await (await s.request("/v1/events/e3")).json()).decision, null, "clean text has no decision");

      const polled = await (await s.request("/v1/actions?after=0")).json();
      assert.deepEqual(polled.actions.map((a: { kind: string; target: { id: string } }) => `${a.kind}:${a.target.id}`).sort(), [...expected].sort());
      assert.equal((await (await s.request(`/v1/actions?after=${polled.next}`)).json()).actions.length, 0);

      // The moderator sees the seller's case but not the restricted one; only the child-safety reviewer sees both.
      const modQueue = await (await as("mod", "/v1/cases")).json();
      assert.deepEqual(modQueue.cases.map((c: { accountId: string }) => c.accountId), ["seller"]);
      const csrQueue = await (await as("csr", "/v1/cases")).json();
      assert.deepEqual(csrQueue.cases.map((c: { accountId: string; priority: string }) => `${c.accountId}:${c.priority}`), ["hasher:urgent", "seller:high"]);
      const restrictedId = csrQueue.cases[0].id;
      assert.equal((await as("mod", `/v1/cases/${restrictedId}`)).status, 404);
      const adminQueue = await (await s.request("/v1/cases")).json();
      assert.deepEqual(adminQueue.cases.map((c: { accountId: string }) => c.accountId), ["seller"], "not even an admin key sees a CSAM case");
      assert.equal((await s.request(`/v1/cases/${restrictedId}`)).status, 404);
      assert.equal((await as("view", `/v1/cases/${modQueue.cases[0].id}`)).status, 200);
      assert.equal((await as("view", `/v1/cases/${modQueue.cases[0].id}/claim`, { method: "POST" })).status, 403);

      const detail = await (await as("csr", `/v1/cases/${restrictedId}`)).json();
      assert.equal(detail.decisions[0].policyVersion, 0);
      assert.match(detail.decisions[0].decisions[0].explanation, /known-csam-hash/);

      // Dismissing the seller's case releases the hold, as a new signed action.
      const sellerCase = modQueue.cases[0].id;
      assert.equal((await as("mod", `/v1/cases/${sellerCase}/decision`, { method: "POST", json: { decision: "dismiss" } })).status, 409, "needs a claim");
      assert.equal((await as("mod", `/v1/cases/${sellerCase}/claim`, { method: "POST" })).status, 200);
      const claimedElsewhere = await as("csr", `/v1/cases/${sellerCase}/claim`, { method: "POST" });
      assert.equal(claimedElsewhere.status, 409);
      assert.equal((await claimedElsewhere.json()).error.code, "CASE_CLAIMED");
      for (const note of ["nul \u0000 inside", "lone \ud800 surrogate", "x".repeat(2001)]) {
        const bad = await as("mod", `/v1/cases/${sellerCase}/decision`, { method: "POST", json: { decision: "dismiss", note } });
        assert.equal(bad.status, 400, JSON.stringify(note.slice(0, 20)));
        assert.equal((await bad.json()).error.pointer, "/note");
      }
      const decided = await as("mod", `/v1/cases/${sellerCase}/decision`, { method: "POST", json: { decision: "dismiss", note: "a board game 🎲, in Ελληνικά too\nsecond line" } });
      assert.equal(decided.status, 200);
      const release = (await decided.json()).actions[0];
      assert.equal(release.kind, "content.release");
      await waitFor("the release is delivered", async () => accepted().find((d) => d.idempotencyKey === release.id), { timeoutMs: 30_000, intervalMs: 100 });

      // A NUL anywhere a value is looked up is a 400 on both backends, never a 500 (PostgreSQL cannot hold NUL).
      for (const path of ["/v1/cases/a%00b", "/v1/cases?account=a%00b", "/v1/actions/a%00b", "/v1/events/a%00b", "/v1/banks/a%00b", "/v1/audit?actor=a%00b"]) {
        const res = await s.request(path);
        assert.equal(res.status, 400, path);
        assert.equal((await res.json()).error.code, "VALIDATION_FAILED");
      }
      const nulBody = await as("mod", "/v1/cases/decisions", { method: "POST", json: { decision: "dismiss", accountIds: ["a\u0000b"] } });
      assert.equal(nulBody.status, 400);

      const badState = await as("mod", "/v1/cases?state=closed");
      assert.equal(badState.status, 400);
      assert.equal((await badState.json()).error.pointer, "/state");

      // Replay delivers the same action (same id) again.
      const before = accepted().filter((d) => d.idempotencyKey === release.id).length;
      assert.equal((await s.request("/v1/actions/replay", { method: "POST", json: { ids: [release.id] } })).status, 202);
      await waitFor("the replay is delivered", async () => (accepted().filter((d) => d.idempotencyKey === release.id).length > before ? true : undefined), { timeoutMs: 30_000, intervalMs: 100 });
      assert.equal((await s.request("/v1/actions/replay", { method: "POST", json: { ids: ["no-such-action"] } })).status, 404);

      const metrics = await (await s.request("/metrics")).text();
      assert.match(metrics, /lapwing_decisions_total\{decision="hold",mode="enforce"\} 2/);
      assert.match(metrics, /lapwing_time_to_action_seconds_count\{action="account.suspend"\} 1/);
      assert.match(metrics, /lapwing_cases_undecided\{state="open"\} 1/);
    });
  });
}

describe("actions without webhooks", () => {
  // A server without webhook settings still queues replays: a process with them delivers them
  // (test/processes/webhook-outbox.test.ts). An unknown action is refused before anything is queued.
  it("refuses to replay an action that does not exist", async (t) => {
    const started = await startTestServer("sqlite");
    if (typeof started === "string") return t.skip(started);
    try {
      const replay = await started.request("/v1/actions/replay", { method: "POST", json: { ids: ["x"] } });
      assert.equal(replay.status, 404);
      assert.match((await replay.json()).error.message, /No action has id "x"/);
    } finally {
      await started.close();
    }
  });
});
