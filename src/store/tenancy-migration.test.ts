import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sql, type Kysely } from "kysely";
import { openStore } from "./database.js";
import { migrateToLatest, migrateUpTo } from "./migrate.js";
import { createTestDatabase, dialects, dialectUnavailable } from "./testing.js";

// Migration 0019 makes (platform_id, id) the events table's key. These tests build a database as the release
// before it left it, store events there with the old (global) key, migrate, and read every row back.

type Row = { id: string; type: string; platform_id: string | null; subject_id: string | null; actor_id: string | null; occurred_at: string; received_at: string; payload: string; processed_at: string | null; signals: string | null };

const before: Row[] = [
  { id: "e1", type: "post.created", platform_id: null, subject_id: "p1", actor_id: "a1", occurred_at: "2026-01-01T00:00:00.000Z", received_at: "2026-01-01T00:00:01.000Z", payload: '{"id":"e1"}', processed_at: "2026-01-01T00:00:02.000Z", signals: "[]" },
  { id: "e2", type: "account.created", platform_id: "forum", subject_id: "a2", actor_id: "a2", occurred_at: "2026-01-01T00:01:00.000Z", received_at: "2026-01-01T00:01:01.000Z", payload: '{"id":"e2","platform_id":"forum"}', processed_at: null, signals: null },
  { id: "e3", type: "follow", platform_id: null, subject_id: "a1", actor_id: "a2", occurred_at: "2026-01-01T00:02:00.000Z", received_at: "2026-01-01T00:02:01.000Z", payload: '{"id":"e3"}', processed_at: null, signals: null },
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const events = (db: Kysely<any>) => db.selectFrom("events").selectAll();

for (const dialect of dialects) {
  describe(`migration 0019: events keyed by platform (${dialect})`, () => {
    it("keeps every event, turns a missing platform into the default one (''), re-keys what named a platform's event, and lets one id exist once per platform", async (t) => {
      const reason = await dialectUnavailable(dialect);
      if (reason) return t.skip(reason);
      const database = await createTestDatabase(dialect);
      const store = await openStore(database.url);
      try {
        await migrateUpTo(store.db, "0018-case-industry-classification");
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const db = store.db as Kysely<any>;
        await db.insertInto("events").values(before).execute();
        await assert.rejects(db.insertInto("events").values({ ...before[1]!, platform_id: "other" }).execute(), "before 0019 an id is global");
        // What names an event elsewhere: a pending job for each of e1 and e2 (e2 came from "forum"), their decisions, a graph edge of e2.
        const job = (id: string) => ({ id: `job-${id}`, queue: "events", payload: JSON.stringify({ eventId: id }), idempotency_key: id, state: "ready", attempts: 0, max_attempts: 5, run_at: 0, created_at: "2026-01-01T00:00:00.000Z" });
        await db.insertInto("jobs").values([job("e1"), job("e2")]).execute();
        const decision = (id: string) => ({ id: `d-${id}`, event_id: id, account_id: "a1", policy_version: 1, kinds: "[]", decisions: "[]", shadow: "[]", signals: "[]", created_at: "2026-01-01T00:00:00.000Z" });
        await db.insertInto("decisions").values([decision("e1"), decision("e2")]).execute();
        await db.insertInto("graph_edges").values({ event_id: "e2", seq: 1, kind: "comment", src: "a2", dst: "post:p1", occurred_at: "2026-01-01T00:00:00.000Z" }).execute();

        const applied = await migrateToLatest(store.db);
        assert.deepEqual(applied.slice(0, 1), ["0019-tenancy"], "0019 first, then any later migration");
        // 0023 gives graph edges their own counter, starting past the edges already numbered.
        const graphSeq = await sql<{ value: number | string }>`select value from counters where name = 'graph_seq'`.execute(store.db);
        assert.equal(Number(graphSeq.rows[0]!.value), 1);

        const after = (await events(db).orderBy("id").execute()) as Row[];
        assert.deepEqual(
          after,
          before.map((row) => ({ ...row, platform_id: row.platform_id ?? "" })),
          "every column of every row survives; NULL platforms are now the default platform",
        );
        // Rows that named e2 by its bare id now name it by its scoped key, so its pending job still finds it; e1's are as they were.
        const jobs = await db.selectFrom("jobs").select(["idempotency_key", "payload"]).orderBy("id").execute();
        assert.deepEqual(jobs.map((j) => [j.idempotency_key, JSON.parse(j.payload)]), [["e1", { eventId: "e1" }], ["forum\u001fe2", { eventId: "e2", platformId: "forum" }]]);
        assert.deepEqual((await db.selectFrom("decisions").select("event_id").orderBy("id").execute()).map((d) => d.event_id), ["e1", "forum\u001fe2"]);
        assert.deepEqual((await db.selectFrom("graph_edges").select("event_id").execute()).map((d) => d.event_id), ["forum\u001fe2"]);
        // The key is now the pair: e2 again from another platform (or the default one) is a new event,
        await db.insertInto("events").values({ ...before[1]!, platform_id: "other" }).execute();
        await db.insertInto("events").values({ ...before[1]!, platform_id: "" }).execute();
        assert.equal((await events(db).where("id", "=", "e2").execute()).length, 3);
        // the same pair twice is refused,
        await assert.rejects(db.insertInto("events").values({ ...before[1]!, platform_id: "forum" }).execute());
        // and a row that names no platform is the default platform's (the column's default), never NULL.
        const { platform_id: _omitted, ...withoutPlatform } = before[2]!;
        await assert.rejects(db.insertInto("events").values(withoutPlatform).execute(), "e3 is already the default platform's");
        await db.insertInto("events").values({ ...withoutPlatform, id: "e4" }).execute();
        assert.equal(((await events(db).where("id", "=", "e4").executeTakeFirstOrThrow()) as Row).platform_id, "");
        await assert.rejects(db.insertInto("events").values({ ...before[0]!, id: "e5", platform_id: null }).execute(), "platform_id is NOT NULL");
        // The lookup indexes are still there.
        const indexes =
          dialect === "sqlite"
            ? (await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'events'`.execute(db)).rows.map((r) => r.name)
            : (await sql<{ name: string }>`select indexname as name from pg_indexes where tablename = 'events'`.execute(db)).rows.map((r) => r.name);
        for (const name of ["events_subject", "events_actor"]) assert.ok(indexes.includes(name), `${name} among ${indexes.join(", ")}`);
        assert.deepEqual(await migrateToLatest(store.db), [], "nothing left to run");
      } finally {
        await store.close();
        await database.drop();
      }
    });
  });
}
