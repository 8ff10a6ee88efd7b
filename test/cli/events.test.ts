import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { sql, type Kysely } from "kysely";
import { sendEventsFile } from "../../src/cli/commands/events.js";
import { createEventRepository, createEventService, type EventTables } from "../../src/events/index.js";
import { createJobQueue } from "../../src/queue/index.js";
import { openStore } from "../../src/store/index.js";
import { createTestDatabase, dialects, dialectUnavailable, withStore } from "../../src/store/testing.js";
import { runLapwing } from "../support/cli.js";

const event = (i: number) => JSON.stringify({ id: `e${i}`, type: "follow", occurred_at: "2026-01-01T00:00:00Z", follower_id: `a${i}`, followee_id: "a0" });

describe("lapwing events send", () => {
  let dir: string;
  let file: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "lapwing-events-cli-"));
    file = join(dir, "events.jsonl");
    const lines = Array.from({ length: 25 }, (_, i) => event(i + 1));
    lines.splice(4, 0, "{not json");
    lines.splice(9, 0, JSON.stringify({ id: "bad", type: "follow", occurred_at: "2026-01-01T00:00:00Z", follower_id: "a1" }));
    lines.splice(12, 0, "");
    writeFileSync(file, lines.join("\n") + "\n");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const dialect of dialects) {
    it(`streams the file in batches, reports bad lines by number, and a re-run is all duplicates (${dialect})`, async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const events = createEventService(createEventRepository(store.db as Kysely<EventTables>), createJobQueue(store.db, store.dialect));
        const accepts: number[] = [];
        const counting = { acceptParsed: (batch: Parameters<typeof events.acceptParsed>[0]) => (accepts.push(batch.length), events.acceptParsed(batch)) };
        const first = await sendEventsFile(counting, file, { batchSize: 10 });
        assert.deepEqual([first.lines, first.accepted, first.duplicates], [28, 25, 0]);
        assert.deepEqual(accepts, [10, 10, 5]);
        assert.deepEqual(first.errors.map((e) => [e.line, e.pointer]), [[5, undefined], [10, "/followee_id"]]);
        assert.match(first.errors[0]!.message, /not JSON/);
        const again = await sendEventsFile(events, file, { batchSize: 7 });
        assert.deepEqual([again.accepted, again.duplicates], [0, 25]);
      });
    });
  }

  it("refuses a line over 8 MiB by its number and keeps the lines around it, also when the file has no newline after it", async () => {
    const ids: string[] = [];
    const sink = {
      acceptParsed: async (batch: readonly { id: string }[]) => {
        ids.push(...batch.map((e) => e.id));
        return { accepted: batch.length, duplicates: 0 };
      },
    };
    const long = join(dir, "long-line.jsonl");
    writeFileSync(long, [event(1), `{"pad":"${"x".repeat(9 * 1024 * 1024)}"}`, event(2)].join("\n") + "\n");
    const summary = await sendEventsFile(sink, long, { batchSize: 10 });
    assert.deepEqual([summary.lines, summary.accepted, ids], [3, 2, ["e1", "e2"]]);
    assert.deepEqual(summary.errors.map((e) => e.line), [2]);
    assert.match(summary.errors[0]!.message, /longer than 8,388,608 characters/);

    // 20 MiB with no newline at all after the first line: reported once, as line 2 (the reader drops it as it comes).
    ids.length = 0;
    const unending = join(dir, "unending.jsonl");
    writeFileSync(unending, event(3) + "\n" + "y".repeat(20 * 1024 * 1024));
    const tail = await sendEventsFile(sink, unending, { batchSize: 10 });
    assert.deepEqual([tail.lines, ids, tail.errors.map((e) => e.line)], [2, ["e3"], [2]]);
  });

  for (const dialect of dialects) {
    it(`keeps ids apart per platform: the same id from another platform is accepted, the same (platform, id) is a duplicate (${dialect})`, async (t) => {
      const reason = await dialectUnavailable(dialect);
      if (reason) return t.skip(reason);
      const database = await createTestDatabase(dialect);
      try {
        const platformFile = join(dir, `platforms-${dialect}.jsonl`);
        const on = (platform: string | undefined, followee: string) => JSON.stringify({ id: "same", type: "follow", occurred_at: "2026-01-01T00:00:00Z", ...(platform === undefined ? {} : { platform_id: platform }), follower_id: "f", followee_id: followee });
        const post = (platform: string | undefined) => JSON.stringify({ id: "post-evt", type: "post.created", occurred_at: "2026-01-01T00:00:00Z", ...(platform === undefined ? {} : { platform_id: platform }), post: { id: "p", author_id: "a", text: "hello" } });
        const lines = [on(undefined, "home"), on("forum", "forum-1"), on("forum", "forum-2"), on("blog", "blog-1"), post(undefined), post("forum"), on("bell\u0007", "x")];
        writeFileSync(platformFile, lines.join("\n") + "\n");
        const first = await runLapwing(["--database", database.url, "events", "send", platformFile]);
        assert.match(first.stdout, /Accepted 5 events \(1 duplicates\) from 7 lines; 1 lines refused\./, first.stderr);
        assert.match(first.stderr, /line 7: Invalid event at \/platform_id/);
        const again = await runLapwing(["--database", database.url, "events", "send", platformFile, "--json"]);
        const summary = JSON.parse(again.stdout.trim());
        assert.deepEqual([summary.accepted, summary.duplicates], [0, 6]);

        const store = await openStore(database.url);
        try {
          const rows = await sql<{ platform_id: string; id: string }>`select platform_id, id from events order by platform_id, id`.execute(store.db);
          assert.deepEqual(rows.rows.map((r) => [r.platform_id, r.id]), [["", "post-evt"], ["forum", "post-evt"]], "one processable event per platform");
          const edges = await sql<{ event_id: string; dst: string }>`select event_id, dst from graph_edges order by dst`.execute(store.db);
          assert.deepEqual(edges.rows.map((r) => [r.event_id, r.dst]), [["blog\u001fsame", "blog\u001fblog-1"], ["forum\u001fsame", "forum\u001fforum-1"], ["same", "home"]], "the first of a platform's copies wins, its accounts keyed by platform too");
          const jobs = await sql<{ key: string; payload: string }>`select idempotency_key as key, payload from jobs order by idempotency_key`.execute(store.db);
          assert.deepEqual(jobs.rows.map((r) => [r.key, JSON.parse(r.payload)]), [["forum\u001fpost-evt", { eventId: "post-evt", platformId: "forum" }], ["post-evt", { eventId: "post-evt" }]]);
        } finally {
          await store.close();
        }
      } finally {
        await database.drop();
      }
    });
  }

  it("runs as a command with a summary, line-numbered errors and exit code 1 when lines were refused", async () => {
    const db = `sqlite:${join(dir, "cli.sqlite")}`;
    const run = await runLapwing(["--database", db, "events", "send", file, "--batch", "8"]);
    assert.match(run.stdout, /Accepted 25 events \(0 duplicates\) from 28 lines; 2 lines refused\./, run.stderr);
    assert.match(run.stderr, /line 5: not JSON/);
    assert.match(run.stderr, /line 10: Invalid event at \/followee_id/);
    assert.equal(run.code, 1);
    const json = await runLapwing(["--database", db, "events", "send", file, "--json"]);
    const summary = JSON.parse(json.stdout.trim());
    assert.deepEqual([summary.accepted, summary.duplicates, summary.errors.length], [0, 25, 2]);
  });
});
