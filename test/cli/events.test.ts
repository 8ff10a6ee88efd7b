import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Kysely } from "kysely";
import { sendEventsFile } from "../../src/cli/commands/events.js";
import { createEventRepository, createEventService, type EventTables } from "../../src/events/index.js";
import { createJobQueue } from "../../src/queue/index.js";
import { dialects, withStore } from "../../src/store/testing.js";
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
