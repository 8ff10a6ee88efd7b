import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sql, type Kysely } from "kysely";
import { createEventRepository, createEventService, type EventTables } from "../events/index.js";
import { createJobQueue } from "../queue/index.js";
import { dialects, withStore } from "../store/testing.js";
import { createTestStream, natsUnavailable, type TestStream } from "../../test/support/nats.js";
import { createNatsSource } from "./nats.js";
import { createSourceIngest, decodeEventMessage, type SourceLog } from "./source.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function count(db: Kysely<any>, query: string): Promise<number> {
  const result = await sql<{ n: string | number }>`${sql.raw(query)}`.execute(db);
  return Number(result.rows[0]!.n);
}

function post(i: number) {
  return { id: `evt-${i}`, type: "post.created", occurred_at: "2026-01-01T00:00:00Z", post: { id: `p${i}`, author_id: `a${i % 7}`, text: `post number ${i}` } };
}

function recordingLog(): SourceLog & { warnings: Array<Record<string, unknown>> } {
  const warnings: Array<Record<string, unknown>> = [];
  return { warnings, info: () => {}, warn: (details) => warnings.push(details) };
}

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("decodeEventMessage", () => {
  it("gives the event, or why the bytes are not one", () => {
    const ok = decodeEventMessage(new TextEncoder().encode(JSON.stringify(post(1))));
    assert.ok("event" in ok && ok.event.id === "evt-1");
    const notJson = decodeEventMessage(new TextEncoder().encode("{nope"));
    assert.ok("reason" in notJson && notJson.reason.startsWith("not JSON"));
    const badUtf8 = decodeEventMessage(new Uint8Array([0x7b, 0xff, 0x7d]));
    assert.ok("reason" in badUtf8 && badUtf8.reason.startsWith("not JSON"));
    const invalid = decodeEventMessage(new TextEncoder().encode(JSON.stringify({ ...post(1), type: "post.sideways" })));
    assert.ok("reason" in invalid && /\/type/.test(invalid.reason), JSON.stringify(invalid));
  });
});

for (const dialect of dialects) {
  describe(`NATS JetStream source (${dialect})`, () => {
    it("stores every event once, acknowledges after commit, and terminates malformed messages with their reason", async (t) => {
      const unavailable = await natsUnavailable();
      if (unavailable) return t.skip(unavailable);
      let stream: TestStream | undefined;
      await withStore(dialect, t.skip.bind(t), async (store) => {
        stream = await createTestStream();
        const events = createEventService(createEventRepository(store.db as Kysely<EventTables>), createJobQueue(store.db as never, store.dialect));
        const payloads: Array<string | object> = [];
        for (let i = 0; i < 300; i++) payloads.push(post(i));
        payloads.push("not json at all");
        payloads.push({ ...post(999), type: "post.sideways" });
        payloads.push(post(5)); // the same event id again: a duplicate, no second job
        payloads.push({ ...post(5), platform_id: "forum" }); // the same id from another platform: another event
        await stream.publish(payloads);
        // A dead-letter stream of its own, to see what was refused.
        const jsm = await stream.nc.jetstreamManager();
        await jsm.streams.add({ name: `${stream.name}_DLQ`, subjects: [`${stream.name}_dlq`] });

        const log = recordingLog();
        const source = createNatsSource({ servers: "nats://127.0.0.1:4222", stream: stream.name, subject: `${stream.name}.>`, durable: "lapwing-test", batch: 64, ackWaitMs: 1000, deadLetterSubject: `${stream.name}_dlq`, log });
        const running = source.run(createSourceIngest(events));
        try {
          await until("the stream to be consumed", () => source.isDrained());
          assert.equal(await count(store.db, "select count(*) as n from events"), 301);
          assert.equal(await count(store.db, "select count(*) as n from jobs where queue = 'events'"), 301);
          assert.equal(await count(store.db, "select count(*) as n from events where platform_id = 'forum' and id = 'evt-5'"), 1);
          // On a busy machine a message can wait in the client past the 1 s ack wait and come again:
          // then it is a duplicate (or refused again), never a second event.
          const totals = source.totals();
          assert.equal(totals.accepted, 301);
          assert.ok(totals.duplicates >= 1 && totals.refused >= 2, JSON.stringify(totals));
          assert.equal(totals.messages, totals.accepted + totals.duplicates + totals.refused);
          assert.deepEqual([...new Set(log.warnings.map((w) => `${w.ref} ${String(w.reason).slice(0, 8)}`))].sort(), [`${stream.name}:301 not JSON`, `${stream.name}:302 Invalid `]);

          // Past the ack wait, nothing comes back: stored messages were acknowledged, refused ones terminated.
          await new Promise((r) => setTimeout(r, 1500));
          const info = await jsm.consumers.info(stream.name, "lapwing-test");
          assert.equal(info.num_ack_pending, 0);
          assert.equal(info.num_pending, 0);
          assert.deepEqual(source.totals(), totals);
          const dlq = await jsm.streams.info(`${stream.name}_DLQ`);
          assert.equal(dlq.state.messages, totals.refused);
          const dead = await jsm.streams.getMessage(`${stream.name}_DLQ`, { seq: 1 });
          assert.match(dead.header.get("Lapwing-Refused-Reason"), /^not JSON/);
        } finally {
          await source.stop();
          await running;
          await jsm.streams.delete(`${stream.name}_DLQ`).catch(() => {});
          await stream.drop();
        }
      });
    });

    it("does not acknowledge a batch it could not store, and stores it once the database answers", async (t) => {
      const unavailable = await natsUnavailable();
      if (unavailable) return t.skip(unavailable);
      await withStore(dialect, t.skip.bind(t), async (store) => {
        const stream = await createTestStream();
        const events = createEventService(createEventRepository(store.db as Kysely<EventTables>), createJobQueue(store.db as never, store.dialect));
        let failures = 2;
        const flaky = createSourceIngest({
          acceptParsed: async (batch) => {
            if (failures > 0) {
              failures--;
              throw new Error("database away");
            }
            return events.acceptParsed(batch);
          },
        });
        await stream.publish([post(1), post(2), post(3)]);
        const log = recordingLog();
        const source = createNatsSource({ servers: "nats://127.0.0.1:4222", stream: stream.name, subject: stream.subject, durable: "flaky", batch: 10, retryMs: 50, log });
        const running = source.run(flaky);
        try {
          await until("the retried batch to be stored", () => source.isDrained());
          assert.equal(await count(store.db, "select count(*) as n from events"), 3);
          assert.equal(source.totals().retried, 2);
          assert.equal(source.totals().accepted, 3);
          assert.equal(log.warnings.length, 2);
        } finally {
          await source.stop();
          await running;
          await stream.drop();
        }
      });
    });

    it("refuses a missing stream, and a durable consumer that reads another subject, with SOURCE_UNAVAILABLE", async (t) => {
      const unavailable = await natsUnavailable();
      if (unavailable) return t.skip(unavailable);
      await withStore(dialect, t.skip.bind(t), async (store) => {
        const events = createEventService(createEventRepository(store.db as Kysely<EventTables>), createJobQueue(store.db as never, store.dialect));
        const ingest = createSourceIngest(events);
        const missing = createNatsSource({ servers: "nats://127.0.0.1:4222", stream: "LW_TEST_NO_SUCH_STREAM", subject: "x.>", durable: "d", batch: 10, log: recordingLog() });
        await assert.rejects(missing.run(ingest), (e: Error & { code?: string }) => e.code === "SOURCE_UNAVAILABLE" && /does not exist/.test(e.message));
        const stream = await createTestStream();
        try {
          const first = createNatsSource({ servers: "nats://127.0.0.1:4222", stream: stream.name, subject: stream.subject, durable: "shared", batch: 10, log: recordingLog() });
          const running = first.run(ingest);
          await until("the consumer to exist", () => first.isDrained().catch(() => false));
          await first.stop();
          await running;
          const other = createNatsSource({ servers: "nats://127.0.0.1:4222", stream: stream.name, subject: `${stream.name}.other`, durable: "shared", batch: 10, log: recordingLog() });
          await assert.rejects(other.run(ingest), (e: Error & { code?: string }) => e.code === "SOURCE_UNAVAILABLE" && /another --durable name/.test(e.message));
        } finally {
          await stream.drop();
        }
      });
    });
  });
}
