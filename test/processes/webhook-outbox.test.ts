// Defect 5 of issue 10: actions written by a process without webhook settings
// (a worker started without LAPWING_WEBHOOK_URL, `lapwing cases decide` from
// the CLI) must still reach the platform: a later process with webhook
// settings delivers them from the outbox, and `lapwing actions replay` works
// from the CLI. Real processes, on a SQLite file and on PostgreSQL.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { createTestDatabase, dialects, dialectUnavailable } from "../../src/store/testing.js";
import { runLapwing } from "../support/cli.js";
import { newWebhookSecret, serveEnv, standIn } from "../support/enforcement-load.js";
import { startWebhookReceiver } from "../support/webhook-receiver.js";

const at = "2026-03-01T12:00:00Z";

for (const dialect of dialects) {
  describe(`webhook outbox across processes (${dialect})`, () => {
    it("delivers actions written by processes without webhook settings, and replays from the CLI", async (t) => {
      const unavailable = await dialectUnavailable(dialect);
      if (unavailable) return t.skip(unavailable);
      const database = await createTestDatabase(dialect);
      const dir = mkdtempSync(join(tmpdir(), "lapwing-outbox-"));
      const secret = newWebhookSecret();
      const receiver = await startWebhookReceiver({ secret });
      // No webhook settings at all: what an operator's shell or a polling-only worker has.
      const plain = { LAPWING_DATABASE_URL: database.url, LAPWING_DEFAULT_LEXICON: "false", LAPWING_WORKER_POLL_MS: "50", LAPWING_WEBHOOK_URL: "", LAPWING_WEBHOOK_SECRET: "" };
      const delivering = { ...plain, ...serveEnv(receiver.url, secret) };
      const run = async (args: string[], env: Record<string, string>) => {
        const result = await runLapwing(args, env);
        assert.equal(result.code, 0, `lapwing ${args.join(" ")}:\n${result.stdout}\n${result.stderr}`);
        return result.stdout;
      };
      try {
        writeFileSync(join(dir, "lexicon.json"), JSON.stringify({ entries: [{ term: standIn, category: "coded-term", severity: "block", source: "synthetic stand-in" }] }));
        await run(["lexicon", "import", "stand-ins", join(dir, "lexicon.json")], plain);
        const events = [
          { id: "e1", type: "post.created", occurred_at: at, post: { id: "p1", author_id: "seller", text: `${standIn} menu` } },
          { id: "e2", type: "post.created", occurred_at: at, post: { id: "p2", author_id: "seller", text: `more ${standIn}` } },
        ];
        writeFileSync(join(dir, "events.jsonl"), events.map((e) => JSON.stringify(e)).join("\n") + "\n");
        await run(["events", "send", join(dir, "events.jsonl")], plain);
        await run(["worker", "--until-idle"], plain);
        await run(["cases", "decide", "--account", "seller", "--decision", "dismiss", "--note", "a board game"], plain);
        const written = (await run(["actions", "list", "--json"], plain)).trim().split("\n").map((l) => JSON.parse(l) as { id: string; kind: string });
        assert.deepEqual(written.map((a) => a.kind).sort(), ["content.hold", "content.hold", "content.release", "content.release"]);
        assert.equal(receiver.deliveries.length, 0);

        // A worker with webhook settings, started afterwards, delivers all four: two from a worker, two from the CLI.
        await run(["worker", "--until-idle"], delivering);
        assert.deepEqual([...receiver.acceptedIds()].sort(), written.map((a) => a.id).sort());
        assert.ok(receiver.deliveries.every((d) => d.verified && d.attempt === 1));
        const listed = (await run(["actions", "list", "--json"], plain)).trim().split("\n").map((l) => JSON.parse(l) as { deliveredAt: string | null });
        assert.ok(listed.every((a) => a.deliveredAt !== null), "each is marked delivered");

        // Nothing is delivered twice by a second delivering process.
        await run(["worker", "--until-idle"], delivering);
        assert.equal(receiver.deliveries.length, 4);

        // A replay queued from the CLI (no webhook settings) is sent by the next delivering process.
        const replayed = await runLapwing(["actions", "replay", written[0]!.id], plain);
        assert.equal(replayed.code, 0, replayed.stderr);
        assert.match(replayed.stdout, /Queued 1 delivery/);
        await run(["worker", "--until-idle"], delivering);
        assert.equal(receiver.byActionId().get(written[0]!.id)?.length, 2);
        assert.equal(receiver.deliveries.at(-1)!.body, receiver.byActionId().get(written[0]!.id)![0]!.body, "a replay sends the unchanged action");
      } finally {
        await receiver.close();
        rmSync(dir, { recursive: true, force: true });
        await database.drop();
      }
    });
  });
}
