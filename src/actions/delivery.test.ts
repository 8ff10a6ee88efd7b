import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import type { Kysely } from "kysely";
import { createAuditLog, createAuditRepository, type AuditTables } from "../audit/index.js";
import { createJobQueue, type Job, type JobQueue } from "../queue/index.js";
import type { DialectName } from "../store/index.js";
import { dialects, withStore } from "../store/testing.js";
import { createWebhookDelivery } from "./delivery.js";
import { createActionRepository } from "./repository.js";
import { createActionService, webhookQueueName, type ActionServiceOptions } from "./service.js";
import { verifyWebhook } from "./signing.js";
import { platformViewer } from "./types.js";
import type { ActionTables } from "./tables.js";

const secret = "delivery-test-secret-0123456789abcdef";

/** The action service over a test store; no case is restricted here (tests/http/restricted.test.ts covers redaction). */
function actionService(store: { db: Kysely<unknown>; dialect: DialectName }, queue: JobQueue, options: Partial<ActionServiceOptions> = {}) {
  const audit = createAuditLog(createAuditRepository(store.db as Kysely<AuditTables>));
  return createActionService(createActionRepository(store.db as Kysely<ActionTables>, store.dialect), { queue, audit, restrictedCases: { among: async () => new Set() }, ...options });
}

/** A receiver whose answer each test sets: a status, a redirect, or silence. */
let answer: "ok" | "fail" | "redirect" | "hang" = "ok";
const received: Array<{ body: string; signature: string | undefined }> = [];
let server: Server;
let url = "";

before(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      received.push({ body, signature: req.headers["lapwing-signature"] as string | undefined });
      if (answer === "ok") res.writeHead(200).end("thanks");
      else if (answer === "fail") res.writeHead(500).end();
      else if (answer === "redirect") res.writeHead(302, { location: "http://127.0.0.1:1/elsewhere" }).end();
      // "hang": never answer; the delivery's timeout must end it.
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

for (const dialect of dialects) {
  describe(`webhook delivery (${dialect})`, () => {
    it("signs each delivery, retries failures, times out a silent endpoint, refuses redirects, and dead-letters after the last attempt", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const queue = createJobQueue(store.db, store.dialect, { backoff: { baseMs: 1, maxMs: 1, jitter: 0 } });
        const actions = actionService(store, queue, { webhookMaxAttempts: 4 });
        const [action] = await store.db.transaction().execute((trx) =>
          actions.emit(trx, [{ key: "k1", kind: "content.hold", accountId: "a1", target: { type: "post", id: "p1" }, actor: "system", reason: "synthetic" }]),
        );
        assert.equal(await actions.drainOutbox(), 1, "the outbox queues the new action's delivery");
        assert.equal(await actions.drainOutbox(), 0, "and only once");
        const deliver = createWebhookDelivery(actions, { url, secret, timeoutMs: 300 });
        const attempt = async (): Promise<Error | undefined> => {
          const [job] = await queue.claim(webhookQueueName, { worker: "w", limit: 1, leaseMs: 60_000 });
          assert.ok(job, "a delivery job is due");
          try {
            await deliver(job as Job<{ actionId: string }>);
            await queue.complete(job.id, "w");
            return undefined;
          } catch (error) {
            await queue.fail(job.id, "w", error);
            await new Promise((r) => setTimeout(r, 5));
            return error as Error;
          }
        };

        answer = "fail";
        assert.match((await attempt())!.message, /HTTP 500/);
        answer = "hang";
        assert.match(String((await attempt())!.name), /TimeoutError|AbortError/);
        answer = "redirect";
        assert.match((await attempt())!.message, /HTTP 302/);
        assert.equal((await actions.get(action!.id, platformViewer)).deliveredAt, null);
        answer = "fail";
        await attempt();
        const [dead] = await queue.listDead(webhookQueueName);
        assert.equal(dead?.key, action!.id, "after four failed attempts the delivery is dead-lettered");

        // A replay is a new delivery of the same action, signed afresh.
        answer = "ok";
        await actions.replay([action!.id], "cli");
        assert.equal(await attempt(), undefined);
        const last = received.at(-1)!;
        assert.equal(JSON.parse(last.body).id, action!.id);
        assert.equal(verifyWebhook(secret, last.body, last.signature), true);
        assert.notEqual((await actions.get(action!.id, platformViewer)).deliveredAt, null);
        // Every attempt carried a valid signature over exactly what was sent.
        for (const r of received) assert.equal(verifyWebhook(secret, r.body, r.signature), true);
      });
    });

    it("the outbox starts from every undelivered action by default, or from the first drain with backlog skip", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const queue = createJobQueue(store.db, store.dialect);
        const emitOne = (service: ReturnType<typeof createActionService>, key: string) =>
          store.db.transaction().execute((trx) => service.emit(trx, [{ key, kind: "content.hold", accountId: "a1", target: { type: "post", id: key }, actor: "cli", reason: "synthetic" }]));
        const skipping = actionService(store, queue, { webhookBacklog: "skip" });
        await emitOne(skipping, "before-webhooks");
        assert.equal(await skipping.outboxBacklog(), 1, "not drained yet");
        assert.equal(await skipping.drainOutbox(), 0, "skip: what was written before the first drain stays undelivered");
        assert.equal(await skipping.outboxBacklog(), 0);
        const [later] = await emitOne(skipping, "after-webhooks");
        assert.equal(await skipping.outboxBacklog(), 1);
        assert.equal(await skipping.drainOutbox(), 1);
        const ready = await queue.claim(webhookQueueName, { worker: "w", limit: 10, leaseMs: 60_000 });
        assert.deepEqual(ready.map((j) => j.key), [later!.id]);
      });
    });

    it("emits an idempotency key once, however often it is asked", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const queue = createJobQueue(store.db, store.dialect);
        const actions = actionService(store, queue);
        const request = { key: "same", kind: "account.suspend" as const, accountId: "a1", target: { type: "account" as const, id: "a1" }, actor: "system", reason: "synthetic" };
        const first = await store.db.transaction().execute((trx) => actions.emit(trx, [request, { ...request }]));
        const second = await store.db.transaction().execute((trx) => actions.emit(trx, [request]));
        assert.equal(first.length, 1);
        assert.equal(second.length, 0);
        assert.equal((await actions.list({}, platformViewer)).actions.length, 1);
        await actions.drainOutbox();
        assert.equal((await queue.stats()).find((q) => q.queue === webhookQueueName)?.ready, 1);
      });
    });
  });
}
