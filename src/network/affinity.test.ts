import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildCsr } from "../graph/index.js";
import { EdgeLog, follows, kindCode, TieFold } from "./affinity.js";

const day = 86_400;
type Edge = [src: number, dst: number, kind: keyof typeof kindCode, time: number];

function logOf(edges: readonly Edge[]): EdgeLog {
  const log = new EdgeLog();
  for (const [s, d, kind, t] of edges) log.append(s, d, kindCode[kind], t);
  return log;
}

/** Ties as a sorted list of "s>d:weight" for comparison. */
function tieList(fold: TieFold, options: { excluded?: Uint8Array; observers?: Uint8Array } = {}): string[] {
  const ties = fold.tieEdges(options);
  const list: string[] = [];
  for (let k = 0; k < ties.sources.length; k++) if (ties.weights[k]! > 0) list.push(`${ties.sources[k]}>${ties.targets[k]}:${ties.weights[k]!.toFixed(5)}`);
  return list.sort();
}

const self = (v: number) => v;

// A generated feed: follows, unfollows (some out of order), interactions and reports among 200 nodes.
function feed(): Edge[] {
  const edges: Edge[] = [];
  let x = 7;
  const next = () => ((x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0) >>> 16) % 200;
  const kinds: (keyof typeof kindCode)[] = ["follow", "follow", "follow", "unfollow", "like", "share", "message", "comment", "report"];
  for (let i = 0; i < 5000; i++) edges.push([next(), next(), kinds[next() % kinds.length]!, 1_700_000_000 + next() * day + i]);
  return edges;
}

describe("TieFold", () => {
  it("folds a feed in pieces to exactly the ties of folding it whole", () => {
    const edges = feed();
    const whole = new TieFold(90);
    whole.fold(logOf(edges), self);
    const pieces = new TieFold(90);
    for (let start = 0; start < edges.length; start += 333) pieces.fold(logOf(edges.slice(start, start + 333)), self);
    assert.deepEqual(tieList(pieces), tieList(whole));
    assert.equal(pieces.edges, edges.length);
    assert.ok(tieList(whole).length > 1000, "the feed makes many ties");
  });

  it("moves its version on every fold that brings edges, and gives back growth slack or reserves room without changing a tie", () => {
    const edges = feed();
    const trimmed = new TieFold(90);
    const untouched = new TieFold(90);
    for (const fold of [trimmed, untouched]) fold.fold(logOf(edges.slice(0, 4000)), self);
    const version = trimmed.version;
    trimmed.trim();
    trimmed.fold(logOf([]), self);
    assert.equal(trimmed.version, version, "nothing folded, nothing changed");
    trimmed.reserve(5000);
    for (const fold of [trimmed, untouched]) fold.fold(logOf(edges.slice(4000)), self);
    assert.ok(trimmed.version > version);
    assert.deepEqual(tieList(trimmed), tieList(untouched));
    assert.equal(trimmed.pairs, untouched.pairs);
  });

  it("folds each pair of accounts into one tie when asked, building the same symmetric graph with nothing to merge", () => {
    const fold = new TieFold(90);
    fold.fold(logOf(feed()), self);
    const excluded = new Uint8Array(200);
    excluded[7] = 1;
    const directed = buildCsr(200, fold.tieEdges({ excluded }), { symmetric: true });
    const ties = fold.tieEdges({ excluded, undirected: true });
    const undirected = buildCsr(200, ties, { symmetric: true });
    assert.deepEqual(Array.from(undirected.offsets), Array.from(directed.offsets));
    assert.deepEqual(Array.from(undirected.targets), Array.from(directed.targets));
    for (let p = 0; p < directed.weights.length; p++) assert.ok(Math.abs(undirected.weights[p]! - directed.weights[p]!) < 1e-6);
    let kept = 0;
    for (let k = 0; k < ties.weights.length; k++) if (ties.weights[k]! > 0) kept += 1;
    assert.equal(2 * kept, undirected.targets.length, "every tie is given once");
  });

  it("indexes who follows whom now, each row sorted", () => {
    const edges = feed();
    const fold = new TieFold(90);
    fold.fold(logOf(edges), self);
    const latest = new Map<string, [time: number, follows: boolean]>();
    for (const [s, d, kind, t] of edges) {
      if (s === d || (kind !== "follow" && kind !== "unfollow")) continue;
      const last = latest.get(`${s}>${d}`);
      if (!last || t >= last[0]) latest.set(`${s}>${d}`, [t, kind === "follow"]);
    }
    const index = fold.followIndex(200);
    const listed: string[] = [];
    for (let s = 0; s < 200; s++) {
      for (let p = index.offsets[s]!; p < index.offsets[s + 1]!; p++) {
        listed.push(`${s}>${index.targets[p]}`);
        if (p > index.offsets[s]!) assert.ok(index.targets[p]! > index.targets[p - 1]!, "sorted row");
      }
    }
    const expected = [...latest].filter(([, [, on]]) => on).map(([pair]) => pair);
    assert.ok(expected.length > 500);
    assert.deepEqual(listed.sort(), expected.sort());
  });

  it("lets the latest follow or unfollow decide, whatever order they arrive in", () => {
    const t = 1_700_000_000;
    const fold = new TieFold(90);
    // 0→1: follow, then an unfollow that happened earlier arrives late: still following.
    // 0→2: follow, then a later unfollow: not following. 0→3: unfollow, then a later re-follow.
    fold.fold(logOf([[0, 1, "follow", t + 10], [0, 2, "follow", t], [0, 2, "unfollow", t + 5], [0, 3, "unfollow", t], [0, 3, "follow", t + 9]]), self);
    fold.fold(logOf([[0, 1, "unfollow", t + 1]]), self);
    const index = fold.followIndex(4);
    assert.deepEqual([follows(index, 0, 1), follows(index, 0, 2), follows(index, 0, 3)], [true, false, true]);
  });

  it("gives a reported pair no tie, counts interactions on a log scale with decay, and leaves excluded and observer ties out", () => {
    const t = 1_700_000_000;
    const fold = new TieFold(90);
    fold.fold(logOf([[0, 1, "follow", t], [0, 1, "report", t], [2, 1, "message", t], [2, 1, "message", t], [3, 1, "like", t - 90 * day], [3, 4, "follow", t]]), self);
    const ties = new Map(tieList(fold).map((s) => s.split(":") as [string, string]));
    assert.equal(ties.has("0>1"), false, "reported: no tie even though 0 follows 1");
    assert.equal(Number(ties.get("2>1")), Number(Math.log2(3).toFixed(5)), "two fresh messages: log2(1 + 2)");
    assert.equal(Number(ties.get("3>1")), Number(Math.log2(1.15).toFixed(5)), "a like one half-life old counts half");
    assert.equal(Number(ties.get("3>4")), 1, "a fresh follow counts 1");
    assert.deepEqual(tieList(fold, { excluded: Uint8Array.from([0, 1, 0, 0, 0]) }), ["3>4:1.00000"]);
    assert.deepEqual(tieList(fold, { observers: Uint8Array.from([0, 0, 1, 1, 0]) }), []);
    const reports = fold.reports();
    assert.deepEqual([Array.from(reports.sources), Array.from(reports.targets)], [[0], [1]]);
  });

  it("keeps edges to content of unknown author until the author is known, then folds them", () => {
    const t = 1_700_000_000;
    const author = new Int32Array([0, 1, -1]);
    const fold = new TieFold(90);
    fold.fold(logOf([[0, 2, "like", t], [0, 2, "like", t]]), (v) => author[v]!);
    assert.deepEqual(tieList(fold), []);
    assert.equal(fold.pending.length, 2);
    author[2] = 1;
    fold.foldPending((v) => author[v]!);
    assert.equal(fold.pending.length, 0);
    assert.deepEqual(tieList(fold), [`0>1:${Math.log2(1.6).toFixed(5)}`]);
  });
});
