/**
 * An Aho–Corasick automaton over small integer symbols, flattened into typed
 * arrays (CSR edges, failure and dictionary links). Symbol 0 is reserved for
 * "not in any pattern". Patterns are arrays of symbols 1..alphabetSize-1.
 */
export interface Automaton {
  readonly alphabetSize: number;
  readonly stateCount: number;
  /** Dense transitions of the root: `rootNext[symbol]`. */
  readonly rootNext: Int32Array;
  /** Edges of state s are `edgeSymbols/edgeTargets[edgeStart[s] .. edgeStart[s+1])`, sorted by symbol. */
  readonly edgeStart: Int32Array;
  readonly edgeSymbols: Int32Array;
  readonly edgeTargets: Int32Array;
  readonly fail: Int32Array;
  /** The symbol on the edge into each state (-1 for the root). */
  readonly lastSymbol: Int32Array;
  readonly depth: Int32Array;
  /** Patterns ending exactly at state s: `outPatterns[outStart[s] .. outStart[s+1])`. */
  readonly outStart: Int32Array;
  readonly outPatterns: Int32Array;
  /** The nearest proper suffix state (by failure links) with output, or -1. */
  readonly dictLink: Int32Array;
}

export const ROOT = 0;

/** Builds the automaton. Memory is about 40 bytes per trie state. */
export function buildAutomaton(patterns: readonly Int32Array[], alphabetSize: number): Automaton {
  // Trie without hashing: in sorted order, each pattern shares its longest
  // common prefix with the one before, so the path of the previous pattern
  // (a stack of states) is all the lookup needed. Children come out sorted.
  const order = patterns.map((_, i) => i).sort((a, b) => compareSymbols(patterns[a], patterns[b]));
  let total = 1;
  for (const pattern of patterns) total += pattern.length;
  const parents = new Int32Array(total);
  const symbols = new Int32Array(total);
  parents[0] = symbols[0] = -1;
  let stateCount = 1;
  /** The state where each pattern ends. */
  const patternState = new Int32Array(patterns.length);
  const path: number[] = [ROOT];
  let previous: Int32Array = new Int32Array(0);
  for (const p of order) {
    const pattern = patterns[p];
    let common = 0;
    while (common < pattern.length && common < previous.length && pattern[common] === previous[common]) common++;
    path.length = common + 1;
    let state = path[common];
    for (let d = common; d < pattern.length; d++) {
      const next = stateCount++;
      parents[next] = state;
      symbols[next] = pattern[d];
      path.push(next);
      state = next;
    }
    patternState[p] = state;
    previous = pattern;
  }
  const outCount = new Int32Array(stateCount);
  for (let p = 0; p < patterns.length; p++) outCount[patternState[p]]++;

  // CSR edges: count children per state, then place them sorted by symbol.
  const edgeStart = new Int32Array(stateCount + 1);
  for (let s = 1; s < stateCount; s++) edgeStart[parents[s] + 1]++;
  for (let s = 0; s < stateCount; s++) edgeStart[s + 1] += edgeStart[s];
  const fill = edgeStart.slice(0, stateCount);
  const edgeSymbols = new Int32Array(stateCount - 1);
  const edgeTargets = new Int32Array(stateCount - 1);
  for (let s = 1; s < stateCount; s++) {
    const at = fill[parents[s]]++;
    edgeSymbols[at] = symbols[s];
    edgeTargets[at] = s;
  }
  for (let s = 0; s < stateCount; s++) sortEdges(edgeSymbols, edgeTargets, edgeStart[s], edgeStart[s + 1]);

  const rootNext = new Int32Array(alphabetSize);
  for (let e = edgeStart[0]; e < edgeStart[1]; e++) rootNext[edgeSymbols[e]] = edgeTargets[e];

  const lastSymbol = symbols.slice(0, stateCount);
  const depth = new Int32Array(stateCount);
  const fail = new Int32Array(stateCount);
  const dictLink = new Int32Array(stateCount).fill(-1);
  const hasOutput = (s: number) => outCount[s] > 0;

  // Breadth-first: failure links of depth d need those of depth d-1.
  const queue = new Int32Array(stateCount);
  let head = 0;
  let tail = 0;
  for (let e = edgeStart[0]; e < edgeStart[1]; e++) {
    const child = edgeTargets[e];
    fail[child] = ROOT;
    depth[child] = 1;
    queue[tail++] = child;
  }
  while (head < tail) {
    const s = queue[head++];
    for (let e = edgeStart[s]; e < edgeStart[s + 1]; e++) {
      const child = edgeTargets[e];
      const symbol = edgeSymbols[e];
      depth[child] = depth[s] + 1;
      let f = fail[s];
      let target = ROOT;
      for (;;) {
        const t = f === ROOT ? rootNext[symbol] : findEdge(edgeStart, edgeSymbols, edgeTargets, f, symbol);
        if (t > 0 && t !== child) {
          target = t;
          break;
        }
        if (f === ROOT) break;
        f = fail[f];
      }
      fail[child] = target;
      dictLink[child] = hasOutput(target) ? target : dictLink[target];
      queue[tail++] = child;
    }
  }

  const outStart = new Int32Array(stateCount + 1);
  for (let s = 0; s < stateCount; s++) outStart[s + 1] = outStart[s] + outCount[s];
  const outPatterns = new Int32Array(outStart[stateCount]);
  const outFill = outStart.slice(0, stateCount);
  for (let p = 0; p < patterns.length; p++) outPatterns[outFill[patternState[p]]++] = p;

  return { alphabetSize, stateCount, rootNext, edgeStart, edgeSymbols, edgeTargets, fail, lastSymbol, depth, outStart, outPatterns, dictLink };
}

function compareSymbols(a: Int32Array, b: Int32Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

function sortEdges(symbols: Int32Array, targets: Int32Array, from: number, to: number): void {
  // Insertion sort: fan-out is small except at the root.
  if (to - from > 32) {
    const pairs = [];
    for (let i = from; i < to; i++) pairs.push([symbols[i], targets[i]] as const);
    pairs.sort((a, b) => a[0] - b[0]);
    for (let i = from; i < to; i++) [symbols[i], targets[i]] = pairs[i - from];
    return;
  }
  for (let i = from + 1; i < to; i++) {
    const s = symbols[i];
    const t = targets[i];
    let j = i - 1;
    while (j >= from && symbols[j] > s) {
      symbols[j + 1] = symbols[j];
      targets[j + 1] = targets[j];
      j--;
    }
    symbols[j + 1] = s;
    targets[j + 1] = t;
  }
}

/** The child of `state` on `symbol`, or 0 (the root is never a child). */
export function findEdge(edgeStart: Int32Array, edgeSymbols: Int32Array, edgeTargets: Int32Array, state: number, symbol: number): number {
  let lo = edgeStart[state];
  let hi = edgeStart[state + 1] - 1;
  if (hi - lo < 8) {
    for (let e = lo; e <= hi; e++) if (edgeSymbols[e] === symbol) return edgeTargets[e];
    return 0;
  }
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = edgeSymbols[mid];
    if (s === symbol) return edgeTargets[mid];
    if (s < symbol) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

/** The automaton's transition: follows failure links until an edge on `symbol` exists. */
export function step(a: Automaton, state: number, symbol: number): number {
  let s = state;
  while (s !== ROOT) {
    const t = findEdge(a.edgeStart, a.edgeSymbols, a.edgeTargets, s, symbol);
    if (t !== 0) return t;
    s = a.fail[s];
  }
  return a.rootNext[symbol];
}
