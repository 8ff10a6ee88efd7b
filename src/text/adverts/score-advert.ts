import { LapwingError } from "../../errors/index.js";
import type { TextHit } from "../index.js";
import { ageEvidence } from "./age.js";
import { backupEvidence } from "./backup-account.js";
import { benignContextEvidence } from "./benign-context.js";
import { capDimensions, combination, foldSignals, logistic } from "./combine.js";
import { contactEvidence } from "./contact.js";
import type { AdvertText, Evidence } from "./evidence.js";
import { lexiconEvidence } from "./lexicon-hits.js";
import { mediaEvidence, menuEvidence, TRADE_LABEL } from "./menu.js";
import { obfuscationEvidence } from "./obfuscation.js";
import { paymentEvidence } from "./payment.js";
import { priceEvidence } from "./price.js";
import { ADVERT_DEFAULTS, type AdvertLevel, type AdvertOptions, type AdvertScore, type AdvertSignal } from "./types.js";
import { advertVocabulary } from "./vocabulary.js";
import { despacedView, foldedView, rawView } from "./view.js";

const FEATURES: ReadonlyArray<(text: AdvertText, out: Evidence[]) => void> = [
  priceEvidence,
  menuEvidence,
  mediaEvidence,
  ageEvidence,
  contactEvidence,
  paymentEvidence,
  backupEvidence,
  lexiconEvidence,
  obfuscationEvidence,
  benignContextEvidence,
];

function invalid(message: string, pointer: string): LapwingError {
  return new LapwingError("VALIDATION_FAILED", message, { pointer });
}

/**
 * Scores how strongly `text` reads as a seller advert for abuse material.
 * Pass the operator lexicon's hits for the same text as `hits` so coded terms,
 * age-claim terms and emoji codes count. Throws `LapwingError`
 * `VALIDATION_FAILED` for a non-string text, a threshold outside 0..1, or a
 * maxChars that is not a positive integer; hits outside the read text are ignored.
 *
 * @example
 * ```ts
 * scoreAdvert("Commissions open! Price list: headshot $15. DM for price list, PayPal").level; // "none"
 * scoreAdvert("menu 14yo vids $20 t.me/x").level; // "high"
 * scoreAdvert(text, { hits: lexicon.match(text), threshold: 0.7 });
 * ```
 */
export function scoreAdvert(text: string, options: AdvertOptions = {}): AdvertScore {
  if (typeof text !== "string") throw invalid("scoreAdvert needs the text as a string.", "/text");
  const threshold = options.threshold ?? ADVERT_DEFAULTS.threshold;
  if (typeof threshold !== "number" || !(threshold >= 0 && threshold <= 1)) {
    throw invalid("threshold must be a number from 0 to 1.", "/threshold");
  }
  const maxChars = options.maxChars ?? ADVERT_DEFAULTS.maxChars;
  if (!Number.isSafeInteger(maxChars) || maxChars < 1) throw invalid("maxChars must be a positive integer.", "/maxChars");
  const hits = options.hits ?? [];
  if (!Array.isArray(hits)) throw invalid("hits must be an array of TextHit from the matcher.", "/hits");

  const original = cut(text, maxChars);
  const vocabulary = advertVocabulary();
  const prepared: AdvertText = {
    original,
    raw: rawView(original),
    folded: despacedView(foldedView(original, original.length)),
    vocabulary: longestFirst(vocabulary.lexicon.match(original).filter(isPlausibleReading)),
    vocabularyKinds: vocabulary.kinds,
    hits: hits.filter((h) => isUsableHit(h, original.length)),
  };

  const evidence: Evidence[] = [];
  for (const feature of FEATURES) feature(prepared, evidence);
  const signals = foldSignals(evidence, original);

  // A stated adult age does not excuse a claimed minor age in the same text.
  const adult = signals.get("adult-age");
  if (adult !== undefined && (signals.has("minor-age") || signals.has("lexicon-age-claim"))) {
    signals.set("adult-age", { ...adult, weight: 0, explanation: `${adult.explanation} Not counted: the text also claims a minor age.` });
  }
  // Presence for the interaction terms is read before scaling: scaling is about totals, not about what was found.
  const combined = combination(signals, evidence.some((e) => e.label === TRADE_LABEL));
  capDimensions(signals);
  if (combined !== undefined) signals.set("combination", combined);

  const list: AdvertSignal[] = [...signals.values()].sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight) || a.name.localeCompare(b.name));
  const score = logistic(list);
  return { score, level: levelOf(score, threshold), signals: list, isTruncated: original.length < text.length };
}

function levelOf(score: number, threshold: number): AdvertLevel {
  if (score >= threshold) return score >= Math.max(threshold, ADVERT_DEFAULTS.highFrom) ? "high" : "review";
  return score < Math.min(threshold, ADVERT_DEFAULTS.noneBelow) ? "none" : "low";
}

/** The first `maxChars` code units, never ending on half a surrogate pair. */
function cut(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  let n = maxChars;
  const last = text.charCodeAt(n - 1);
  if (last >= 0xd800 && last <= 0xdbff) n--;
  return text.slice(0, n);
}

function isUsableHit(hit: TextHit, length: number): boolean {
  return (
    typeof hit === "object" && hit !== null &&
    typeof hit.category === "string" &&
    Number.isInteger(hit.start) && Number.isInteger(hit.end) &&
    hit.start >= 0 && hit.start < hit.end && hit.end <= length
  );
}

/**
 * Leetspeak on a short word misfires on prices and ids ("17€" reads "ltc"):
 * a vocabulary term of four letters or fewer must be written in letters.
 */
function isPlausibleReading(hit: TextHit): boolean {
  return hit.term.length > 4 || /^[\p{L}\p{M}\s]+$/u.test(hit.matched);
}

/** Drops every hit inside a longer one ("links" inside "mega links"), so a word counts once. */
function longestFirst(hits: readonly TextHit[]): TextHit[] {
  const sorted = [...hits].sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: TextHit[] = [];
  for (const h of sorted) {
    let inside = false;
    for (const k of kept) {
      if (h.start >= k.start && h.end <= k.end) {
        inside = true;
        break;
      }
    }
    if (!inside) kept.push(h);
  }
  return kept.sort((a, b) => a.start - b.start);
}
