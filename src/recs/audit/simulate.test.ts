import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isLapwingError } from "../../errors/index.js";
import { recordedSource, runAudit, type AuditInput, type RecommendationGuard, type RecommendationSource } from "./index.js";

const generatedAt = "2026-01-01T00:00:00.000Z";

/** An audit of the teen group only, on suggested accounts, from a hand-made suggestion graph. */
function audit(recs: Record<string, string[]>, teen: string[], network: string[], extra: Partial<AuditInput> = {}) {
  return runAudit({
    source: recordedSource({ recs }),
    viewers: { teen, fresh: [], other: [] },
    networkAccounts: new Set(network),
    surfaces: ["accounts"],
    generatedAt,
    ...extra,
    settings: { steps: 5, walksPerViewer: 3, topM: 1, ...extra.settings },
  });
}

const teenOf = (report: Awaited<ReturnType<typeof audit>>) => report.results.find((r) => r.group === "teen")!;
const shares = (curve: { share: number | null }[]) => curve.map((p) => p.share);

describe("recommender audit: walks", () => {
  it("finds the network at step 3 of a chain, exactly", async () => {
    // v → a → b → n1 (network), and n1 is recorded suggesting nothing: the walk ends there.
    const report = await audit({ v: ["a"], a: ["b"], b: ["n1"], n1: [] }, ["v"], ["n1"]);
    const teen = teenOf(report);
    assert.equal(teen.walks, 3);
    assert.deepEqual(shares(teen.withoutGuard.shownWithin), [0, 0, 1, 1, 1]);
    assert.deepEqual(shares(teen.withoutGuard.followedWithin), [0, 0, 1, 1, 1]);
    assert.deepEqual(teen.withoutGuard.stepsToFirst, {
      reached: 3,
      mean: 3,
      median: 3,
      histogram: [1, 2, 3, 4, 5].map((step) => ({ step, walks: step === 3 ? 3 : 0 })),
      notWithinK: 0,
    });
    // Three suggestions shown per walk (a, b, n1), one of them the network's.
    assert.deepEqual(teen.withoutGuard.exposure, { shown: 9, network: 3, share: 0.333333 });
    assert.equal(teen.withoutGuard.deadEnds, 3, "nothing to follow at n1, before step 5");
    assert.equal(teen.withGuard, null);
    assert.deepEqual(report.topNetworkAccounts, [{ surface: "accounts", id: "n1", timesShown: 3 }]);
  });

  it("counts steps to the first network account over walks that reach it: mean, median, histogram, the rest", async () => {
    const recs = { v1: ["n"], v2: ["a"], a: ["n"], v3: ["b"], b: ["c"], c: ["d"], d: ["n"], v4: ["e"], e: ["f"], f: ["g"], g: ["h"], h: ["i"] };
    const teen = teenOf(await audit(recs, ["v1", "v2", "v3", "v4"], ["n"], { settings: { walksPerViewer: 1 } }));
    assert.deepEqual(shares(teen.withoutGuard.shownWithin), [0.25, 0.5, 0.5, 0.75, 0.75]);
    assert.equal(teen.withoutGuard.stepsToFirst.mean, 2.333333);
    assert.equal(teen.withoutGuard.stepsToFirst.median, 2);
    assert.deepEqual(teen.withoutGuard.stepsToFirst.histogram.map((h) => h.walks), [1, 1, 0, 1, 0]);
    assert.equal(teen.withoutGuard.stepsToFirst.notWithinK, 1);
  });

  it("asks for suggestions at the account followed last, never follows itself or an account twice, and passes the walk's context", async () => {
    const asked: { viewer: string; step: number; followed: readonly string[]; origin: string }[] = [];
    const recs: Record<string, string[]> = { v: ["v", "a"], a: ["v", "a", "b"], b: ["a", "v"] };
    const source: RecommendationSource = {
      description: "spy",
      suggest: async (viewer, _surface, context) => (asked.push({ viewer, ...context }), recs[viewer] ?? []),
    };
    const teen = teenOf(await audit({}, ["v"], [], { source, settings: { walksPerViewer: 1 } }));
    assert.deepEqual(
      asked.map((a) => [a.viewer, a.step, a.followed, a.origin]),
      [
        ["v", 1, [], "v"],
        ["a", 2, ["a"], "v"],
        ["b", 3, ["a", "b"], "v"],
      ],
    );
    assert.equal(teen.withoutGuard.deadEnds, 1, "at b everything suggested is followed already");
  });

  it("follows uniformly among the top M, or weighted by rank", async () => {
    // v is shown [a, n]: n is always shown at step 1 and followed about half the time (uniform), a third (rank: weights 1 and 1/2).
    const recs = { v: ["a", "n"] };
    const uniform = teenOf(await audit(recs, ["v"], ["n"], { settings: { walksPerViewer: 2000, topM: 2, steps: 1 } }));
    assert.equal(uniform.withoutGuard.shownWithin[0]!.share, 1);
    assert.ok(Math.abs(uniform.withoutGuard.followedWithin[0]!.share! - 1 / 2) < 0.04, String(uniform.withoutGuard.followedWithin[0]!.share));
    const ranked = teenOf(await audit(recs, ["v"], ["n"], { settings: { walksPerViewer: 2000, topM: 2, steps: 1, choice: "rank" } }));
    assert.ok(Math.abs(ranked.withoutGuard.followedWithin[0]!.share! - 1 / 3) < 0.04, String(ranked.withoutGuard.followedWithin[0]!.share));
    const top1 = teenOf(await audit(recs, ["v"], ["n"], { settings: { walksPerViewer: 50, topM: 1, steps: 1 } }));
    assert.equal(top1.withoutGuard.followedWithin[0]!.share, 0, "with M = 1 only the first suggestion is followed");
  });

  it("is deterministic for a seed, whatever the concurrency, and another seed walks differently", async () => {
    const recs: Record<string, string[]> = {};
    for (let i = 0; i < 40; i++) recs[`u${i}`] = [1, 7, 13, 22].map((d) => ((i + d) % 45 < 40 ? `u${(i + d) % 45}` : `n${(i + d) % 45}`));
    const teens = ["u0", "u3", "u9"];
    // Answers arrive after uneven delays, so with concurrency the walks finish in a scrambled order.
    const recorded = recordedSource({ recs });
    const source: RecommendationSource = {
      description: "uneven",
      suggest: (viewer, surface, context) => new Promise((resolve) => setTimeout(() => resolve(recorded.suggest(viewer, surface, context)), (viewer.charCodeAt(1) * 7 + context.step) % 4)),
    };
    const run = async (seed: number, concurrency: number) => {
      const report = await audit(recs, teens, ["n40", "n41", "n42", "n43", "n44"], { source, settings: { seed, concurrency, walksPerViewer: 30, topM: 4, steps: 6 } });
      return { results: report.results, topNetworkAccounts: report.topNetworkAccounts };
    };
    const first = await run(7, 1);
    assert.deepEqual(await run(7, 16), first);
    assert.notDeepEqual(await run(8, 4), first);
  });

  it("samples at most --max-viewers accounts per group, the same ones for a seed", async () => {
    const teens = Array.from({ length: 20 }, (_, i) => `t${i}`);
    const run = (seed: number) =>
      runAudit({
        source: recordedSource({ recs: {} }),
        viewers: { teen: teens, fresh: ["f"], other: [] },
        networkAccounts: new Set(),
        surfaces: ["accounts"],
        generatedAt,
        settings: { maxViewersPerGroup: 5, walksPerViewer: 2, seed },
      });
    const report = await run(3);
    assert.deepEqual(
      report.results.map((r) => [r.group, r.viewers, r.walks]),
      [
        ["teen", 5, 10],
        ["fresh", 1, 2],
        ["other", 0, 0],
      ],
    );
    assert.equal(report.results[2]!.withoutGuard.exposure.share, null, "no walks: no share, not a division by zero");
    assert.deepEqual(await run(3), report);
  });

  it("reports on every surface asked for, with per-surface recorded suggestions", async () => {
    const report = await runAudit({
      source: recordedSource({ recs: { v: ["a"] }, surfaces: { hashtags: { v: ["#n"] } } }),
      viewers: { teen: ["v"], fresh: [], other: [] },
      networkAccounts: new Set(["#n"]),
      surfaces: ["accounts", "hashtags"],
      generatedAt,
      settings: { steps: 1, walksPerViewer: 1 },
    });
    const teen = report.results.filter((r) => r.group === "teen");
    assert.deepEqual(
      teen.map((r) => [r.surface, r.withoutGuard.exposure.share]),
      [
        ["accounts", 0],
        ["hashtags", 1],
      ],
    );
  });

  it("refuses bad settings and empty inputs with a pointer to the setting", async () => {
    await assert.rejects(audit({}, ["v"], [], { settings: { steps: 0 } }), (e) => isLapwingError(e) && e.code === "VALIDATION_FAILED" && e.pointer === "/settings/steps");
    await assert.rejects(audit({}, ["v"], [], { settings: { topM: 1.5 } }), (e) => isLapwingError(e) && e.pointer === "/settings/topM");
    await assert.rejects(audit({}, [], []), (e) => isLapwingError(e) && /No simulated accounts/.test(e.message));
    await assert.rejects(audit({}, ["v"], [], { surfaces: [] }), (e) => isLapwingError(e) && e.pointer === "/surfaces");
  });
});

describe("recommender audit: the guard", () => {
  const recs = { v: ["a", "b", "n1"], a: ["c", "n2"], b: ["c"], c: ["n1", "d"], d: [], n1: ["n2"], n2: ["n1"] };
  const network = ["n1", "n2"];
  const dropNetwork: RecommendationGuard = async (_viewer, _surface, candidates) => ({ kept: candidates.filter((id) => !network.includes(id)) });

  it("brings exposure to zero when it removes the network's accounts, and removes nothing benign", async () => {
    const report = await audit(recs, ["v"], network, { guard: dropNetwork, guardDescription: "test guard", settings: { walksPerViewer: 20, topM: 3 } });
    const teen = teenOf(report);
    assert.ok(teen.withoutGuard.exposure.network > 0, "without the guard the network is shown");
    assert.equal(teen.withoutGuard.shownWithin[0]!.share, 1);
    assert.ok(teen.withGuard);
    assert.equal(teen.withGuard.exposure.network, 0);
    assert.equal(teen.withGuard.exposure.share, 0);
    assert.deepEqual(shares(teen.withGuard.shownWithin), [0, 0, 0, 0, 0]);
    assert.equal(teen.withGuard.overFiltering.benignRemoved, 0);
    assert.equal(teen.withGuard.overFiltering.share, 0);
    assert.equal(teen.withGuard.overFiltering.networkRemovedShare, 1);
    assert.deepEqual(teen.withGuard.overFiltering.benignRemovedByReason, []);
    assert.equal(report.guard, "test guard");
  });

  it("computes over-filtering as benign candidates removed over benign candidates seen", async () => {
    // M = 1 makes the guarded walk certain: step 1 sees a, b (benign; b removed) and n1 (removed), follows a;
    // step 2 at a sees c (benign) and n2 (removed), follows c; step 3 at c sees n1 (removed) and d, follows d;
    // step 4 at d sees nothing. Per walk: 4 benign seen, 1 removed; 3 network seen, 3 removed.
    const guard: RecommendationGuard = async (_v, _s, candidates) => ({
      kept: candidates.filter((id) => !network.includes(id) && id !== "b"),
      removed: candidates.filter((id) => network.includes(id)).map((id) => ({ id, reason: "network member" })),
    });
    const report = await audit(recs, ["v"], network, { guard, settings: { walksPerViewer: 4, topM: 1 } });
    const expected = {
      benignSeen: 16,
      benignRemoved: 4,
      share: 0.25,
      networkSeen: 12,
      networkRemoved: 12,
      networkRemovedShare: 1,
      benignRemovedByReason: [{ reason: "unstated", removed: 4 }],
    };
    assert.deepEqual(teenOf(report).withGuard!.overFiltering, expected);
    assert.deepEqual(report.overFiltering, expected);
  });

  it("shows what the guard kept in input order, and refuses a guard that adds candidates", async () => {
    const reversed: RecommendationGuard = async (_v, _s, candidates) => ({ kept: [...candidates].reverse() });
    const teen = teenOf(await audit({ v: ["a", "n1"] }, ["v"], ["n1"], { guard: reversed, settings: { walksPerViewer: 5, steps: 1 } }));
    assert.equal(teen.withGuard!.followedWithin[0]!.share, 0, "M = 1 follows the first in input order (a), not the guard's first");
    const adding: RecommendationGuard = async (_v, _s, candidates) => ({ kept: [...candidates, "intruder"] });
    await assert.rejects(audit({ v: ["a"] }, ["v"], [], { guard: adding }), (e) => isLapwingError(e) && e.code === "RECS_SOURCE_FAILED" && /intruder/.test(e.message));
  });

  it("asks the guard about the simulated account, the one who would see the suggestions", async () => {
    const viewers: string[] = [];
    const guard: RecommendationGuard = async (viewer, _s, candidates) => (viewers.push(viewer), { kept: candidates });
    await audit({ v: ["a"], a: ["b"], b: [] }, ["v"], [], { guard, settings: { walksPerViewer: 1 } });
    assert.deepEqual(viewers, ["v", "v"], "asked at v and at a; b has no suggestions, so nothing to filter");
  });
});
