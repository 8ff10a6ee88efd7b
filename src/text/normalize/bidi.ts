import { classOf, CharClass, isRightToLeft } from "./fold.js";

// Explicit directional formatting characters (UAX #9, section 2).
const LRE = 0x202a;
const RLE = 0x202b;
const PDF = 0x202c;
const LRO = 0x202d;
const RLO = 0x202e;
const LRI = 0x2066;
const RLI = 0x2067;
const FSI = 0x2068;
const PDI = 0x2069;
/** UAX #9 BD2: the deepest explicit embedding level. */
const MAX_DEPTH = 125;

const NEUTRAL = 0;
const LTR = 1;
const RTL = 2;

function isExplicit(cp: number): boolean {
  return (cp >= LRE && cp <= RLO) || (cp >= LRI && cp <= PDI);
}

function isParagraphEnd(cp: number): boolean {
  return cp === 0x0a || cp === 0x0d || cp === 0x1c || cp === 0x1d || cp === 0x1e || cp === 0x85 || cp === 0x2029;
}

function intrinsicDirection(cp: number): number {
  if (isRightToLeft(cp)) return RTL;
  return (classOf(cp) & 7) === CharClass.word ? LTR : NEUTRAL;
}

/**
 * The order in which a reader sees the code points `cps[0..count)`, as a
 * permutation of their indices, or `null` when the text has no explicit
 * directional controls (then logical order is what a reader sees).
 *
 * A simplified Unicode Bidirectional Algorithm (UAX #9): explicit embeddings,
 * overrides and isolates (X1–X10, with FSI treated as its first strong
 * character says), implicit levels for strong letters (digits count as
 * left-to-right), neutrals between two letters of one direction take that
 * direction (N1) and otherwise the embedding's (N2), then reordering (L2).
 * So "\u202Eelxanrov" reads "vornaxle". Runs of right-to-left letters are then
 * turned back, because a reader reads Hebrew or Arabic right to left: the
 * result is reading order, not display order.
 *
 * Work is linear in `count` (each level reverses at most `count` items, and
 * levels are capped at 125).
 */
export function readingOrder(cps: Int32Array, count: number): Int32Array | null {
  let hasExplicit = false;
  for (let i = 0; i < count; i++) {
    if (isExplicit(cps[i])) {
      hasExplicit = true;
      break;
    }
  }
  if (!hasExplicit) return null;

  const order = new Int32Array(count);
  const levels = new Uint8Array(count);
  const types = new Uint8Array(count);
  const stackLevel = new Uint8Array(MAX_DEPTH + 2);
  const stackOverride = new Uint8Array(MAX_DEPTH + 2);
  const stackIsolate = new Uint8Array(MAX_DEPTH + 2);

  let start = 0;
  while (start < count) {
    let end = start;
    while (end < count && !isParagraphEnd(cps[end])) end++;
    if (end < count) end++; // the paragraph separator stays with its paragraph
    resolveParagraph(cps, start, end, levels, types, stackLevel, stackOverride, stackIsolate);
    for (let i = start; i < end; i++) order[i] = i;
    reorder(order, levels, start, end);
    unreverseRightToLeftRuns(cps, order, start, end);
    start = end;
  }
  return order;
}

function firstStrong(cps: Int32Array, from: number, to: number): number {
  let isolates = 0;
  for (let i = from; i < to; i++) {
    const cp = cps[i];
    if (cp === LRI || cp === RLI || cp === FSI) isolates++;
    else if (cp === PDI) {
      if (isolates === 0) return NEUTRAL;
      isolates--;
    } else if (isolates === 0) {
      const d = intrinsicDirection(cp);
      if (d !== NEUTRAL) return d;
    }
  }
  return NEUTRAL;
}

function resolveParagraph(
  cps: Int32Array,
  start: number,
  end: number,
  levels: Uint8Array,
  types: Uint8Array,
  stackLevel: Uint8Array,
  stackOverride: Uint8Array,
  stackIsolate: Uint8Array,
): void {
  const base = firstStrong(cps, start, end) === RTL ? 1 : 0;
  let depth = 0;
  stackLevel[0] = base;
  stackOverride[0] = NEUTRAL;
  stackIsolate[0] = 0;
  let overflow = 0;

  for (let i = start; i < end; i++) {
    const cp = cps[i];
    const level = stackLevel[depth];
    if (cp === LRE || cp === RLE || cp === LRO || cp === RLO || cp === LRI || cp === RLI || cp === FSI) {
      levels[i] = level;
      types[i] = NEUTRAL;
      let rtl = cp === RLE || cp === RLO || cp === RLI;
      if (cp === FSI) rtl = firstStrong(cps, i + 1, end) === RTL;
      const next = rtl ? (level + 1) | 1 : (level + 2) & ~1;
      if (next <= MAX_DEPTH && depth + 1 <= MAX_DEPTH) {
        depth++;
        stackLevel[depth] = next;
        stackOverride[depth] = cp === LRO ? LTR : cp === RLO ? RTL : NEUTRAL;
        stackIsolate[depth] = cp === LRI || cp === RLI || cp === FSI ? 1 : 0;
      } else overflow++;
    } else if (cp === PDF) {
      levels[i] = level;
      types[i] = NEUTRAL;
      if (overflow > 0) overflow--;
      else if (depth > 0 && stackIsolate[depth] === 0) depth--;
    } else if (cp === PDI) {
      let hasIsolate = false;
      for (let d = depth; d > 0; d--) if (stackIsolate[d] === 1) hasIsolate = true;
      if (hasIsolate) {
        overflow = 0;
        while (stackIsolate[depth] === 0) depth--;
        depth--;
      }
      levels[i] = stackLevel[depth];
      types[i] = NEUTRAL;
    } else if (isParagraphEnd(cp)) {
      levels[i] = base; // L1: a paragraph separator is at the paragraph's level
      types[i] = base ? RTL : LTR;
    } else {
      levels[i] = level;
      const override = stackOverride[depth];
      types[i] = override !== NEUTRAL ? override : intrinsicDirection(cp);
    }
  }

  // Implicit levels (N1, N2, I1, I2), neutrals looking for the strong types
  // around them within a run of one embedding level.
  let i = start;
  while (i < end) {
    let j = i;
    while (j < end && levels[j] === levels[i]) j++;
    const embedding = levels[i] & 1 ? RTL : LTR;
    let previous = embedding;
    for (let k = i; k < j; k++) {
      if (types[k] !== NEUTRAL) {
        previous = types[k];
        continue;
      }
      let m = k;
      while (m < j && types[m] === NEUTRAL) m++;
      const next = m < j ? types[m] : embedding;
      const resolved = previous === next ? previous : embedding;
      for (let n = k; n < m; n++) types[n] = resolved;
      k = m - 1;
    }
    for (let k = i; k < j; k++) {
      const odd = levels[k] & 1;
      if ((odd && types[k] === LTR) || (!odd && types[k] === RTL)) levels[k]++;
    }
    i = j;
  }
}

/** UAX #9 L2: from the highest level down to the lowest odd one, reverse every run at that level or higher. */
function reorder(order: Int32Array, levels: Uint8Array, start: number, end: number): void {
  let highest = 0;
  let lowestOdd = 255;
  for (let i = start; i < end; i++) {
    const level = levels[order[i]];
    if (level > highest) highest = level;
    if (level & 1 && level < lowestOdd) lowestOdd = level;
  }
  for (let level = highest; level >= lowestOdd && level > 0; level--) {
    let i = start;
    while (i < end) {
      if (levels[order[i]] < level) {
        i++;
        continue;
      }
      let j = i;
      while (j < end && levels[order[j]] >= level) j++;
      order.subarray(i, j).reverse();
      i = j;
    }
  }
}

function unreverseRightToLeftRuns(cps: Int32Array, order: Int32Array, start: number, end: number): void {
  let i = start;
  while (i < end) {
    if (!isRightToLeft(cps[order[i]])) {
      i++;
      continue;
    }
    let j = i;
    while (j < end && isRightToLeft(cps[order[j]])) j++;
    order.subarray(i, j).reverse();
    i = j;
  }
}
