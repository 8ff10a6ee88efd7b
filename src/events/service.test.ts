import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sql, type Kysely } from "kysely";
import { LapwingError } from "../errors/index.js";
import { createJobQueue } from "../queue/index.js";
import { dialects, withStore } from "../store/testing.js";
import { createEventRepository } from "./repository.js";
import { createEventService, type EventJobQueue } from "./service.js";
import type { EventTables } from "./tables.js";

const at = "2026-01-01T00:00:00.000Z";
const clock = () => new Date(at);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function count(db: Kysely<any>, table: string): Promise<number> {
  const result = await sql<{ n: string | number }>`select count(*) as n from ${sql.table(table)}`.execute(db);
  return Number(result.rows[0]!.n);
}

function isValidation(pointer: string) {
  return (e: unknown) => e instanceof LapwingError && e.code === "VALIDATION_FAILED" && e.pointer === pointer;
}

const batch = [
  { id: "evt-1", type: "account.created", occurred_at: "2026-01-01T00:00:00Z", account: { id: "acct-1", handle: "mossy", bio: "hello" } },
  { id: "evt-2", type: "post.created", occurred_at: "2026-01-01T00:01:00+02:00", post: { id: "post-1", author_id: "acct-1", text: "a walk", hashtags: ["#walk"] } },
  { id: "evt-3", type: "follow", occurred_at: "2026-01-01T00:02:00Z", follower_id: "acct-2", followee_id: "acct-1" },
  { id: "evt-4", type: "interaction", occurred_at: "2026-01-01T00:03:00Z", kind: "message", actor_id: "acct-2", target_account_id: "acct-1", conversation_id: "c1" },
  { id: "evt-5", type: "report.created", occurred_at: "2026-01-01T00:04:00Z", report: { id: "r1", reporter_id: "acct-3", target: { type: "post", id: "post-1" }, reason: "spam" } },
];

for (const dialect of dialects) {
  describe(`event ingestion (${dialect})`, () => {
    const setUp = (db: Kysely<unknown>, dialectName: typeof dialect, queueOverride?: EventJobQueue) => {
      const jobs = createJobQueue(db as never, dialectName, { clock });
      const events = createEventService(createEventRepository(db as Kysely<EventTables>), queueOverride ?? jobs, { clock });
      return { jobs, events };
    };

    it("stores a batch and enqueues one job per event; the same batch again changes nothing", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { jobs, events } = setUp(store.db, store.dialect);
        assert.deepEqual(await events.accept(batch), { accepted: 5, duplicates: 0 });
        assert.equal(await count(store.db, "events"), 5);
        const keys = (await store.db.selectFrom("jobs" as never).select(["idempotency_key" as never, "queue" as never]).execute()) as Array<{ idempotency_key: string; queue: string }>;
        assert.deepEqual(keys.map((k) => [k.queue, k.idempotency_key]).sort(), batch.map((e) => ["events", e.id]).sort());

        assert.deepEqual(await events.accept(batch), { accepted: 0, duplicates: 5 });
        assert.equal(await count(store.db, "events"), 5);
        assert.equal(await count(store.db, "jobs"), 5, "no new jobs for duplicates");
        assert.equal((await jobs.stats())[0]?.ready, 5);

        // A partly new batch, with an id repeated inside it: the first copy wins.
        const changed = { ...batch[2]!, followee_id: "someone-else" };
        const next = { id: "evt-6", type: "unfollow", occurred_at: at, follower_id: "acct-2", followee_id: "acct-1" };
        assert.deepEqual(await events.accept([changed, next, next]), { accepted: 1, duplicates: 2 });
        const stored = await events.get("evt-3");
        assert.equal((stored.event as { followee_id: string }).followee_id, "acct-1", "a re-sent id keeps the first version");
        assert.equal(stored.state, "pending");
        assert.equal(stored.receivedAt, at);

        const post = await events.get("evt-2");
        assert.equal(post.occurredAt, "2025-12-31T22:01:00.000Z", "stored in UTC");
        assert.deepEqual([post.subjectId, post.actorId, post.type], ["post-1", "acct-1", "post.created"]);
        await assert.rejects(events.get("nope"), (e: unknown) => e instanceof LapwingError && e.code === "NOT_FOUND");
      });
    });

    it("refuses a batch with one bad event, pointing at the field, and stores nothing", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { events } = setUp(store.db, store.dialect);
        const bad = (event: unknown) => [...batch.slice(0, 3), event];
        await assert.rejects(events.accept(bad({ ...batch[0], id: "x", type: "account.exploded" })), isValidation("/events/3/type"));
        await assert.rejects(events.accept(bad({ ...batch[3], id: "x", body: "hi" })), (e: unknown) => isValidation("/events/3/body")(e) && /message bodies are never accepted/.test((e as Error).message));
        await assert.rejects(events.accept(bad({ ...batch[3], id: "x", message_text: "hi" })), isValidation("/events/3/message_text"));
        await assert.rejects(events.accept(bad({ ...batch[0], id: "x", account: { id: "a", ageband: { value: "13_15", source: "declared" } } })), isValidation("/events/3/account/ageband"));
        await assert.rejects(events.accept(bad({ ...batch[0], id: "x", occurred_at: "yesterday" })), isValidation("/events/3/occurred_at"));
        await assert.rejects(events.accept(bad({ ...batch[1], id: "", post: batch[1]!.post })), isValidation("/events/3/id"));
        const media = (m: unknown) => bad({ id: "x", type: "post.created", occurred_at: at, post: { id: "p", author_id: "a", media: [m] } });
        await assert.rejects(events.accept(media({ kind: "hashes", pdq: "abc" })), isValidation("/events/3/post/media/0/pdq"));
        await assert.rejects(events.accept(media({ kind: "hashes" })), isValidation("/events/3/post/media/0/pdq"));
        await assert.rejects(events.accept(media({ kind: "bytes", data_base64: "not base64!" })), isValidation("/events/3/post/media/0/data_base64"));
        await assert.rejects(events.accept(media({ kind: "url", url: "file:///etc/passwd" })), isValidation("/events/3/post/media/0/url"));
        await assert.rejects(events.accept([]), isValidation("/events"));
        await assert.rejects(events.accept(Array.from({ length: 1001 }, () => batch[0])), (e: unknown) => e instanceof LapwingError && e.code === "PAYLOAD_TOO_LARGE");
        assert.equal(await count(store.db, "events"), 0);
        assert.equal(await count(store.db, "jobs"), 0);
      });
    });

    it("stores out-of-order events: an update before its create, a follow of an unknown account, a deletion first", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { events } = setUp(store.db, store.dialect);
        const outOfOrder = [
          { id: "u1", type: "account.updated", occurred_at: "2026-01-02T00:00:00Z", account: { id: "late", bio: "updated" } },
          { id: "d1", type: "post.deleted", occurred_at: "2026-01-02T00:00:00Z", post: { id: "never-seen" } },
          { id: "f1", type: "follow", occurred_at: "2026-01-01T00:00:00Z", follower_id: "ghost-1", followee_id: "ghost-2" },
          { id: "c1", type: "account.created", occurred_at: "2026-01-01T00:00:00Z", account: { id: "late" } },
        ];
        assert.deepEqual(await events.accept(outOfOrder), { accepted: 4, duplicates: 0 });
        assert.equal((await events.get("u1")).subjectId, "late");
        assert.equal((await events.get("d1")).actorId, null);
      });
    });

    it("a failure inside the transaction leaves neither events nor jobs", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const real = createJobQueue(store.db as never, store.dialect, { clock });
        const failing: EventJobQueue = {
          async enqueueMany(trx, requests) {
            await real.enqueueMany(trx, requests);
            throw new Error("the database went away mid-batch");
          },
        };
        const { events } = setUp(store.db, store.dialect, failing);
        await assert.rejects(events.accept(batch), /went away/);
        assert.equal(await count(store.db, "events"), 0);
        assert.equal(await count(store.db, "jobs"), 0);
        // And the batch is accepted whole when sent again.
        assert.deepEqual(await setUp(store.db, store.dialect).events.accept(batch), { accepted: 5, duplicates: 0 });
      });
    });
  });
}
