import type { EvasionLink, PairLink } from "./types.js";

/**
 * Several pieces of evidence into one strength: noisy-or, 1 − Π(1 − sᵢ), as if
 * each were an independent chance that the pair is one operator's. Two links
 * of 0.5 give 0.75; a link of 0 changes nothing; any link of 1 gives 1.
 *
 * @example
 * combineStrengths([0.9, 0.8]); // 0.98
 */
export function combineStrengths(strengths: Iterable<number>): number {
  let miss = 1;
  for (const s of strengths) miss *= 1 - Math.min(1, Math.max(0, s));
  return 1 - miss;
}

/**
 * Groups links by the other account and combines each pair: noisy-or over the
 * strongest link of each kind, so the same claim found twice (in the bio and
 * in a post, in both directions) counts once, while different kinds of
 * evidence add up. Pairs come strongest first.
 *
 * @example
 * combineLinks("a", [
 *   { from: "b", to: "a", kind: "names-as-main", strength: 0.9, explanation: "…" },
 *   { from: "a", to: "b", kind: "shared-contact", strength: 0.8, explanation: "…" },
 * ]); // [{ account: "a", other: "b", strength: 0.98, links: [...] }]
 */
export function combineLinks(account: string, links: Iterable<EvasionLink>): PairLink[] {
  const byOther = new Map<string, EvasionLink[]>();
  for (const link of links) {
    const other = link.from === account ? link.to : link.from;
    let list = byOther.get(other);
    if (list === undefined) byOther.set(other, (list = []));
    list.push(link);
  }
  const pairs: PairLink[] = [];
  for (const [other, list] of byOther) {
    list.sort(byStrength);
    const strongestPerKind = new Map<string, number>();
    for (const link of list) if (!strongestPerKind.has(link.kind)) strongestPerKind.set(link.kind, link.strength);
    pairs.push({ account, other, strength: Math.round(combineStrengths(strongestPerKind.values()) * 1000) / 1000, links: list });
  }
  return pairs.sort((a, b) => b.strength - a.strength || (a.other < b.other ? -1 : a.other > b.other ? 1 : 0));
}

/** Strongest first; ties by kind, then ids, so the order is stable. */
export function byStrength(a: EvasionLink, b: EvasionLink): number {
  return b.strength - a.strength || cmp(a.kind, b.kind) || cmp(a.from, b.from) || cmp(a.to, b.to);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
