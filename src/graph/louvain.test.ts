import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LapwingError } from "../errors/index.js";
import { seededRandom } from "../random/index.js";
import { buildCsr, type Csr, EdgeBuffer, louvain, modularity } from "./index.js";
import { connectedParts } from "./louvain.js";

function undirected(n: number, pairs: Array<[number, number]>): Csr {
  const edges = new EdgeBuffer();
  for (const [u, v] of pairs) edges.add(u, v, 1);
  return buildCsr(n, edges, { symmetric: true });
}

function clique(nodes: number[]): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  for (let a = 0; a < nodes.length; a++) for (let b = a + 1; b < nodes.length; b++) pairs.push([nodes[a], nodes[b]]);
  return pairs;
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

/** A stochastic block model: `blocks` groups of `size` nodes, ties inside with pIn, across with pOut. */
function blockModel(blocks: number, size: number, pIn: number, pOut: number, seed: number): { graph: Csr; planted: Int32Array } {
  const random = seededRandom(seed);
  const n = blocks * size;
  const planted = new Int32Array(n);
  for (let i = 0; i < n; i++) planted[i] = Math.floor(i / size);
  const pairs: Array<[number, number]> = [];
  for (let u = 0; u < n; u++) {
    for (let v = u + 1; v < n; v++) if (random() < (planted[u] === planted[v] ? pIn : pOut)) pairs.push([u, v]);
  }
  return { graph: undirected(n, pairs), planted };
}

/** True when the two partitions group the nodes identically (labels may differ). */
function samePartition(a: Int32Array, b: Int32Array): boolean {
  const ab = new Map<number, number>();
  const ba = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    if ((ab.get(a[i]) ?? b[i]) !== b[i] || (ba.get(b[i]) ?? a[i]) !== a[i]) return false;
    ab.set(a[i], b[i]);
    ba.set(b[i], a[i]);
  }
  return true;
}

describe("modularity", () => {
  it("gives the hand-computed value for two triangles joined by an edge: 2·(6/14 − (7/14)²)", () => {
    const graph = undirected(6, [...clique([0, 1, 2]), ...clique([3, 4, 5]), [2, 3]]);
    const q = modularity(graph, Int32Array.from([0, 0, 0, 1, 1, 1]));
    assert.ok(Math.abs(q - 2 * (6 / 14 - 0.25)) < 1e-12);
    assert.equal(modularity(graph, new Int32Array(6)), 0, "one community: Q = 1 − 1 = 0");
    assert.equal(modularity(buildCsr(3, new EdgeBuffer()), new Int32Array(3)), 0);
    assert.throws(() => modularity(graph, new Int32Array(5)), LapwingError);
  });
});

describe("louvain", () => {
  it("splits two 5-cliques joined by one edge, at the known modularity 2·(20/42 − (21/42)²)", () => {
    const graph = undirected(10, [...clique(range(0, 5)), ...clique(range(5, 10)), [4, 5]]);
    const result = louvain(graph);
    assert.equal(result.count, 2);
    assert.ok(samePartition(result.community, Int32Array.from([0, 0, 0, 0, 0, 1, 1, 1, 1, 1])));
    assert.ok(Math.abs(result.modularity - 2 * (20 / 42 - 0.25)) < 1e-12, `${result.modularity}`);
  });

  it("finds the planted communities of a stochastic block model", () => {
    const { graph, planted } = blockModel(8, 40, 0.3, 0.01, 21);
    const result = louvain(graph, { seed: 3 });
    assert.equal(result.count, 8);
    assert.ok(samePartition(result.community, planted));
    assert.ok(result.modularity >= modularity(graph, planted) - 1e-12);
  });

  it("is deterministic for a seed, and every seed finds a good partition", () => {
    const { graph, planted } = blockModel(6, 30, 0.2, 0.03, 8);
    const first = louvain(graph, { seed: 42 });
    const again = louvain(graph, { seed: 42 });
    assert.deepEqual(Array.from(again.community), Array.from(first.community));
    assert.equal(again.modularity, first.modularity);
    // A noisy block model: Louvain (ours and networkx 2.8's alike) lands 0.38-0.41 here, planted 0.417.
    const plantedQ = modularity(graph, planted);
    for (const seed of [1, 2, 3]) assert.ok(louvain(graph, { seed }).modularity > plantedQ - 0.04);
  });

  it("numbers communities by decreasing size; isolated nodes are communities of one", () => {
    const graph = undirected(14, [...clique(range(0, 3)), ...clique(range(3, 9)), ...clique(range(9, 13))]);
    const { community, count } = louvain(graph);
    assert.equal(count, 4);
    assert.deepEqual(Array.from(community), [2, 2, 2, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 3]);
  });

  it("returns connected communities", () => {
    const { graph } = blockModel(10, 20, 0.15, 0.02, 4);
    for (const seed of [1, 2, 3, 4]) {
      const { community, count } = louvain(graph, { seed, resolution: 0.5 });
      // Every community reached from its first node without leaving it covers all its members.
      const seen = new Uint8Array(graph.nodeCount);
      let reached = 0;
      for (let c = 0; c < count; c++) {
        const start = community.indexOf(c);
        const stack = [start];
        seen[start] = 1;
        while (stack.length > 0) {
          const u = stack.pop()!;
          reached++;
          for (let p = graph.offsets[u]; p < graph.offsets[u + 1]; p++) {
            const v = graph.targets[p];
            if (!seen[v] && community[v] === c) {
              seen[v] = 1;
              stack.push(v);
            }
          }
        }
      }
      assert.equal(reached, graph.nodeCount);
    }
  });

  it("splits a community that fell apart into its connected parts, which raises modularity", () => {
    // Two triangles with no tie between them, given as one community.
    const graph = undirected(6, [...clique([0, 1, 2]), ...clique([3, 4, 5])]);
    const together = new Int32Array(6);
    const parts = connectedParts(graph, together);
    assert.deepEqual(Array.from(parts), [0, 0, 0, 1, 1, 1]);
    assert.ok(modularity(graph, parts) > modularity(graph, together));
  });

  it("uses the weights: a heavy tie holds a pair together across a sparse cut", () => {
    const edges = new EdgeBuffer();
    for (const [u, v] of [...clique([0, 1, 2]), ...clique([3, 4, 5])]) edges.add(u, v, 1);
    edges.add(2, 3, 50);
    const { community } = louvain(buildCsr(6, edges, { symmetric: true }));
    assert.equal(community[2], community[3]);
  });

  it("a higher resolution gives more communities", () => {
    const { graph } = blockModel(4, 40, 0.2, 0.02, 9);
    assert.ok(louvain(graph, { resolution: 4 }).count > louvain(graph, { resolution: 1 }).count);
  });

  it("handles the empty graph and a graph without edges", () => {
    assert.deepEqual(louvain(buildCsr(0, new EdgeBuffer())), { community: new Int32Array(0), count: 0, modularity: 0, levels: 0 });
    const none = louvain(buildCsr(3, new EdgeBuffer()));
    assert.deepEqual(Array.from(none.community), [0, 1, 2]);
    assert.equal(none.modularity, 0);
  });

  it("refuses a directed graph and bad options", () => {
    const edges = new EdgeBuffer();
    edges.add(0, 1, 1);
    assert.throws(() => louvain(buildCsr(2, edges)), /symmetric: true/);
    const graph = buildCsr(2, edges, { symmetric: true });
    for (const options of [{ resolution: 0 }, { seed: 0.5 }, { maxLevels: 0 }]) assert.throws(() => louvain(graph, options), LapwingError);
  });
});
