// Enforcement end to end, as a platform would see it: an event stream sent
// with `lapwing events send` becomes the right cases and signed webhooks from
// `lapwing serve`; and the same holds exactly once when the server is killed
// with SIGKILL half-way through a large batch and started again.
// On a SQLite file and on PostgreSQL. Only synthetic stand-in words and random
// hashes are used.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it, type TestContext } from "node:test";
import { sql } from "kysely";
import { verifyWebhook } from "../../src/actions/index.js";
import { openStore } from "../../src/store/index.js";
import { createTestDatabase, dialects, dialectUnavailable } from "../../src/store/testing.js";
import { startServeProcess, waitFor } from "../support/cli.js";
import {
  assertExactlyOnce,
  expireLeasesOfDeadWorkers,
  loadPlan,
  newWebhookSecret,
  progress,
  sendEvents,
  serveEnv,
  setUpDetectors,
  standIn,
  syntheticPdq,
  writeJsonl,
} from "../support/enforcement-load.js";
import { startWebhookReceiver, type WebhookDelivery } from "../support/webhook-receiver.js";

/** Registers cleanups that run after the test, last first, even when it failed half-way through its set-up. */
function cleanupsFor(t: TestContext): (cleanup: () => unknown) => void {
  const stack: Array<() => unknown> = [];
  t.after(async () => {
    for (const cleanup of stack.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        t.diagnostic(`cleanup failed: ${(error as Error).message}`);
      }
    }
  });
  return (cleanup) => void stack.push(cleanup);
}

/** `lapwing serve`, with its log kept for failure messages. */
async function startServe(databaseUrl: string, env: Record<string, string>) {
  const server = await startServeProcess(databaseUrl, env);
  // Its structured log (pino, on stdout) and stderr; reading stdout also keeps the pipe from filling up.
  let log = "";
  server.child.stdout!.on("data", (d) => (log += d));
  server.child.stderr!.on("data", (d) => (log += d));
  const exited = new Promise<void>((resolve) => (server.child.exitCode !== null ? resolve() : server.child.once("exit", () => resolve())));
  return { ...server, log: () => log, exited };
}

/** Waits for `ready`, then kills the server with SIGKILL and waits for it to be gone. */
async function killWhen<T>(server: Awaited<ReturnType<typeof startServe>>, what: string, ready: () => Promise<T | undefined>): Promise<T> {
  try {
    const value = await waitFor(
      what,
      async () => {
        if (server.child.exitCode !== null) throw new Error(`serve exited early:\n${server.log()}`);
        return ready();
      },
      { timeoutMs: 60_000, intervalMs: 10 },
    );
    return value;
  } finally {
    server.child.kill("SIGKILL");
    await server.exited;
  }
}

const at = (minute: number) => new Date(Date.UTC(2026, 2, 1, 10, minute)).toISOString();

for (const dialect of dialects) {
  describe(`enforcement end to end (${dialect})`, () => {
    it("turns an event stream sent with the CLI into the right cases and signed, retried webhooks", async (t) => {
      const unavailable = await dialectUnavailable(dialect);
      if (unavailable) return t.skip(unavailable);
      const defer = cleanupsFor(t);
      const dir = mkdtempSync(join(tmpdir(), "lapwing-enforcement-"));
      defer(() => rmSync(dir, { recursive: true, force: true }));
      const database = await createTestDatabase(dialect);
      defer(() => database.drop());
      const secret = newWebhookSecret();
      // The receiver refuses the first delivery of two actions, to see them retried.
      const refuseFirst = (d: Omit<WebhookDelivery, "status">) =>
        (d.action?.kind === "content.hold" && d.action.target.id === "post-term-2") || d.action?.kind === "account.safeguard";
      const receiver = await startWebhookReceiver({ secret, answer: (d, previous) => (previous === 0 && refuseFirst(d) ? 500 : undefined) });
      defer(() => receiver.close());
      const csamPdq = syntheticPdq();
      const teenPdq = syntheticPdq();
      const { adminKey, reviewer } = await setUpDetectors(database.url, dir, [csamPdq, teenPdq]);
      const server = await startServe(database.url, serveEnv(receiver.url, secret));
      defer(() => server.stop());
      const store = await openStore(database.url);
      defer(() => store.close());
      const api = async (path: string, init: RequestInit = {}) => {
        const response = await fetch(server.url + path, { ...init, headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json", ...init.headers } });
        return { status: response.status, body: await response.json() };
      };
      // The accounts first (the minor's age band must be known before their post is judged), then the stream.
      const accounts = join(dir, "accounts.jsonl");
      writeJsonl(accounts, [
        ...["clean-1", "clean-2", "term-1", "term-2", "csam-1", "reported-1"].map((id, i) => ({
          id: `evt-acct-${id}`,
          type: "account.created",
          occurred_at: at(i),
          account: { id, handle: `handle_${i}`, display_name: `Synthetic ${i}`, bio: "I like gardens.", age_band: { value: "18_plus", source: "declared" } },
        })),
        { id: "evt-acct-teen-1", type: "account.created", occurred_at: at(7), account: { id: "teen-1", handle: "sprout", age_band: { value: "13_15", source: "declared" } } },
      ]);
      assert.equal((await sendEvents(database.url, accounts)).accepted, 7);
      await waitFor("the accounts to be processed", async () => ((await progress(store.db)).processed === 7 ? true : undefined), { timeoutMs: 30_000 });

      const stream = join(dir, "events.jsonl");
      const events = [
        { id: "evt-1", type: "post.created", occurred_at: at(10), post: { id: "post-clean-1", author_id: "clean-1", text: "New teapot glaze today", hashtags: ["#pottery"] } },
        { id: "evt-2", type: "post.created", occurred_at: at(11), post: { id: "post-clean-2", author_id: "clean-2", text: "Garden photo", media: [{ kind: "hashes", id: "m-clean", pdq: syntheticPdq(), quality: 95 }] } },
        { id: "evt-3", type: "post.created", occurred_at: at(12), post: { id: "post-term-1a", author_id: "term-1", text: `who has a ${standIn}? dm me` } },
        { id: "evt-4", type: "follow", occurred_at: at(13), follower_id: "clean-1", followee_id: "term-1" },
        { id: "evt-5", type: "post.created", occurred_at: at(14), post: { id: "post-term-2", author_id: "term-2", text: `the ${standIn} thread continues` } },
        { id: "evt-6", type: "comment.created", occurred_at: at(15), comment: { id: "cmt-clean", post_id: "post-clean-1", author_id: "clean-2", text: "Lovely colour." } },
        { id: "evt-7", type: "post.created", occurred_at: at(16), post: { id: "post-csam-1", author_id: "csam-1", text: "look", media: [{ kind: "hashes", id: "m-1", pdq: csamPdq, quality: 100 }] } },
        { id: "evt-8", type: "interaction", occurred_at: at(17), kind: "like", actor_id: "clean-2", target_post_id: "post-clean-1" },
        {
          id: "evt-9",
          type: "report.created",
          occurred_at: at(18),
          report: { id: "rep-1", reporter_id: "clean-1", target: { type: "account", id: "reported-1" }, reason: "synthetic report: asks children to message privately", category: "child-safety" },
        },
        { id: "evt-10", type: "post.created", occurred_at: at(19), post: { id: "post-term-1b", author_id: "term-1", text: `another ${standIn} for trade` } },
        { id: "evt-11", type: "post.created", occurred_at: at(20), post: { id: "post-teen-1", author_id: "teen-1", text: "hi", media: [{ kind: "hashes", id: "m-2", pdq: teenPdq, quality: 100 }] } },
        { id: "evt-12", type: "post.created", occurred_at: at(21), post: { id: "post-clean-3", author_id: "clean-1", text: "Kiln is hot, more tomorrow" } },
      ];
      writeJsonl(stream, events);
      const sent = await sendEvents(database.url, stream, 5);
      assert.deepEqual([sent.accepted, sent.duplicates], [events.length, 0]);

      const expectedActions = [
        "account.safeguard account:teen-1 (teen-1)",
        "account.suspend account:csam-1 (csam-1)",
        "account.suspend account:teen-1 (teen-1)",
        "content.hold post:post-csam-1 (csam-1)",
        "content.hold post:post-teen-1 (teen-1)",
        "content.hold post:post-term-1a (term-1)",
        "content.hold post:post-term-1b (term-1)",
        "content.hold post:post-term-2 (term-2)",
      ];
      await waitFor(
        "every event processed and the expected actions delivered",
        async () => {
          if (server.child.exitCode !== null) throw new Error(`serve exited:\n${server.log()}`);
          const p = await progress(store.db);
          return p.processed === 7 + events.length && p.unfinishedJobs === 0 && receiver.acceptedIds().size >= expectedActions.length ? true : undefined;
        },
        { timeoutMs: 45_000 },
      );

      // The feed (GET /v1/actions) holds exactly the expected actions, once each.
      const feed = await api("/v1/actions?after=0&limit=1000");
      assert.equal(feed.status, 200);
      const actions = feed.body.actions as Array<{ id: string; kind: string; accountId: string; target: { type: string; id: string }; caseId: string; details: Record<string, unknown>; deliveredAt: string | null }>;
      assert.deepEqual(actions.map((a) => `${a.kind} ${a.target.type}:${a.target.id} (${a.accountId})`).sort(), expectedActions);
      const safeguard = actions.find((a) => a.kind === "account.safeguard")!;
      assert.ok(Array.isArray(safeguard.details.helpResources) && safeguard.details.helpResources.length > 0, "the safeguard carries help resources");

      // Cases, as the child-safety reviewer sees them (the only role that sees restricted cases)...
      const login = await fetch(server.url + "/v1/session", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(reviewer) });
      assert.equal(login.status, 200, "the reviewer logs in");
      const cookie = login.headers.getSetCookie()[0]!.split(";")[0]!;
      const asReviewer = await fetch(server.url + "/v1/cases?limit=500", { headers: { cookie } });
      assert.equal(asReviewer.status, 200);
      type Case = { id: string; accountId: string; priority: string; restricted: boolean; reportRequested: boolean; decisionCount: number; state: string };
      const cases = (await asReviewer.json()).cases as Case[];
      const describeCase = (c: Case) => `${c.accountId} ${c.priority} restricted=${c.restricted} report=${c.reportRequested} decisions=${c.decisionCount} ${c.state}`;
      assert.deepEqual(cases.map(describeCase).sort(), [
        "csam-1 urgent restricted=true report=true decisions=1 open",
        "reported-1 normal restricted=false report=false decisions=1 open",
        "teen-1 urgent restricted=true report=true decisions=1 open",
        "term-1 high restricted=false report=false decisions=2 open",
        "term-2 high restricted=false report=false decisions=1 open",
      ]);
      assert.deepEqual(cases.map((c) => c.priority), ["urgent", "urgent", "high", "high", "normal"], "most urgent first");
      for (const action of actions) {
        const own = cases.find((c) => c.accountId === action.accountId)!;
        // The key (like the webhook) does not learn which restricted case an action belongs to (docs/cases.md).
        assert.equal(action.caseId, own.restricted ? null : own.id, `action ${action.kind} ${action.target.id} belongs to its account's case`);
      }
      // ... and as an admin API key sees them: the restricted ones are not there.
      const asAdmin = await api("/v1/cases?limit=500");
      assert.equal(asAdmin.status, 200);
      assert.deepEqual((asAdmin.body.cases as Case[]).map(describeCase).sort(), [
        "reported-1 normal restricted=false report=false decisions=1 open",
        "term-1 high restricted=false report=false decisions=2 open",
        "term-2 high restricted=false report=false decisions=1 open",
      ]);
      const decisions = await sql<{ event_id: string }>`select event_id from decisions order by event_id`.execute(store.db);
      assert.deepEqual(
        decisions.rows.map((r) => r.event_id),
        ["evt-10", "evt-11", "evt-3", "evt-5", "evt-7", "evt-9"],
        "one decision per event with a signal",
      );

      // Webhooks: every delivery signed with the shared secret, keyed by the action id.
      const ids = new Set(actions.map((a) => a.id));
      assert.deepEqual(receiver.acceptedIds(), ids, "each action delivered, and nothing else");
      const distinctKeys = new Set(receiver.deliveries.map((d) => d.idempotencyKey));
      assert.equal(distinctKeys.size, ids.size, "distinct idempotency keys == distinct actions");
      for (const d of receiver.deliveries) {
        assert.ok(d.verified, `delivery ${d.n} verifies`);
        assert.equal(d.idempotencyKey, d.action!.id);
        assert.equal(d.contentType, "application/json");
        const { deliveredAt: _, ...immutable } = actions.find((a) => a.id === d.action!.id)!;
        assert.deepEqual(d.action, immutable, "the body is the action (without its delivery time)");
      }
      const sample = receiver.deliveries[0]!;
      const tampered = sample.body.replace(`"kind":"${sample.action!.kind}"`, `"kind":"content.release"`);
      assert.notEqual(tampered, sample.body);
      assert.equal(verifyWebhook(secret, tampered, sample.signature), false, "a tampered body does not verify");
      assert.equal(verifyWebhook(secret, sample.body + " ", sample.signature), false, "one byte more does not verify");
      assert.equal(verifyWebhook(newWebhookSecret(), sample.body, sample.signature), false, "another secret does not verify");

      // The two refused deliveries were retried until accepted, under the same idempotency key.
      const refused = receiver.deliveries.filter((d) => d.status === 500);
      assert.equal(refused.length, 2);
      for (const first of refused) {
        const all = receiver.byActionId().get(first.action!.id)!;
        assert.equal(all[0], first, "the refused delivery was the first");
        assert.equal(first.attempt, 1);
        const accepted = all.find((d) => d.status === 200);
        assert.ok(accepted && accepted.attempt >= 2, `action ${first.action!.kind} retried after the 500 and accepted (attempt ${accepted?.attempt})`);
        assert.ok(all.every((d) => d.body === first.body), "a retry sends the same body");
      }
      assert.equal((await progress(store.db)).dead, 0, "no dead letters");

      // A replayed delivery is "the unchanged action" (POST /v1/actions/replay), so a receiver
      // that dedupes by idempotency key and checks the body sees the same bytes.
      const replayed = actions.find((a) => a.kind === "content.hold" && a.target.id === "post-csam-1")!;
      const before = receiver.byActionId().get(replayed.id)!.length;
      const replay = await api("/v1/actions/replay", { method: "POST", body: JSON.stringify({ ids: [replayed.id] }) });
      assert.equal(replay.status, 202);
      await waitFor("the replayed delivery", async () => ((receiver.byActionId().get(replayed.id)?.length ?? 0) > before ? true : undefined), { timeoutMs: 20_000 });
      const replays = receiver.byActionId().get(replayed.id)!;
      assert.equal(replays.at(-1)!.idempotencyKey, replayed.id);
      assert.ok(replays.at(-1)!.verified);
      assert.equal(replays.at(-1)!.body, replays[0]!.body, "a replay sends the same body as the first delivery");
    });

    it("survives SIGKILL of the server mid-batch: every event processed, every action emitted once and delivered", async (t) => {
      const unavailable = await dialectUnavailable(dialect);
      if (unavailable) return t.skip(unavailable);
      const defer = cleanupsFor(t);
      const dir = mkdtempSync(join(tmpdir(), "lapwing-enforcement-crash-"));
      defer(() => rmSync(dir, { recursive: true, force: true }));
      const database = await createTestDatabase(dialect);
      defer(() => database.drop());
      const secret = newWebhookSecret();
      const receiver = await startWebhookReceiver({ secret });
      defer(() => receiver.close());
      const csamPdqs = [syntheticPdq(), syntheticPdq(), syntheticPdq()];
      const { adminKey } = await setUpDetectors(database.url, dir, csamPdqs);
      assert.ok(adminKey);
      const plan = loadPlan(3000, csamPdqs);
      const file = join(dir, "load.jsonl");
      writeJsonl(file, plan.events);
      const store = await openStore(database.url);
      defer(() => store.close());
      const env = serveEnv(receiver.url, secret);
      // Kill 1: while events are being processed (the server is up first, the CLI sends the
      // batch into its database). Kill 2, of the restarted server: while actions are being
      // delivered. Then a third server finishes the work.
      const run1 = await startServe(database.url, env);
      defer(() => (run1.child.exitCode === null ? run1.child.kill("SIGKILL") : undefined));
      const sending = sendEvents(database.url, file);
      const atKill1 = await killWhen(run1, "the server to be well into the events", async () => {
        const p = await progress(store.db);
        return p.processed >= plan.events.length * 0.3 ? p : undefined;
      });
      assert.ok(atKill1.processed < plan.events.length, `kill 1 came mid-batch (${atKill1.processed} of ${plan.events.length} events processed)`);
      const sent = await sending;
      assert.deepEqual([sent.accepted, sent.duplicates], [plan.events.length, 0], "every event accepted once");
      const deliveredAtKill1 = receiver.acceptedIds().size;
      const inHand1 = await expireLeasesOfDeadWorkers(store.db);

      const run2 = await startServe(database.url, env);
      defer(() => (run2.child.exitCode === null ? run2.child.kill("SIGKILL") : undefined));
      // It answers HTTP while it works through the backlog (on SQLite too: the worker yields to the event loop).
      const health = await fetch(run2.url + "/healthz");
      assert.equal(health.status, 200);
      const { processed: atHealth } = await progress(store.db);
      assert.ok(atHealth < plan.events.length, `the restarted server answered HTTP before its backlog was done (${atHealth} of ${plan.events.length} processed)`);
      await killWhen(run2, "the restarted server to be well into the deliveries", async () =>
        receiver.acceptedIds().size >= plan.expected.actions.size * 0.4 ? true : undefined,
      );
      const deliveredAtKill2 = receiver.acceptedIds().size;
      assert.ok(deliveredAtKill2 < plan.expected.actions.size, `kill 2 came mid-delivery (${deliveredAtKill2} of ${plan.expected.actions.size} delivered)`);
      const inHand2 = await expireLeasesOfDeadWorkers(store.db);

      const run3 = await startServe(database.url, env);
      defer(() => run3.stop());
      await waitFor(
        "the restarted server to finish the batch and deliver every action",
        async () => {
          if (run3.child.exitCode !== null) throw new Error(`restarted serve exited:\n${run3.log()}`);
          const p = await progress(store.db);
          return p.processed === plan.events.length && p.unfinishedJobs === 0 && receiver.acceptedIds().size >= p.actions ? true : undefined;
        },
        { timeoutMs: 90_000, intervalMs: 100 },
      );
      await assertExactlyOnce(store.db, plan, receiver);
      const redelivered = [...receiver.byActionId().values()].filter((d) => d.length > 1).length;
      t.diagnostic(
        `kill 1 at ${atKill1.processed}/${plan.events.length} events processed and ${deliveredAtKill1}/${plan.expected.actions.size} actions delivered, ${inHand1} jobs in hand; ` +
          `kill 2 at ${deliveredAtKill2} delivered, ${inHand2} jobs in hand; ${redelivered} actions delivered more than once`,
      );
    });
  });
}
