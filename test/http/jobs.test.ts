import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createJobQueue } from "../../src/queue/index.js";
import { openStore, type Store } from "../../src/store/index.js";
import { startTestServer, type TestServer } from "../support/server.js";

describe("the job queue over HTTP: stats, dead letters, retry, metrics (sqlite)", () => {
  let s: TestServer;
  let store: Store;
  before(async () => {
    const started = await startTestServer("sqlite");
    assert.notEqual(typeof started, "string");
    s = started as TestServer;
    store = await openStore(s.database.url);
  });
  after(async () => {
    await store?.close();
    await s?.close();
  });

  it("shows a dead job to admins, retries it, and exports queue depth to Prometheus", async () => {
    const queue = createJobQueue(store.db, store.dialect);
    const { id } = await queue.enqueue(store.db, { queue: "test-dlq", payload: { eventId: "e1" }, maxAttempts: 1 });
    const [claimed] = await queue.claim("test-dlq", { worker: "t", limit: 1, leaseMs: 60_000 });
    assert.equal(claimed?.id, id);
    assert.deepEqual(await queue.fail(id, "t", new Error("synthetic failure")), { state: "dead" });

    const dead = await (await s.request("/v1/jobs/dead?queue=test-dlq")).json();
    assert.equal(dead.jobs.length, 1);
    assert.deepEqual([dead.jobs[0].id, dead.jobs[0].state, dead.jobs[0].payload], [id, "dead", { eventId: "e1" }]);
    assert.match(dead.jobs[0].lastError, /synthetic failure/);

    const stats = await (await s.request("/v1/jobs/stats")).json();
    assert.deepEqual(stats.queues.find((q: { queue: string }) => q.queue === "test-dlq"), { queue: "test-dlq", ready: 0, running: 0, done: 0, dead: 1, oldestReadyAgeMs: null });

    const retried = await s.request(`/v1/jobs/${id}/retry`, { method: "POST" });
    assert.equal(retried.status, 200);
    assert.equal((await retried.json()).state, "ready");
    const again = await s.request(`/v1/jobs/${id}/retry`, { method: "POST" });
    assert.equal(again.status, 409, "only dead jobs can be retried");

    const metrics = await (await s.request("/metrics")).text();
    assert.match(metrics, /lapwing_queue_jobs\{queue="test-dlq",state="ready"\} 1/);
    assert.match(metrics, /lapwing_queue_jobs\{queue="test-dlq",state="dead"\} 0/);
    assert.match(metrics, /lapwing_queue_oldest_ready_age_seconds\{queue="test-dlq"\} [\d.]+/);

    assert.equal((await s.request("/v1/jobs/dead?queue=test-dlq", { key: s.checkKey })).status, 403);
  });
});
