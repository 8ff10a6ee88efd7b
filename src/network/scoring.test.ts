import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildCsr, degreeNormalize, EdgeBuffer } from "../graph/index.js";
import { defaultScoringOptions, scoreAccounts } from "./scoring.js";

// Nodes: 0 seed; 1, 2, 3 a ring with the seed (each tied to the seed and to each other);
// 4 tied to the seed alone (a buyer who follows one seller); 5..24 an unrelated community.
function ringAndBuyer() {
  const edges = new EdgeBuffer();
  for (const [a, b] of [[0, 1], [0, 2], [0, 3], [1, 2], [2, 3], [1, 3], [0, 4]]) edges.add(a!, b!, 1);
  for (let v = 5; v < 25; v++) edges.add(v, v + 1 < 25 ? v + 1 : 5, 1);
  return buildCsr(25, edges, { symmetric: true });
}

describe("network scoring", () => {
  it("ranks an account tied to the network many times above one with a single tie to a seed", () => {
    const graph = ringAndBuyer();
    const none = new Float64Array(25);
    const { score } = scoreAccounts({ graph, seeds: [0], dismissed: new Set(), content: none, proof: none, links: none });
    for (const member of [1, 2, 3]) assert.ok(score[member]! > score[4]!, `ring member ${member} (${score[member]}) above the single-tie buyer (${score[4]})`);
    for (let v = 5; v < 25; v++) assert.equal(score[v], 0, "the unrelated community scores nothing");
    // Without the degree prior the single tie would inherit the seed's lift and outrank the ring.
    const bare = scoreAccounts({ graph, seeds: [0], dismissed: new Set(), content: none, proof: none, links: none }, { ...defaultScoringOptions, degreePrior: 0 });
    assert.ok(bare.score[4]! > bare.score[1]!, "the prior is what puts the ring first");
  });

  it("caps soft content evidence, and counts known-media proof in full only beside ties to the network", () => {
    const graph = ringAndBuyer();
    const content = new Float64Array(25).fill(1);
    const proof = new Float64Array(25);
    // 10 is in the unrelated community (no tie to the network), 4 the buyer tied to the seed alone, 3 a ring member.
    for (const v of [10, 4, 3]) proof[v] = 0.8;
    const options = defaultScoringOptions;
    const { score, graph: graphPart } = scoreAccounts({ graph, seeds: [0], dismissed: new Set(), content, proof, links: new Float64Array(25) }, options);
    assert.equal(score[11], options.contentWeight, "content alone is capped");
    // Alone, a match counts (1 - proofGraphShare) of its weight: it proves the account shared abuse material, not that it sells.
    const alone = 1 - (1 - options.contentWeight) * (1 - 0.8 * (1 - options.proofGraphShare));
    assert.ok(Math.abs(score[10]! - alone) < 1e-9, `proof without ties: ${score[10]} (expected ${alone})`);
    assert.ok(score[10]! < 0.85, "a match with no tie to the network no longer outranks accounts tied to it");
    // Beside graph evidence it counts more, in proportion to the graph part: the ring member above the single-tie buyer.
    assert.ok(score[3]! > score[4]! && score[4]! > score[10]!, `ring ${score[3]} > buyer ${score[4]} > isolated ${score[10]}`);
    assert.ok(graphPart[3]! > graphPart[4]!);
    // With the whole weight of the match counted regardless of ties (the old rule), the isolated account scores 0.9.
    const full = scoreAccounts({ graph, seeds: [0], dismissed: new Set(), content, proof, links: new Float64Array(25) }, { ...options, proofGraphShare: 0 });
    assert.ok(Math.abs(full.score[10]! - 0.9) < 1e-9, `${full.score[10]}`);
  });

  it("halves the lift of an account reached through one neighbour only: a follower of one seed falls below the seed's ring", () => {
    // 0 is the seed, tied (mutually, weight 2) to a ring 1..6 whose members are tied to each other and each to
    // one ordinary account; 9 follows the seed alone with a heavy tie (follow and messages) and three ordinary
    // follows (10..12, in a community 10..40).
    const edges = new EdgeBuffer();
    for (let a = 1; a <= 6; a++) {
      edges.add(0, a, 2);
      for (let b = a + 1; b <= 6; b++) edges.add(a, b, 2);
      edges.add(a, 20 + a, 1);
    }
    edges.add(9, 0, 3);
    for (const o of [10, 11, 12]) edges.add(9, o, 1);
    for (let v = 10; v <= 40; v++) edges.add(v, v + 1 <= 40 ? v + 1 : 10, 1);
    const graph = buildCsr(41, edges, { symmetric: true });
    const none = new Float64Array(41);
    const input = { graph, seeds: [0], dismissed: new Set<number>(), content: none, proof: none, links: none };
    const plain = scoreAccounts(input, { ...defaultScoringOptions, corroborationPrior: 0 });
    const corroborated = scoreAccounts(input);
    // Without it, the single heavy tie to the seed outranks a ring member reached through the seed and five mates.
    assert.ok(plain.score[9]! > plain.score[3]!, `without corroboration: follower ${plain.score[9]} above ring member ${plain.score[3]}`);
    assert.ok(corroborated.score[3]! > corroborated.score[9]!, `with it: ring member ${corroborated.score[3]} above follower ${corroborated.score[9]}`);
    // The follower keeps a little more than half its lift (nearly all of its walk mass comes from one witness,
    // the seed; its ordinary follows send a little); nothing is ever raised.
    const rho = (g: number) => g / (1 - g);
    const kept = rho(corroborated.graph[9]!) / rho(plain.graph[9]!);
    assert.ok(kept >= 0.5 && kept < 0.65, `the follower kept ${kept} of its lift`);
    for (let v = 1; v < 41; v++) assert.ok(corroborated.graph[v]! <= plain.graph[v]! + 1e-12, `node ${v} raised`);
  });

  it("degreeNormalize adds the prior before dividing", () => {
    const graph = ringAndBuyer();
    const ones = new Float64Array(25).fill(1);
    const plain = degreeNormalize(ones, graph, { degree: "out" });
    const shrunk = degreeNormalize(ones, graph, { degree: "out", prior: 2 });
    assert.equal(plain[4], 1);
    assert.equal(shrunk[4], 1 / 3);
    assert.equal(shrunk[0], 1 / 6);
    assert.throws(() => degreeNormalize(ones, graph, { prior: -1 }), /prior/);
  });
});
