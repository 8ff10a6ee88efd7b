import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LapwingError } from "../errors/index.js";
import { seededRandom } from "../random/index.js";
import { buildCsr, degreeNormalize, EdgeBuffer, personalizedPageRank, transpose } from "./index.js";

function sum(values: Float64Array): number {
  return values.reduce((a, b) => a + b, 0);
}

function seedsOf(n: number, ...nodes: number[]): Float64Array {
  const restart = new Float64Array(n);
  for (const node of nodes) restart[node] = 1;
  return restart;
}

/**
 * A deliberately naive reference: the walk's transition applied to a dense
 * vector from an edge list of objects, 2,000 times. Shares no code with ppr.ts.
 */
function referencePageRank(n: number, list: Array<[number, number, number]>, restart: number[], alpha: number): number[] {
  const total = restart.reduce((a, b) => a + b, 0);
  const r = restart.map((v) => v / total);
  const out = new Array<number>(n).fill(0);
  for (const [s, t, w] of list) if (s !== t) out[s] += w;
  let x = [...r];
  for (let step = 0; step < 2000; step++) {
    const next = new Array<number>(n).fill(0);
    let dangling = 0;
    for (let i = 0; i < n; i++) if (out[i] === 0) dangling += x[i];
    for (const [s, t, w] of list) if (s !== t && w > 0) next[t] += (1 - alpha) * x[s] * (w / out[s]);
    for (let i = 0; i < n; i++) next[i] += (alpha + (1 - alpha) * dangling) * r[i];
    x = next;
  }
  return x;
}

describe("personalizedPageRank", () => {
  it("matches the closed form on a two-node cycle: 1/(2 − α) at the seed", () => {
    const edges = new EdgeBuffer();
    edges.add(0, 1, 1);
    edges.add(1, 0, 1);
    const { scores, residual } = personalizedPageRank(buildCsr(2, edges), seedsOf(2, 0));
    assert.ok(Math.abs(scores[0] - 1 / 1.85) < 1e-6);
    assert.ok(Math.abs(scores[1] - 0.85 / 1.85) < 1e-6);
    assert.ok(residual < 1e-6);
  });

  it("sends a dangling node's walkers back to the seeds (same answer as the cycle)", () => {
    const edges = new EdgeBuffer();
    edges.add(0, 1, 1);
    const { scores } = personalizedPageRank(buildCsr(3, edges), seedsOf(3, 0));
    assert.ok(Math.abs(scores[0] - 1 / 1.85) < 1e-6);
    assert.equal(scores[2], 0, "a node the seeds cannot reach scores 0");
  });

  it("agrees with a dense power-iteration reference on a random weighted graph, and sums to 1", () => {
    const random = seededRandom(5);
    const n = 40;
    const list: Array<[number, number, number]> = [];
    for (let e = 0; e < 150; e++) list.push([Math.floor(random() * n), Math.floor(random() * n), Math.floor(random() * 5)]);
    const edges = new EdgeBuffer();
    for (const [s, t, w] of list) edges.add(s, t, w);
    const restart = [3, 0, 0, 1, ...new Array<number>(n - 4).fill(0)];
    const { scores, iterations } = personalizedPageRank(buildCsr(n, edges), Float64Array.from(restart), { alpha: 0.2, tolerance: 1e-7, maxIterations: 1000 });
    const expected = referencePageRank(n, list, restart, 0.2);
    // Good to about 1e-7 of the total: what nodes send is rounded to single precision.
    for (let i = 0; i < n; i++) assert.ok(Math.abs(scores[i] - expected[i]) < 1e-7, `node ${i}: ${scores[i]} vs ${expected[i]}`);
    assert.ok(Math.abs(sum(scores) - 1) < 1e-12);
    assert.ok(iterations > 1);
  });

  it("does not need a normalised restart vector", () => {
    const edges = new EdgeBuffer();
    for (const [s, t] of [[0, 1], [1, 2], [2, 0], [2, 3]]) edges.add(s, t, 1);
    const graph = buildCsr(4, edges);
    const a = personalizedPageRank(graph, Float64Array.from([1, 0, 2, 0])).scores;
    const b = personalizedPageRank(graph, Float64Array.from([7, 0, 14, 0])).scores;
    assert.deepEqual(Array.from(a), Array.from(b));
  });

  it("gives the same scores with a transpose kept by the caller, and refuses another graph's", () => {
    const edges = new EdgeBuffer();
    for (const [s, t] of [[0, 1], [1, 2], [2, 0], [2, 3]]) edges.add(s, t, 1);
    const graph = buildCsr(4, edges);
    const restart = seedsOf(4, 0);
    assert.deepEqual(Array.from(personalizedPageRank(graph, restart, { transposed: transpose(graph) }).scores), Array.from(personalizedPageRank(graph, restart).scores));
    assert.throws(() => personalizedPageRank(graph, restart, { transposed: buildCsr(4, new EdgeBuffer()) }), /transpose\(graph\)/);
  });

  it("a symmetric graph is its own transpose: passing it as such gives the same scores", () => {
    const random = seededRandom(11);
    const edges = new EdgeBuffer();
    for (let e = 0; e < 300; e++) edges.add(Math.floor(random() * 60), Math.floor(random() * 60), 1 + Math.floor(random() * 3));
    const graph = buildCsr(60, edges, { symmetric: true });
    const flipped = transpose(graph);
    assert.deepEqual(Array.from(flipped.offsets), Array.from(graph.offsets));
    assert.deepEqual(Array.from(flipped.targets), Array.from(graph.targets));
    assert.deepEqual(Array.from(flipped.weights), Array.from(graph.weights));
    const restart = seedsOf(60, 3, 7);
    assert.deepEqual(Array.from(personalizedPageRank(graph, restart, { transposed: graph }).scores), Array.from(personalizedPageRank(graph, restart).scores));
  });

  it("a warm start from a nearby answer reaches the same scores in fewer iterations", () => {
    const random = seededRandom(12);
    const n = 300;
    const edges = new EdgeBuffer();
    for (let e = 0; e < 2000; e++) edges.add(Math.floor(random() * n), Math.floor(random() * n), 1);
    const before = buildCsr(n, edges, { symmetric: true });
    // The same graph with one node's own ties dropped (what excluding an observer does).
    const kept = new EdgeBuffer();
    for (let e = 0; e < edges.length; e++) if (edges.sources[e] !== 5) kept.add(edges.sources[e]!, edges.targets[e]!, edges.weights[e]!);
    const after = buildCsr(n, kept, { symmetric: true });
    const restart = seedsOf(n, 0, 1, 2);
    const options = { alpha: 0.25, tolerance: 1e-9, maxIterations: 500 };
    const cold = personalizedPageRank(after, restart, options);
    const warm = personalizedPageRank(after, restart, { ...options, initial: personalizedPageRank(before, restart, options).scores });
    assert.ok(warm.iterations < cold.iterations, `warm ${warm.iterations} < cold ${cold.iterations}`);
    for (let i = 0; i < n; i++) assert.ok(Math.abs(warm.scores[i] - cold.scores[i]) < 1e-7, `node ${i}`);
    assert.throws(() => personalizedPageRank(after, restart, { initial: new Float64Array(n) }), /positive sum/);
    assert.throws(() => personalizedPageRank(after, restart, { initial: new Float64Array(3) }), /initial has 3/);
  });

  it("stops at maxIterations and reports the residual", () => {
    const edges = new EdgeBuffer();
    edges.add(0, 1, 1);
    edges.add(1, 0, 1);
    const result = personalizedPageRank(buildCsr(2, edges), seedsOf(2, 0), { maxIterations: 3, tolerance: 0 });
    assert.equal(result.iterations, 3);
    assert.ok(result.residual > 0);
  });

  it("handles the empty graph and refuses bad restart vectors and options", () => {
    assert.equal(personalizedPageRank(buildCsr(0, new EdgeBuffer()), new Float64Array(0)).scores.length, 0);
    const graph = buildCsr(2, new EdgeBuffer());
    const bad = (restart: Float64Array, options = {}) =>
      assert.throws(() => personalizedPageRank(graph, restart, options), (e: unknown) => e instanceof LapwingError && e.code === "VALIDATION_FAILED");
    bad(new Float64Array(3));
    bad(new Float64Array(2));
    bad(Float64Array.from([1, -1]));
    bad(Float64Array.from([1, NaN]));
    bad(seedsOf(2, 0), { alpha: 0 });
    bad(seedsOf(2, 0), { maxIterations: 0 });
  });

  it("on isolated seeds keeps all the mass on them", () => {
    const { scores } = personalizedPageRank(buildCsr(3, new EdgeBuffer()), seedsOf(3, 0, 2));
    assert.deepEqual(Array.from(scores), [0.5, 0, 0.5]);
  });
});

describe("degreeNormalize", () => {
  /**
   * A ring of 10 accounts that all follow each other (nodes 0..9, seeds 0 and 1),
   * a celebrity (node 10) followed by the ring and by 200 outsiders (11..210),
   * who also follow a few random outsiders.
   */
  function celebrityGraph() {
    const random = seededRandom(3);
    const n = 211;
    const edges = new EdgeBuffer();
    for (let i = 0; i < 10; i++) for (let j = 0; j < 10; j++) if (i !== j) edges.add(i, j, 1);
    for (let i = 0; i < 10; i++) edges.add(i, 10, 1);
    for (let i = 11; i < n; i++) {
      edges.add(i, 10, 1);
      for (let k = 0; k < 3; k++) edges.add(i, 11 + Math.floor(random() * 200), 1);
    }
    return { n, graph: buildCsr(n, edges) };
  }

  function topNonSeed(scores: Float64Array): number {
    let best = -1;
    for (let i = 2; i < scores.length; i++) if (best === -1 || scores[i] > scores[best]) best = i;
    return best;
  }

  it("demotes a celebrity hub that naive personalised PageRank ranks first", () => {
    const { n, graph } = celebrityGraph();
    const { scores } = personalizedPageRank(graph, seedsOf(n, 0, 1));
    assert.equal(topNonSeed(scores), 10, "naive PPR puts the celebrity first");
    const normalized = degreeNormalize(scores, graph);
    const top = topNonSeed(normalized);
    assert.ok(top >= 2 && top < 10, `a ring member ranks first after normalisation, not ${top}`);
    for (let i = 2; i < 10; i++) assert.ok(normalized[i] > normalized[10], `ring member ${i} above the celebrity`);
  });

  it("exponent 0 changes nothing; minDegree floors the divisor; bad options are refused", () => {
    const { n, graph } = celebrityGraph();
    const { scores } = personalizedPageRank(graph, seedsOf(n, 0, 1));
    assert.deepEqual(Array.from(degreeNormalize(scores, graph, { exponent: 0 })), Array.from(scores));
    const floored = degreeNormalize(scores, graph, { minDegree: 1000 });
    for (let i = 0; i < n; i++) assert.equal(floored[i], scores[i] / 1000);
    assert.throws(() => degreeNormalize(scores, graph, { exponent: -1 }), LapwingError);
    assert.throws(() => degreeNormalize(new Float64Array(3), graph), LapwingError);
  });

  it("divides by in-degree by default and by out-degree when asked", () => {
    const edges = new EdgeBuffer();
    edges.add(0, 1, 4);
    edges.add(2, 1, 4);
    const graph = buildCsr(3, edges);
    const ones = Float64Array.from([1, 1, 1]);
    assert.deepEqual(Array.from(degreeNormalize(ones, graph)), [1, 1 / 8, 1]);
    assert.deepEqual(Array.from(degreeNormalize(ones, graph, { degree: "out" })), [1 / 4, 1, 1 / 4]);
    assert.deepEqual(Array.from(degreeNormalize(ones, graph, { degree: "total" })), [1 / 4, 1 / 8, 1 / 4]);
  });
});
