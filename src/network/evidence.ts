import type { Signal } from "../policy/index.js";

/** Reviewer categories that make a confirmed account a seed of the network. */
export const childSafetyCategories: ReadonlySet<string> = new Set([
  "csam",
  "grooming",
  "seller_advert",
  "sexual_exploitation",
  "sextortion",
  "child_safety",
  "trafficking",
]);

/** What an account's own content says, folded from its automated decisions. */
export interface ContentEvidence {
  /** 0..1, noisy-or of the findings below. */
  strength: number;
  hashMatches: number;
  knownAbuseMatches: number;
  lexiconHits: number;
  advertPosts: number;
  childSafetyReports: number;
}

export function emptyEvidence(): ContentEvidence {
  return { strength: 0, hashMatches: 0, knownAbuseMatches: 0, lexiconHits: 0, advertPosts: 0, childSafetyReports: 0 };
}

/**
 * Adds one decision's signals to the account's evidence. Network scores and
 * ban-evasion links are left out: they are this service's own output, and
 * feeding them back would let a score confirm itself.
 */
export function addEvidence(evidence: ContentEvidence, signals: readonly Signal[]): void {
  let strongest = 0;
  let advert = false;
  for (const signal of signals) {
    switch (signal.type) {
      case "hash-match":
        evidence.hashMatches += 1;
        if (signal.category === "csam") evidence.knownAbuseMatches += 1;
        strongest = Math.max(strongest, signal.category === "csam" ? 1 : 0.4);
        break;
      case "lexicon-hit":
        evidence.lexiconHits += 1;
        strongest = Math.max(strongest, signal.severity === "block" ? 0.6 : 0.3);
        break;
      case "advert-score":
        if (signal.level === "review" || signal.level === "high") {
          advert = true;
          strongest = Math.max(strongest, signal.score);
        }
        break;
      case "user-report":
        if (signal.reportReason === "child-safety") {
          evidence.childSafetyReports += 1;
          strongest = Math.max(strongest, 0.3);
        }
        break;
      default:
        break;
    }
  }
  if (advert) evidence.advertPosts += 1;
  evidence.strength = 1 - (1 - evidence.strength) * (1 - strongest);
}

/** The evidence in a reviewer's words: "2 posts with advert signals; 1 match of known abuse media". */
export function describeEvidence(e: ContentEvidence): string[] {
  const out: string[] = [];
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  if (e.knownAbuseMatches > 0) out.push(`${plural(e.knownAbuseMatches, "match", "matches")} of known abuse media`);
  else if (e.hashMatches > 0) out.push(`${plural(e.hashMatches, "hash match", "hash matches")} in listed media`);
  if (e.advertPosts > 0) out.push(`${plural(e.advertPosts, "post or bio", "posts or bios")} with advert signals`);
  if (e.lexiconHits > 0) out.push(`${plural(e.lexiconHits, "lexicon hit", "lexicon hits")} in own content`);
  if (e.childSafetyReports > 0) out.push(`${plural(e.childSafetyReports, "child-safety report", "child-safety reports")} about it`);
  return out;
}
