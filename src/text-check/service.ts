import type { ContentKind, LexiconRegistry } from "../lexicons/index.js";
import { toGateHit, type GateHit } from "../search-gate/index.js";
import { scoreAdvert, type AdvertScore } from "../text/adverts/index.js";

export type TextVerdict = "allow" | "review" | "hold" | "block";

export interface TextCheck {
  verdict: TextVerdict;
  /** One sentence per reason for the verdict, for the platform's moderator and its logs. */
  reasons: string[];
  hits: GateHit[];
  advert: AdvertScore;
  isTruncated: boolean;
}

/**
 * Checks content text (posts, bios, comments, names, hashtags, text read from
 * images) against the lexicons for its kind and scores it as a seller
 * advert. Verdicts, strictest first:
 * - `block`: a `block`-severity lexicon term;
 * - `hold` (hide until reviewed): a text that reads strongly as an advert for abuse material;
 * - `review`: a `review`-severity term, or an advert score at the review level;
 * - `allow` otherwise.
 */
export function createTextCheck(deps: { lexicons: LexiconRegistry }) {
  function check(text: string, kind: ContentKind): TextCheck {
    const scan = deps.lexicons.scan(kind, text);
    const advert = scoreAdvert(text, { hits: scan.hits });
    const hits = scan.hits.map(toGateHit);
    const reasons: string[] = [];
    const blocking = [...new Set(hits.filter((h) => h.severity === "block").map((h) => h.term))];
    const reviewing = [...new Set(hits.filter((h) => h.severity === "review").map((h) => h.term))];
    if (blocking.length) reasons.push(`Matches block-severity lexicon term${blocking.length > 1 ? "s" : ""}: ${blocking.join(", ")}.`);
    if (advert.level === "high" || advert.level === "review") {
      const strongest = advert.signals.filter((s) => s.weight > 0 && s.name !== "combination").slice(0, 3).map((s) => s.explanation);
      reasons.push(`Reads as a seller advert (score ${advert.score.toFixed(2)}, ${advert.level}): ${strongest.join("; ")}.`);
    }
    if (reviewing.length) reasons.push(`Matches review-severity lexicon term${reviewing.length > 1 ? "s" : ""}: ${reviewing.join(", ")}.`);
    const verdict: TextVerdict = blocking.length ? "block" : advert.level === "high" ? "hold" : reviewing.length || advert.level === "review" ? "review" : "allow";
    return { verdict, reasons, hits, advert, isTruncated: scan.isTruncated || advert.isTruncated };
  }
  return { check };
}

export type TextCheckService = ReturnType<typeof createTextCheck>;
