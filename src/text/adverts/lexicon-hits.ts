import type { AdvertSignalName } from "./types.js";
import type { AdvertText, Evidence } from "./evidence.js";

const BY_CATEGORY: Readonly<Record<string, readonly [AdvertSignalName, number, string]>> = {
  "age-claim": ["lexicon-age-claim", 1.6, "an age-claim term from the lexicon"],
  "coded-term": ["lexicon-coded-term", 1.6, "a coded term from the lexicon"],
  solicitation: ["lexicon-solicitation", 1.1, "a solicitation term from the lexicon"],
  "emoji-code": ["emoji-code", 1.0, "an emoji code from the lexicon"],
};

/**
 * Lexicon hits from the caller's matcher run. Known categories map to their
 * own signal; any other category adds a little as `lexicon-other`. A `block`
 * severity weighs a third more than `review`.
 */
export function lexiconEvidence(text: AdvertText, out: Evidence[]): void {
  for (const hit of text.hits) {
    const known = BY_CATEGORY[hit.category];
    const [signal, base, label] = known ?? (["lexicon-other", 0.5, `a lexicon term (category "${hit.category}")`] as const);
    const weight = hit.severity === "block" ? base * 1.33 : base;
    out.push({ signal, weight, start: hit.start, end: hit.end, label: `${label}: "${hit.term}"` });
  }
}
