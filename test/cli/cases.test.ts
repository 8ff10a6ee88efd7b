// The operator's path without the HTTP API: send a JSON-lines file of events,
// let `lapwing worker --until-idle` process it, then read and decide cases and
// read the action feed, on both backends.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { createTestDatabase, dialects, dialectUnavailable } from "../../src/store/testing.js";
import { runLapwing } from "../support/cli.js";

const standIn = "vornaxle";
const at = "2026-03-01T12:00:00Z";

for (const dialect of dialects) {
  describe(`lapwing cases, actions and worker (${dialect})`, () => {
    it("processes a sent file into cases and actions, and a dismissal releases the holds", async (t) => {
      const unavailable = await dialectUnavailable(dialect);
      if (unavailable) return t.skip(unavailable);
      const database = await createTestDatabase(dialect);
      const dir = mkdtempSync(join(tmpdir(), "lapwing-cases-cli-"));
      const env = { LAPWING_DATABASE_URL: database.url, LAPWING_DEFAULT_LEXICON: "false", LAPWING_WORKER_POLL_MS: "50" };
      try {
        writeFileSync(join(dir, "lexicon.json"), JSON.stringify({ entries: [{ term: standIn, category: "coded-term", severity: "block", source: "synthetic stand-in" }] }));
        assert.equal((await runLapwing(["lexicon", "import", "stand-ins", join(dir, "lexicon.json")], env)).code, 0);
        const lines = [
          { id: "e1", type: "post.created", occurred_at: at, post: { id: "p1", author_id: "seller", text: `${standIn} menu` } },
          { id: "e2", type: "comment.created", occurred_at: at, comment: { id: "c1", post_id: "p9", author_id: "seller", text: `more ${standIn}` } },
          { id: "e3", type: "post.created", occurred_at: at, post: { id: "p2", author_id: "gardener", text: "tulips" } },
          { id: "e4", type: "follow", occurred_at: at, follower_id: "gardener", followee_id: "seller" },
        ];
        writeFileSync(join(dir, "events.jsonl"), lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
        assert.equal((await runLapwing(["events", "send", join(dir, "events.jsonl")], env)).code, 0);
        const worker = await runLapwing(["worker", "--until-idle"], env);
        assert.equal(worker.code, 0, worker.stderr);
        assert.match(worker.stderr, /webhooks: off/, "the banner says whether webhooks are on");
        assert.match(worker.stderr, /Idle after [\d.]+ s: events processed 3 \(of which dead-lettered 0\), webhooks off\./, "a summary at the end");
        assert.match(worker.stderr, /Time in this worker by stage \(summed over concurrent jobs; enforce, complete and commit are part of write, seq of enforce\): claim [\d.]+ s \(CPU [\d.]+ s\), load [\d.]+ s \(CPU [\d.]+ s\), detect [\d.]+ s \(CPU [\d.]+ s\), write [\d.]+ s \(CPU [\d.]+ s\), enforce [\d.]+ s \(CPU [\d.]+ s\), complete [\d.]+ s \(CPU [\d.]+ s\), seq [\d.]+ s \(CPU [\d.]+ s\), commit [\d.]+ s \(CPU [\d.]+ s\)\./);

        const listed = await runLapwing(["cases", "list", "--json"], env);
        const cases = listed.stdout.trim().split("\n").map((l) => JSON.parse(l));
        assert.deepEqual(cases.map((c) => [c.accountId, c.priority, c.decisionCount]), [["seller", "high", 2]]);

        const actions = (await runLapwing(["actions", "list", "--json"], env)).stdout.trim().split("\n").map((l) => JSON.parse(l));
        // The worker handles events concurrently, so the feed order between the two is not fixed.
        assert.deepEqual(actions.map((a) => `${a.kind}:${a.target.type}:${a.target.id}`).sort(), ["content.hold:comment:c1", "content.hold:post:p1"]);

        const huge = await runLapwing(["actions", "list", "--after", "1e20"], env);
        assert.equal(huge.code, 1);
        assert.match(huge.stderr, /--after takes a whole number/);

        const shown = JSON.parse((await runLapwing(["cases", "show", cases[0].id, "--json"], env)).stdout);
        assert.equal(shown.decisions.length, 2);
        assert.equal(shown.decisions[0].policyVersion, 0);
        // Without --json, a report a person can read: the summary, each decision with its policy and signal, the actions.
        const report = (await runLapwing(["cases", "show", cases[0].id], env)).stdout;
        assert.match(report, new RegExp(`^Case ${cases[0].id}: open, priority high\n  account   seller\n`));
        assert.match(report, /Decisions \(2\), oldest first:\n {2}\S+ {2}event e\d {2}policy set v0 {2}hold, review \(review high\)\n {4}policy block-term-in-content: hold, review high\n/);
        assert.match(report, /signal lexicon-hit: /);
        assert.match(report, /Actions \(2\):\n {2}seq \d+ {2}content\.hold {2}(post:p1|comment:c1)/);
        assert.match(report, /History:\n {2}\S+ {2}system {2}opened {2}\{"priority":"high"\}\n {2}\S+ {2}system {2}decision\.added {2}\{"decisionId":"\w+","priority":"high"\}\n/);

        const refused = await runLapwing(["cases", "decide", cases[0].id, "--decision", "confirm"], env);
        assert.equal(refused.code, 1, "confirm without a category is refused");
        assert.match(refused.stderr, /category/);

        const decided = await runLapwing(["cases", "decide", "--account", "seller", "--decision", "dismiss", "--note", "a board game", "--json"], env);
        assert.equal(decided.code, 0, decided.stderr);
        assert.deepEqual(JSON.parse(decided.stdout), { caseId: cases[0].id, ok: true, actions: 2 });
        const lastSeq = Math.max(...actions.map((a) => a.seq));
        const after = (await runLapwing(["actions", "list", "--after", String(lastSeq), "--json"], env)).stdout.trim().split("\n").map((l) => JSON.parse(l));
        assert.deepEqual(after.map((a) => [a.kind, a.reverses]), actions.map((a) => ["content.release", a.id]));
        assert.equal((await runLapwing(["cases", "list", "--json"], env)).stdout.trim(), "");
        const again = await runLapwing(["cases", "decide", cases[0].id, "--decision", "dismiss"], env);
        assert.equal(again.code, 1);
        assert.match(again.stdout, /CASE_DECIDED/);

        // --json: the summary for scripts (the scale-out bench), with this process's time per stage.
        writeFileSync(join(dir, "more.jsonl"), JSON.stringify({ id: "e5", type: "post.created", occurred_at: at, post: { id: "p5", author_id: "gardener", text: "roses" } }) + "\n");
        assert.equal((await runLapwing(["events", "send", join(dir, "more.jsonl")], env)).code, 0);
        const json = await runLapwing(["worker", "--until-idle", "--json"], env);
        assert.equal(json.code, 0, json.stderr);
        const summary = JSON.parse(json.stdout.trim()) as { events: number; deadLettered: number; webhooks: null; stages: Record<string, { ms: number; cpuMs: number; count: number }> };
        assert.deepEqual([summary.events, summary.deadLettered, summary.webhooks], [1, 0, null]);
        assert.deepEqual(Object.keys(summary.stages), ["claim", "load", "detect", "write", "enforce", "complete", "seq", "commit"]);
        assert.deepEqual([summary.stages.load!.count, summary.stages.detect!.count, summary.stages.write!.count, summary.stages.enforce!.count, summary.stages.complete!.count], [1, 1, 1, 1, 1]);
        assert.ok(summary.stages.write!.cpuMs >= 0 && summary.stages.write!.cpuMs <= summary.stages.write!.ms + 1000, "CPU time per stage, in milliseconds");
        assert.ok(summary.stages.claim!.count >= 1);
      } finally {
        rmSync(dir, { recursive: true, force: true });
        await database.drop();
      }
    });

    it("confirms with report annotations and a classification, and refuses bad --annotations with what to write instead", async (t) => {
      const unavailable = await dialectUnavailable(dialect);
      if (unavailable) return t.skip(unavailable);
      // Flag errors come before the database opens: no case is needed to see them.
      const badInputs: Array<{ args: string[]; says: RegExp }> = [
        { args: ["--decision", "confirm", "--category", "csam", "--annotations", "sextortion,blackmail"], says: /"blackmail" is not an annotation; use any of sextortion, csam_solicitation, .*for example --annotations sextortion,minor_to_minor_interaction/ },
        { args: ["--decision", "confirm", "--category", "csam", "--annotations", "sextortion,,grooming"], says: /separated by commas, with nothing empty between them/ },
        { args: ["--decision", "confirm", "--category", "csam", "--annotations", ""], says: /separated by commas/ },
        { args: ["--decision", "dismiss", "--annotations", "sextortion"], says: /--annotations goes only with --decision confirm or safeguard \(got --decision dismiss\)/ },
        { args: ["--decision", "safeguard", "--industry-classification", "A1"], says: /--industry-classification goes only with --decision confirm/ },
        { args: ["--decision", "confirm", "--category", "csam", "--annotations", `\u202e${"x".repeat(5000)}`], says: /is not an annotation/ },
      ];
      const database = await createTestDatabase(dialect);
      const dir = mkdtempSync(join(tmpdir(), "lapwing-cases-cli-"));
      const env = { LAPWING_DATABASE_URL: database.url, LAPWING_DEFAULT_LEXICON: "false", LAPWING_WORKER_POLL_MS: "50" };
      try {
        for (const bad of badInputs) {
          const result = await runLapwing(["cases", "decide", "--account", "seller", ...bad.args], env);
          assert.equal(result.code, 1, `${bad.args.join(" ")} is refused`);
          assert.match(result.stderr, bad.says);
          assert.doesNotMatch(result.stderr, /unexpected error/);
        }
        const help = (await runLapwing(["cases", "decide", "--help"], env)).stdout.replace(/\s+/g, " ");
        assert.match(help, /--annotations <names> with confirm or safeguard: CyberTipline report annotations/);
        assert.match(help, /minor_to_minor_interaction/);

        writeFileSync(join(dir, "lexicon.json"), JSON.stringify({ entries: [{ term: standIn, category: "coded-term", severity: "block", source: "synthetic stand-in" }] }));
        assert.equal((await runLapwing(["lexicon", "import", "stand-ins", join(dir, "lexicon.json")], env)).code, 0);
        writeFileSync(join(dir, "events.jsonl"), JSON.stringify({ id: "e1", type: "post.created", occurred_at: at, post: { id: "p1", author_id: "seller", text: `${standIn} menu` } }) + "\n");
        assert.equal((await runLapwing(["events", "send", join(dir, "events.jsonl")], env)).code, 0);
        assert.equal((await runLapwing(["worker", "--until-idle"], env)).code, 0);
        const decided = await runLapwing(
          ["cases", "decide", "--account", "seller", "--decision", "confirm", "--category", "seller_advert", "--industry-classification", "B2", "--annotations", "sextortion, minor_to_minor_interaction,sextortion", "--json"],
          env,
        );
        assert.equal(decided.code, 0, decided.stderr);
        const { caseId } = JSON.parse(decided.stdout) as { caseId: string };
        const shown = JSON.parse((await runLapwing(["cases", "show", caseId, "--json"], env)).stdout) as { annotations: string[]; history: Array<{ kind: string; details: Record<string, unknown> }> };
        assert.deepEqual([...shown.annotations].sort(), ["minor_to_minor_interaction", "sextortion"], "the case keeps the reviewer's annotations once each");
        assert.equal(shown.history.find((h) => h.kind === "decided")?.details.industryClassification, "B2");
      } finally {
        rmSync(dir, { recursive: true, force: true });
        await database.drop();
      }
    });
  });
}
