import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Command } from "commander";
import { recommendationsCommand } from "../../src/cli/commands/recommendations.js";
import type { RecommendationGuard } from "../../src/recs/audit/index.js";
import { runLapwing } from "../support/cli.js";
import { startJsonEndpoint, type JsonEndpoint } from "../support/json-endpoint.js";

describe("lapwing recommendations audit", () => {
  let dir: string;
  let files: { recs: string; viewers: string; labels: string; html: string };
  let guard: JsonEndpoint;
  // A chain from the teen account to the network at step 3, and a fresh account that never gets there.
  const recs = { t1: ["a"], a: ["b"], b: ["n1", "c"], f1: ["c"], c: ["d"], d: ["c"] };
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "lapwing-recaudit-"));
    files = { recs: join(dir, "recs.json"), viewers: join(dir, "viewers.json"), labels: join(dir, "labels.json"), html: join(dir, "report.html") };
    writeFileSync(files.recs, JSON.stringify({ recs }));
    writeFileSync(files.viewers, JSON.stringify({ teen: ["t1"], fresh: ["f1"], other: [] }));
    writeFileSync(files.labels, JSON.stringify({ network: ["n1"], benignSellers: ["c"] }));
    // Stands in for a running Lapwing's POST /v1/recommendations/filter: removes n1, and c (an over-filtered benign account).
    guard = await startJsonEndpoint(({ body }) => {
      const request = JSON.parse(body) as { viewer: string; candidates: string[] };
      const kept = request.candidates.filter((id) => id !== "n1" && id !== "c");
      return { json: { viewer: request.viewer, kept, removed: request.candidates.filter((id) => !kept.includes(id)).map((id) => ({ id, reason: "test" })) } };
    });
  });
  after(async () => {
    await guard.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const baseArgs = () => ["recommendations", "audit", "--recs", files.recs, "--viewers", files.viewers, "--network", files.labels, "--steps", "4", "--walks", "3", "--top", "1"];

  it("prints the report as JSON, with the known answer of a small recorded graph", async () => {
    const run = await runLapwing([...baseArgs(), "--json"]);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.deepEqual(Object.keys(report), ["generatedAt", "source", "guard", "settings", "surfaces", "networkSize", "results", "overFiltering", "topNetworkAccounts"]);
    assert.equal(report.source, `file ${files.recs}`);
    assert.deepEqual(report.settings, { steps: 4, walksPerViewer: 3, topM: 1, choice: "uniform", seed: 1, maxViewersPerGroup: 0, concurrency: 8 });
    assert.deepEqual(
      report.results.map((r: { group: string; surface: string; walks: number }) => [r.group, r.surface, r.walks]),
      [
        ["teen", "accounts", 3],
        ["fresh", "accounts", 3],
        ["other", "accounts", 0],
      ],
    );
    const [teen, fresh] = report.results;
    assert.deepEqual(Object.keys(teen.withoutGuard), ["shownWithin", "followedWithin", "stepsToFirst", "exposure", "deadEnds"]);
    assert.deepEqual(teen.withoutGuard.shownWithin, [
      { k: 1, walks: 0, share: 0 },
      { k: 2, walks: 0, share: 0 },
      { k: 3, walks: 3, share: 1 },
      { k: 4, walks: 3, share: 1 },
    ]);
    assert.equal(teen.withoutGuard.stepsToFirst.median, 3);
    assert.equal(fresh.withoutGuard.shownWithin[3].share, 0);
    assert.equal(report.guard, null);
    assert.equal(teen.withGuard, null);
  });

  it("runs every walk again through a guard at --guard-url, and writes the HTML report", async () => {
    const run = await runLapwing([...baseArgs(), "--guard-url", guard.url, "--key", "lw_test", "--json", "--html", files.html]);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    const teen = report.results[0];
    assert.deepEqual(
      teen.withGuard.shownWithin.map((p: { share: number }) => p.share),
      [0, 0, 0, 0],
    );
    assert.equal(teen.withGuard.exposure.network, 0);
    // Guarded teen walk: t1 → a → b, where n1 and c are removed, so it ends; benign a, b, c seen, c removed.
    assert.deepEqual(teen.withGuard.overFiltering, {
      benignSeen: 9,
      benignRemoved: 3,
      share: 0.333333,
      networkSeen: 3,
      networkRemoved: 3,
      networkRemovedShare: 1,
      benignRemovedByReason: [{ reason: "test", removed: 3 }],
    });
    assert.equal(guard.requests[0]!.headers.authorization, "Bearer lw_test");
    assert.match(run.stderr, /wrote the HTML report/);
    const html = readFileSync(files.html, "utf8");
    assert.match(html, /<h1>Recommender audit<\/h1>/);
    assert.ok(html.includes(`"networkSize":1`));
  });

  it("asks a platform's live endpoint with --endpoint, sending --endpoint-header", async () => {
    const platform = await startJsonEndpoint(({ url }) => ({ json: { candidates: recs[url.searchParams.get("viewer") as keyof typeof recs] ?? [] } }));
    try {
      const template = `${platform.url}/suggestions?viewer={viewer}&surface={surface}`;
      const run = await runLapwing(["recommendations", "audit", "--endpoint", template, "--endpoint-header", "X-Token: abc", "--viewers", files.viewers, "--network", files.labels, "--steps", "4", "--walks", "3", "--top", "1", "--json"]);
      assert.equal(run.code, 0, run.stderr);
      const report = JSON.parse(run.stdout);
      assert.equal(report.source, `endpoint ${template}`);
      assert.deepEqual(
        report.results[0].withoutGuard.shownWithin.map((p: { share: number }) => p.share),
        [0, 0, 1, 1],
      );
      assert.equal(platform.requests[0]!.headers["x-token"], "abc");
      assert.equal(platform.requests[0]!.url.searchParams.get("surface"), "accounts");
    } finally {
      await platform.close();
    }
  });

  it("prints a readable summary without --json", async () => {
    const run = await runLapwing(baseArgs());
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /accounts \/ teen: 3 walks; shown the network within 4 steps: 100%; median steps to the first: 3/);
  });

  it("takes the network and an in-process guard from the hooks the rest of Lapwing wires in", async () => {
    const hasLocalGuard = (group: Command) => group.commands.find((c) => c.name() === "audit")!.options.some((o) => o.long === "--local-guard");
    assert.ok(!hasLocalGuard(recommendationsCommand({})), "no --local-guard without a guard to run");
    assert.ok(hasLocalGuard(recommendationsCommand()), "Lapwing's own guard by default");
    const asked: string[] = [];
    const guard: RecommendationGuard = async (viewer, _surface, candidates) => (asked.push(viewer), { kept: candidates.filter((id) => id !== "n1") });
    const program = new Command("lapwing").exitOverride().addCommand(
      recommendationsCommand({
        loadNetworkAccounts: async () => new Set(["n1"]),
        withLocalGuard: (_command, fn) => fn(guard, "in-process test guard"),
      }),
    );
    let out = "";
    const write = process.stdout.write;
    // Keep what the command prints (strings); pass the test runner's own reports (bytes) through.
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => (typeof chunk === "string" ? ((out += chunk), true) : write.call(process.stdout, chunk, ...rest))) as typeof process.stdout.write;
    try {
      await program.parseAsync(["recommendations", "audit", "--recs", files.recs, "--viewers", files.viewers, "--steps", "4", "--walks", "2", "--top", "1", "--local-guard", "--json"], { from: "user" });
    } finally {
      process.stdout.write = write;
    }
    const report = JSON.parse(out);
    assert.equal(report.networkSize, 1);
    assert.equal(report.guard, "in-process test guard");
    assert.equal(report.results[0].withoutGuard.shownWithin[2].share, 1);
    assert.equal(report.results[0].withGuard.shownWithin[2].share, 0);
    assert.ok(asked.length > 0 && asked.every((v) => v === "t1" || v === "f1"));
  });

  it("runs Lapwing's own guard in-process with --local-guard", async () => {
    // An empty database suspects nobody and knows no minors: the guard keeps every suggestion.
    assert.equal((await runLapwing(["--database", `sqlite:${join(dir, "local.sqlite")}`, "migrate"])).code, 0);
    const run = await runLapwing(["--database", `sqlite:${join(dir, "local.sqlite")}`, ...baseArgs(), "--local-guard", "--json"]);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.equal(report.guard, "Lapwing's guard, in-process");
    assert.deepEqual(report.results[0].withGuard.shownWithin, report.results[0].withoutGuard.shownWithin);
    assert.equal(report.overFiltering.benignRemoved, 0);
  });

  it("explains what is missing or malformed", async () => {
    const noSource = await runLapwing(["recommendations", "audit", "--viewers", files.viewers, "--network", files.labels]);
    assert.equal(noSource.code, 1);
    assert.match(noSource.stderr, /Give exactly one source of suggestions: --recs FILE or --endpoint URL/);
    const noKey = await runLapwing([...baseArgs(), "--guard-url", guard.url]);
    assert.match(noKey.stderr, /--guard-url needs --key/);
    assert.equal((await runLapwing(["--database", `sqlite:${join(dir, "empty.sqlite")}`, "migrate"])).code, 0);
    const noNetwork = await runLapwing(["--database", `sqlite:${join(dir, "empty.sqlite")}`, "recommendations", "audit", "--recs", files.recs, "--viewers", files.viewers]);
    assert.equal(noNetwork.code, 1);
    assert.match(noNetwork.stderr, /network detection holds no account suspected yet .*seed some with `lapwing network seed`, or give --network FILE/);
    const badRecs = join(dir, "bad.json");
    writeFileSync(badRecs, JSON.stringify({ recs: { t1: ["a", 1.5] } }));
    const bad = await runLapwing(["recommendations", "audit", "--recs", badRecs, "--viewers", files.viewers, "--network", files.labels]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /\/recs\/t1\/1 is not an id .*\(at \/recs\/t1\/1\)/);
    const badSurface = await runLapwing([...baseArgs(), "--surface", "accounts,reels"]);
    assert.match(badSurface.stderr, /Unknown surface "reels"/);
    const badSteps = await runLapwing([...baseArgs(), "--steps", "0"]);
    assert.match(badSteps.stderr, /--steps takes a whole number from 1 to 100/);
  });
});
