import type { HashMatch } from "../known-media/index.js";
import type { AdvertScoreSignal, HashMatchSignal, LexiconHitSignal, TextSpan } from "./signals.js";
import { withoutFinalStop } from "./evaluate.js";

/** A lexicon hit as the text check and search gate report it (`GateHit`); spans are optional. */
export interface FoundTerm {
  readonly term: string;
  readonly category: string;
  readonly severity: string;
  readonly lexicon: string;
  readonly start?: number;
  readonly end?: number;
}

/**
 * Turns known-media matches into `hash-match` signals, one per match, with the
 * bank entry's id added to `ids` (the media or post the hashes came from).
 * Strength falls from 1 at distance 0 to 0 at PDQ distance 128 (chance level).
 *
 * @example
 * const result = await knownMedia.checkHashes({ pdq });
 * const signals = hashMatchSignals(result.matches, ["media:m1"]);
 */
export function hashMatchSignals(matches: readonly HashMatch[], ids: readonly string[]): HashMatchSignal[] {
  return matches.map((m) => ({
    type: "hash-match",
    bank: m.bank.name,
    category: m.entry.category,
    signalType: m.signalType,
    distance: m.distance,
    matchVerdict: m.bank.matchVerdict,
    strength: Math.max(0, 1 - m.distance / 128),
    reason: `${m.signalType === "pdq" ? `PDQ match at distance ${m.distance}` : `Exact ${m.signalType.toUpperCase()} match`}${m.orientation && m.orientation !== "orig" ? ` (${m.orientation})` : ""} in bank "${m.bank.name}"${m.entry.category ? ` (category ${m.entry.category})` : ""}`,
    evidence: { ids: [...ids, `bank-entry:${m.entry.id}`] },
  }));
}

/**
 * Turns the text check's findings into signals: one `lexicon-hit` per distinct
 * term and lexicon (its occurrences become spans, so `atLeast` counts distinct
 * terms, not repeats), and one `advert-score` unless the level is `none`.
 *
 * @example
 * const check = textCheck.check(post.text, "post");
 * const signals = textSignals(check, "post", ["post:p1"]);
 */
export function textSignals(
  found: {
    readonly hits: readonly FoundTerm[];
    /** `features`: what the score found, whose explanations join the reason and whose spans become the evidence. */
    readonly advert?: { readonly score: number; readonly level: string; readonly features?: ReadonlyArray<{ readonly explanation: string; readonly spans: readonly TextSpan[] }> };
  },
  surface: string,
  ids: readonly string[],
): Array<LexiconHitSignal | AdvertScoreSignal> {
  const byTerm = new Map<string, { hit: FoundTerm; spans: TextSpan[] }>();
  for (const hit of found.hits) {
    const key = `${hit.lexicon}\u0000${hit.term}`;
    const entry = byTerm.get(key) ?? { hit, spans: [] };
    if (hit.start !== undefined && hit.end !== undefined) entry.spans.push({ start: hit.start, end: hit.end });
    byTerm.set(key, entry);
  }
  const signals: Array<LexiconHitSignal | AdvertScoreSignal> = [...byTerm.values()].map(({ hit, spans }) => ({
    type: "lexicon-hit",
    term: hit.term,
    category: hit.category,
    severity: hit.severity,
    lexicon: hit.lexicon,
    surface,
    reason: `The ${surface.replace(/_/g, " ")} contains the ${hit.severity}-severity term "${hit.term}" (${hit.category}, lexicon "${hit.lexicon}")${spans.length > 1 ? `, ${spans.length} times` : ""}`,
    evidence: spans.length ? { ids: [...ids], spans } : { ids: [...ids] },
  }));
  const advert = found.advert;
  if (advert && advert.level !== "none") {
    const features = advert.features ?? [];
    const featureSpans = features.flatMap((f) => f.spans.map(({ start, end }) => ({ start, end })));
    signals.push({
      type: "advert-score",
      score: advert.score,
      level: advert.level,
      strength: advert.score,
      reason: `The ${surface.replace(/_/g, " ")} reads as a seller advert with score ${advert.score.toFixed(2)} (${advert.level})${features.length ? `: ${features.map((f) => withoutFinalStop(f.explanation)).join("; ")}` : ""}`,
      evidence: featureSpans.length ? { ids: [...ids], spans: featureSpans } : { ids: [...ids] },
    });
  }
  return signals;
}
