// The operator's network path through real `lapwing` processes, on both
// backends: send graph events from a file, process them, name a seed, rank
// (the exact JSON-lines contract), show, clusters, and the recommender guard
// for offline pipelines.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { createTestDatabase, dialects, dialectUnavailable } from "../../src/store/testing.js";
import { runLapwing } from "../support/cli.js";

const at = "2026-02-01T10:00:00Z";

function lines(): string {
  let n = 0;
  const out: Record<string, unknown>[] = [];
  const e = (x: Record<string, unknown>) => out.push({ id: `c-${++n}`, occurred_at: at, ...x });
  const follow = (a: string, b: string) => e({ type: "follow", follower_id: a, followee_id: b });
  const ring = ["r1", "r2", "r3"];
  const others = Array.from({ length: 60 }, (_, i) => `o${i}`);
  for (const id of [...ring, "fan", ...others]) e({ type: "account.created", account: { id, handle: `h_${id}` } });
  e({ type: "account.created", account: { id: "kid", handle: "kid", age_band: { value: "13_15", source: "declared" } } });
  for (const a of ring) for (const b of ring) if (a !== b) follow(a, b);
  follow("fan", "r2");
  others.forEach((o, i) => {
    follow(o, others[(i + 1) % others.length]!);
    follow(o, others[(i + 7) % others.length]!);
  });
  return out.map((l) => JSON.stringify(l)).join("\n") + "\n";
}

for (const dialect of dialects) {
  describe(`lapwing network and recommendations (${dialect})`, () => {
    it("ranks, shows, clusters and filters after events send and worker --until-idle", async (t) => {
      const unavailable = await dialectUnavailable(dialect);
      if (unavailable) return t.skip(unavailable);
      const database = await createTestDatabase(dialect);
      const dir = mkdtempSync(join(tmpdir(), "lapwing-network-cli-"));
      const env = { LAPWING_DATABASE_URL: database.url, LAPWING_WORKER_POLL_MS: "50" };
      try {
        writeFileSync(join(dir, "events.jsonl"), lines());
        assert.equal((await runLapwing(["events", "send", join(dir, "events.jsonl")], env)).code, 0);
        assert.equal((await runLapwing(["worker", "--until-idle"], env)).code, 0);
        const seeded = await runLapwing(["network", "seed", "r1", "--reason", "confirmed in review"], env);
        assert.equal(seeded.code, 0, seeded.stderr);
        assert.equal((await runLapwing(["network", "seed", "r9"], env)).code, 2, "--reason is required");

        const ranked = await runLapwing(["network", "rank", "--limit", "4", "--json"], env);
        assert.equal(ranked.code, 0, ranked.stderr);
        const rows = ranked.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
        assert.equal(rows.length, 4);
        for (const row of rows) assert.deepEqual(Object.keys(row), ["account", "score", "cluster", "explanation"]);
        assert.deepEqual(rows.slice(0, 4).map((r) => r.account).sort(), ["fan", "r1", "r2", "r3"]);
        const scores = rows.map((r) => r.score as number);
        assert.deepEqual(scores, [...scores].sort((a, b) => b - a), "highest score first");
        assert.ok((rows.find((r) => r.account === "r2")!.explanation as string[]).some((s) => /\((1 of them a seed|[2-9]\d* of them seeds)\)/.test(s)), "r2 is tied to the seed r1");

        const shown = await runLapwing(["network", "show", "r3"], env);
        assert.equal(shown.code, 0);
        assert.match(shown.stdout, /^r3: suspected, score/);
        assert.equal((await runLapwing(["network", "show", "nobody"], env)).code, 1);
        const clusters = await runLapwing(["network", "clusters", "--json"], env);
        assert.ok(clusters.stdout.trim().split("\n").map((l) => JSON.parse(l)).some((c: { seeds: number }) => c.seeds === 1));

        const input = [
          { viewer: "o1", surface: "accounts", candidates: ["o2", "r2", "kid", "o3"] },
          "not json",
          { viewer: "o1", surface: "hashtags", candidates: ["gardening"] },
        ];
        const filtered = await runLapwing(["recommendations", "filter", "--json"], env, input.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n");
        assert.equal(filtered.code, 1, "a refused line makes the exit code 1");
        assert.deepEqual(
          filtered.stdout.trim().split("\n").map((l) => JSON.parse(l)),
          [
            { viewer: "o1", kept: ["o2", "o3"], removed: [{ id: "r2", reason: "network-member" }, { id: "kid", reason: "minor-to-unconnected-adult" }] },
            { viewer: "o1", kept: ["gardening"], removed: [] },
          ],
        );
        assert.match(filtered.stderr, /"line":2/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
        await database.drop();
      }
    });

    it("names accounts per platform: --platform picks one, rank --json adds platformId for another platform than the default", async (t) => {
      const unavailable = await dialectUnavailable(dialect);
      if (unavailable) return t.skip(unavailable);
      const database = await createTestDatabase(dialect);
      const dir = mkdtempSync(join(tmpdir(), "lapwing-network-cli-"));
      const env = { LAPWING_DATABASE_URL: database.url, LAPWING_WORKER_POLL_MS: "50" };
      try {
        // The same ring of ids on two platforms; only the forum's r1 is seeded.
        let n = 0;
        const out: string[] = [];
        for (const platform of [undefined, "forum.example"]) {
          for (const [a, b] of [["r1", "r2"], ["r2", "r1"], ["r2", "r3"], ["r3", "r2"], ["r1", "r3"]]) {
            out.push(JSON.stringify({ id: `p-${++n}`, ...(platform ? { platform_id: platform } : {}), type: "follow", occurred_at: at, follower_id: a, followee_id: b }));
          }
        }
        writeFileSync(join(dir, "events.jsonl"), out.join("\n") + "\n");
        assert.equal((await runLapwing(["events", "send", join(dir, "events.jsonl")], env)).code, 0);
        const seeded = await runLapwing(["network", "seed", "r1", "--platform", "forum.example", "--reason", "confirmed in review"], env);
        assert.equal(seeded.code, 0, seeded.stderr);
        assert.match(seeded.stdout, /^r1 \(platform forum\.example\): seed/);
        const refused = await runLapwing(["network", "seed", "r1", "--platform", "a\u0007b", "--reason", "x"], env);
        assert.equal(refused.code, 1, "a platform id the event field refuses is refused, as --limit's bad numbers are");
        assert.match(refused.stderr, /--platform: a platform id is printable text/);

        const ranked = await runLapwing(["network", "rank", "--json", "--min-score", "0", "--no-signals"], env);
        assert.equal(ranked.code, 0, ranked.stderr);
        const rows = ranked.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
        const forumRows = rows.filter((r) => r.platformId === "forum.example");
        assert.deepEqual(forumRows.map((r) => r.account).sort(), ["r1", "r2", "r3"]);
        for (const row of forumRows) assert.deepEqual(Object.keys(row), ["account", "platformId", "score", "cluster", "explanation"]);
        for (const row of rows.filter((r) => r.platformId === undefined)) assert.deepEqual(Object.keys(row), ["account", "score", "cluster", "explanation"]);
        assert.ok(!rows.some((r) => r.platformId === undefined && r.score !== 0 && (r.score as number) > 0.05), "the default platform's ring has no seed: " + ranked.stdout);

        const shown = await runLapwing(["network", "show", "r1", "--platform", "forum.example", "--json"], env);
        assert.equal(shown.code, 0, shown.stderr);
        assert.deepEqual(((d) => [d.account, d.platformId, d.role])(JSON.parse(shown.stdout) as Record<string, unknown>), ["r1", "forum.example", "seed"]);
        assert.equal((await runLapwing(["network", "show", "r1", "--json"], env)).code, 0, "the default platform's r1 exists too");
      } finally {
        rmSync(dir, { recursive: true, force: true });
        await database.drop();
      }
    });
  });
}
