import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LapwingError } from "../errors/index.js";
import { seededRandom } from "../random/index.js";
import { buildCsr, type Csr, EdgeBuffer, inWeights, NodeIds, outWeights, transpose, withoutEdges } from "./index.js";

/** The graph as a sorted list of "src>dst:weight" strings, for comparisons. */
function edgeList(graph: Csr): string[] {
  const out: string[] = [];
  for (let i = 0; i < graph.nodeCount; i++) {
    for (let p = graph.offsets[i]; p < graph.offsets[i + 1]; p++) out.push(`${i}>${graph.targets[p]}:${graph.weights[p]}`);
  }
  return out;
}

function edgesOf(list: Array<[number, number, number]>): EdgeBuffer {
  const edges = new EdgeBuffer(1);
  for (const [s, t, w] of list) edges.add(s, t, w);
  return edges;
}

describe("EdgeBuffer", () => {
  it("grows past its initial capacity and keeps every edge", () => {
    const edges = new EdgeBuffer(2);
    for (let i = 0; i < 100; i++) edges.add(i, i + 1, i / 2);
    assert.equal(edges.length, 100);
    assert.equal(edges.sources[99], 99);
    assert.equal(edges.targets[99], 100);
    assert.equal(edges.weights[99], 49.5);
  });

  it("refuses negative, non-finite and NaN weights and non-integer endpoints", () => {
    const edges = new EdgeBuffer();
    for (const [s, t, w] of [[0, 1, -1], [0, 1, Infinity], [0, 1, NaN], [-1, 1, 1], [0.5, 1, 1], [0, 2 ** 32, 1]]) {
      assert.throws(() => edges.add(s, t, w), (e: unknown) => e instanceof LapwingError && e.code === "VALIDATION_FAILED");
    }
    assert.equal(edges.length, 0);
  });

  it("fromArrays copies parallel arrays, weight 1 by default", () => {
    const edges = EdgeBuffer.fromArrays([0, 1], [1, 2]);
    assert.deepEqual(Array.from(edges.weights), [1, 1]);
    assert.throws(() => EdgeBuffer.fromArrays([0, 1], [1]), LapwingError);
  });
});

describe("buildCsr", () => {
  it("sorts rows by target, merges duplicates by summing, drops self-loops and zero weights", () => {
    const graph = buildCsr(4, edgesOf([[0, 3, 1], [0, 1, 2], [0, 3, 0.5], [2, 2, 9], [1, 0, 0], [3, 0, 1], [0, 1, 1]]));
    assert.deepEqual(edgeList(graph), ["0>1:3", "0>3:1.5", "3>0:1"]);
    assert.deepEqual(Array.from(graph.offsets), [0, 2, 2, 2, 3]);
  });

  it("symmetric stores each tie in both rows and sums u→v with v→u", () => {
    const graph = buildCsr(3, edgesOf([[0, 1, 1], [1, 0, 2], [1, 2, 1]]), { symmetric: true });
    assert.deepEqual(edgeList(graph), ["0>1:3", "1>0:3", "1>2:1", "2>1:1"]);
  });

  it("handles the empty graph and isolated nodes", () => {
    const empty = buildCsr(0, new EdgeBuffer());
    assert.equal(empty.nodeCount, 0);
    assert.deepEqual(Array.from(empty.offsets), [0]);
    const isolated = buildCsr(5, edgesOf([[1, 3, 1]]));
    assert.deepEqual(Array.from(isolated.offsets), [0, 0, 1, 1, 1, 1]);
  });

  it("refuses an edge to a node outside the node count, and a bad node count", () => {
    assert.throws(() => buildCsr(3, edgesOf([[0, 3, 1]])), /outside 0\.\.2/);
    assert.throws(() => buildCsr(-1, new EdgeBuffer()), LapwingError);
    assert.throws(() => buildCsr(1.5, new EdgeBuffer()), LapwingError);
  });

  it("agrees with a map-based reference on a random multigraph", () => {
    const random = seededRandom(11);
    const n = 60;
    const list: Array<[number, number, number]> = [];
    const reference = new Map<string, number>();
    for (let e = 0; e < 2000; e++) {
      const s = Math.floor(random() * n);
      const t = Math.floor(random() * n);
      const w = Math.floor(random() * 4);
      list.push([s, t, w]);
      if (s !== t && w > 0) {
        for (const key of [`${s}>${t}`, `${t}>${s}`]) reference.set(key, (reference.get(key) ?? 0) + w);
      }
    }
    const graph = buildCsr(n, edgesOf(list), { symmetric: true });
    const expected = [...reference].map(([k, w]) => `${k}:${w}`).sort();
    assert.deepEqual(edgeList(graph).sort(), expected);
    // Rows are strictly increasing.
    for (let i = 0; i < n; i++) {
      for (let p = graph.offsets[i] + 1; p < graph.offsets[i + 1]; p++) assert.ok(graph.targets[p - 1] < graph.targets[p]);
    }
  });

  it("builds the same graph in a recycled graph's storage, with room kept for the next build", () => {
    const random = seededRandom(5);
    const n = 80;
    const list: Array<[number, number, number]> = [];
    for (let e = 0; e < 600; e++) list.push([Math.floor(random() * n), Math.floor(random() * n), 1 + Math.floor(random() * 3)]);
    const before = buildCsr(n, edgesOf(list), { symmetric: true, slack: 0.1 });
    assert.deepEqual(edgeList(before), edgeList(buildCsr(n, edgesOf(list), { symmetric: true })));
    assert.ok(before.targets.buffer.byteLength >= Math.ceil(before.targets.length * 1.1) * 4, "room kept after the edges");
    const storage = new Uint32Array(before.targets.buffer).slice();
    // A few more edges: the next build fits in the old one's storage, which it overwrites as scratch space.
    const more = [...list, [1, 2, 1], [3, 4, 2], [5, 6, 1]] as Array<[number, number, number]>;
    const after = buildCsr(n, edgesOf(more), { symmetric: true, recycle: before, slack: 0.1 });
    assert.deepEqual(edgeList(after), edgeList(buildCsr(n, edgesOf(more), { symmetric: true })));
    assert.notDeepEqual(new Uint32Array(before.targets.buffer), storage, "the recycled storage was used");
    // A recycled graph too small for the build is not used.
    const small = buildCsr(n, edgesOf(list.slice(0, 10)), { symmetric: true });
    const smallStorage = small.targets.slice();
    assert.deepEqual(edgeList(buildCsr(n, edgesOf(more), { symmetric: true, recycle: small })), edgeList(after));
    assert.deepEqual(small.targets, smallStorage);
  });
});

describe("transpose", () => {
  it("reverses every edge, keeps weights, and twice gives the graph back", () => {
    const graph = buildCsr(4, edgesOf([[0, 1, 2], [0, 2, 1], [3, 1, 5], [2, 0, 1]]));
    const reversed = transpose(graph);
    assert.deepEqual(edgeList(reversed), ["0>2:1", "1>0:2", "1>3:5", "2>0:1"]);
    assert.deepEqual(edgeList(transpose(reversed)), edgeList(graph));
    assert.deepEqual(Array.from(outWeights(reversed)), Array.from(inWeights(graph)));
  });
});

describe("NodeIds", () => {
  it("interns keys densely and maps numbers back", () => {
    const ids = new NodeIds();
    assert.equal(ids.id("a"), 0);
    assert.equal(ids.id("b"), 1);
    assert.equal(ids.id("a"), 0);
    assert.equal(ids.get("b"), 1);
    assert.equal(ids.get("c"), undefined);
    assert.equal(ids.key(1), "b");
    assert.equal(ids.size, 2);
    assert.throws(() => ids.key(2), LapwingError);
    assert.throws(() => ids.key(0.5), LapwingError);
  });
});

describe("withoutEdges", () => {
  it("gives the weights of building the symmetric graph again without the edges, sharing its structure", () => {
    const random = seededRandom(21);
    const n = 80;
    const all = new EdgeBuffer();
    for (let e = 0; e < 600; e++) all.add(Math.floor(random() * n), Math.floor(random() * n), 0.5 + Math.floor(random() * 4) / 4);
    // One weight per directed pair, as the tie fold gives them.
    const pairs = new Map<string, [number, number, number]>();
    for (let e = 0; e < all.length; e++) pairs.set(`${all.sources[e]}>${all.targets[e]}`, [all.sources[e]!, all.targets[e]!, all.weights[e]!]);
    const observers = new Set([3, 17, 40]);
    const kept = new EdgeBuffer();
    const removed = new EdgeBuffer();
    const every = new EdgeBuffer();
    for (const [s, t, w] of pairs.values()) {
      every.add(s, t, w);
      (observers.has(s) ? removed : kept).add(s, t, w);
    }
    const graph = buildCsr(n, every, { symmetric: true });
    const patched = withoutEdges(graph, removed);
    const rebuilt = buildCsr(n, kept, { symmetric: true });
    assert.equal(patched.targets, graph.targets, "the structure is shared");
    for (let i = 0; i < n; i++) {
      for (let p = patched.offsets[i]!; p < patched.offsets[i + 1]!; p++) {
        const t = patched.targets[p]!;
        let expected = 0;
        for (let q = rebuilt.offsets[i]!; q < rebuilt.offsets[i + 1]!; q++) if (rebuilt.targets[q] === t) expected = rebuilt.weights[q]!;
        assert.ok(Math.abs(patched.weights[p]! - expected) < 1e-6, `${i}-${t}: ${patched.weights[p]} vs ${expected}`);
      }
    }
    assert.ok(patched.weights.some((w) => w === 0), "a tie that was only an observer's is gone");
    assert.deepEqual(Array.from(graph.weights), Array.from(buildCsr(n, every, { symmetric: true }).weights), "the graph given is left alone");
  });
});

