import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluateRanking, FollowGraphBuilder, twoHopBaseline, type AccountLabel, type ScenarioLabels } from "./index.js";

// A hand-made answer key: members m1..m6 (m1 the only seed), and one account of each role that fools detectors.
function labelsOf(members: string[], seeds: string[], others: Record<string, AccountLabel>): ScenarioLabels {
  const accounts: Record<string, AccountLabel> = { ...others };
  for (const m of members) accounts[m] = { role: "seller", flags: seeds.includes(m) ? ["member", "seed"] : ["member"] };
  return {
    version: 1,
    seed: 1,
    accountCount: Object.keys(accounts).length,
    startsAt: "2026-03-01T00:00:00Z",
    endsAt: "2026-05-30T00:00:00Z",
    network: { size: members.length, members, seeds, rings: [members] },
    backups: [],
    targetedMinors: ["teen1"],
    handleChanges: [],
    knownMedia: [],
    accounts,
  };
}

const labels = labelsOf(["m1", "m2", "m3", "m4", "m5", "m6"], ["m1"], {
  teen1: { role: "teen", flags: ["minor", "targeted"] },
  coach: { role: "staff", flags: ["coach"] },
  shop: { role: "benign_seller", flags: [] },
  twin: { role: "benign_backup", flags: [] },
  star: { role: "celebrity", flags: [] },
  flagger: { role: "reporter", flags: ["touched_seller"] },
  buyer: { role: "buyer", flags: ["touched_seller"] },
});

describe("evaluateRanking", () => {
  it("scores at N, the network without its seeds, leaving the seeds out of the ranking", () => {
    const result = evaluateRanking(labels, ["m1", "m2", "m3", "star", "m4", "teen1", "m5", "m6"]);
    assert.equal(result.n, 5);
    assert.equal(result.seeds, 1);
    assert.equal(result.networkSize, 6);
    assert.equal(result.ranked, 7, "the seed is not counted as ranked");
    assert.equal(result.hits, 3, "top 5 after dropping m1: m2 m3 star m4 teen1");
    assert.equal(result.precisionAtN, 0.6);
    assert.equal(result.recallAtN, 0.6);
    assert.deepEqual(result.wrongInTopN, { teen: 1, staff: 0, benignSeller: 0, celebrity: 1, reporter: 0 });
    assert.equal(result.targetedInTopN, 1);
  });

  it("counts every fooling role, benign twins with shops, and ids the labels do not know", () => {
    const result = evaluateRanking(labels, ["coach", "shop", "twin", "flagger", "ghost", "m2"]);
    assert.deepEqual(result.wrongInTopN, { teen: 0, staff: 1, benignSeller: 2, celebrity: 0, reporter: 1 });
    assert.deepEqual(result.wrongByRole, { staff: 1, benign_seller: 1, benign_backup: 1, reporter: 1 });
    assert.equal(result.unknownAccounts, 1);
    assert.equal(result.hits, 0, "m2 is sixth, past N = 5");
  });

  it("keeps precision but loses recall on a short ranking, and ignores repeats", () => {
    const result = evaluateRanking(labels, ["m2", "m2", "m3", "buyer"]);
    assert.equal(result.ranked, 3);
    assert.equal(result.hits, 2);
    assert.ok(Math.abs(result.precisionAtN - 2 / 3) < 1e-12);
    assert.equal(result.recallAtN, 0.4);
    assert.equal(evaluateRanking(labels, []).precisionAtN, 0);
  });
});

describe("twoHopBaseline and FollowGraphBuilder", () => {
  it("counts paths of length one and two from the seeds, ties undirected, seeds left out", () => {
    const builder = new FollowGraphBuilder();
    const follow = (a: string, b: string, at = "2026-03-02T00:00:00Z") => builder.add({ type: "follow", follower_id: a, followee_id: b, occurred_at: at });
    follow("s", "a");
    follow("b", "s"); // a follower of the seed is tied to it too
    follow("a", "c");
    follow("b", "c");
    follow("c", "d"); // three hops away: not reached
    follow("s", "x");
    builder.add({ type: "unfollow", follower_id: "s", followee_id: "x", occurred_at: "2026-03-03T00:00:00Z" });
    follow("s", "y");
    builder.add({ type: "unfollow", follower_id: "s", followee_id: "y", occurred_at: "2026-03-01T00:00:00Z" }); // older than the follow: stays
    const ranked = twoHopBaseline(builder.build(), ["s"]);
    assert.deepEqual(ranked, [
      { account: "c", score: 2 },
      { account: "a", score: 1 },
      { account: "b", score: 1 },
      { account: "y", score: 1 },
    ]);
  });
});
