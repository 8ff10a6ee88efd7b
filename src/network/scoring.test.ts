import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildCsr, degreeNormalize, EdgeBuffer } from "../graph/index.js";
import { defaultScoringOptions, scoreAccounts } from "./scoring.js";

// Nodes: 0 seed; 1, 2, 3 a ring with the seed (each tied to the seed and to each other);
// 4 tied to the seed alone (a buyer who follows one seller); 5..24 an unrelated community.
// Every tie here is mutual: both ends made it (`made` holds both directions).
function ringAndBuyer() {
  const edges = new EdgeBuffer();
  const made = new EdgeBuffer();
  const tie = (a: number, b: number) => {
    edges.add(a, b, 1);
    made.add(a, b, 1);
    made.add(b, a, 1);
  };
  for (const [a, b] of [[0, 1], [0, 2], [0, 3], [1, 2], [2, 3], [1, 3], [0, 4]]) tie(a!, b!);
  for (let v = 5; v < 25; v++) tie(v, v + 1 < 25 ? v + 1 : 5);
  return { graph: buildCsr(25, edges, { symmetric: true }), made };
}

// A seller ring 0..4 (0 the seed, each following the next two and the one before), a shop 5 with its own customers 6..11 (each
// following the shop), an ordinary account 12 in a circle of friends 13..17, and a buyer 18 that follows
// seller 1. Who made each tie is what `made` says.
function ringFollowingOthers(options: { sellersFollowShop: boolean; shopFollowsBack: boolean }) {
  const made = new EdgeBuffer();
  const follow = (a: number, b: number) => made.add(a, b, 1);
  for (let s = 0; s < 5; s++) for (const k of [1, 2, 4]) follow(s, (s + k) % 5);
  for (let c = 6; c < 12; c++) follow(c, 5);
  for (let f = 13; f < 18; f++) (follow(12, f), follow(f, 12), follow(f, f + 1 < 18 ? f + 1 : 13));
  follow(18, 1);
  if (options.sellersFollowShop) (follow(0, 5), follow(0, 12), follow(2, 5));
  if (options.shopFollowsBack) follow(5, 0);
  return { graph: buildCsr(19, made, { symmetric: true }), made };
}

describe("network scoring", () => {
  it("ranks an account tied to the network many times above one with a single tie to a seed", () => {
    const { graph, made } = ringAndBuyer();
    const none = new Float64Array(25);
    const { score } = scoreAccounts({ graph, seeds: [0], dismissed: new Set(), content: none, proof: none, links: none, made });
    for (const member of [1, 2, 3]) assert.ok(score[member]! > score[4]!, `ring member ${member} (${score[member]}) above the single-tie buyer (${score[4]})`);
    for (let v = 5; v < 25; v++) assert.equal(score[v], 0, "the unrelated community scores nothing");
    // Without the degree prior the single tie would inherit the seed's lift and outrank the ring.
    const bare = scoreAccounts({ graph, seeds: [0], dismissed: new Set(), content: none, proof: none, links: none, made }, { ...defaultScoringOptions, degreePrior: 0 });
    assert.ok(bare.score[4]! > bare.score[1]!, "the prior is what puts the ring first");
  });

  it("counts known-media proof in full but caps soft content evidence", () => {
    const { graph, made } = ringAndBuyer();
    const content = new Float64Array(25).fill(1);
    const proof = new Float64Array(25);
    proof[10] = 0.8;
    const { score } = scoreAccounts({ graph, seeds: [0], dismissed: new Set(), content, proof, links: new Float64Array(25), made });
    assert.equal(score[11], defaultScoringOptions.contentWeight, "content alone is capped");
    assert.ok(score[10]! > 0.85, `proof counts in full (${score[10]})`);
  });

  it("scores an account by the ties it made, never by who follows it: a shop and a friend the sellers follow score nothing", () => {
    const none = new Float64Array(19);
    const score = (options: { sellersFollowShop: boolean; shopFollowsBack: boolean }) => {
      const { graph, made } = ringFollowingOthers(options);
      return scoreAccounts({ graph, seeds: [0], dismissed: new Set(), content: none, proof: none, links: none, made }, defaultScoringOptions).score;
    };
    const followed = score({ sellersFollowShop: true, shopFollowsBack: false });
    // The walk reaches the shop (5) and the ordinary account (12) only over the sellers' follows of them.
    assert.equal(followed[5], 0, "a shop the sellers follow, which follows none of them");
    assert.equal(followed[12], 0, "an ordinary account a seed follows");
    for (let v = 6; v < 18; v++) assert.equal(followed[v], 0, `the shop's customers and the friends score nothing (${v})`);
    // The ring and the buyer made their ties: they still score, the ring first.
    const buyer = followed[18]!;
    assert.ok(buyer > 0, "the buyer who follows a seller");
    for (const seller of [1, 2, 3, 4]) assert.ok(followed[seller]! > Math.max(0.5, buyer), `seller ${seller} scored ${followed[seller]} (the buyer ${buyer})`);
    // A shop that follows a seller back has made a tie to the network: that counts.
    const back = score({ sellersFollowShop: true, shopFollowsBack: true });
    assert.ok(back[5]! > 0.2, `a shop following the seed back scored ${back[5]}`);
  });

  it("degreeNormalize adds the prior before dividing", () => {
    const { graph } = ringAndBuyer();
    const ones = new Float64Array(25).fill(1);
    const plain = degreeNormalize(ones, graph, { degree: "out" });
    const shrunk = degreeNormalize(ones, graph, { degree: "out", prior: 2 });
    assert.equal(plain[4], 1);
    assert.equal(shrunk[4], 1 / 3);
    assert.equal(shrunk[0], 1 / 6);
    assert.throws(() => degreeNormalize(ones, graph, { prior: -1 }), /prior/);
  });
});
