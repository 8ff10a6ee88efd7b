import type { TextHit } from "../index.js";
import type { OriginalSpan } from "./view.js";

export type { OriginalSpan } from "./view.js";

/** How strongly a text reads as a seller advert. `review` and `high` are at or above the threshold. */
export type AdvertLevel = "none" | "low" | "review" | "high";

/**
 * The name of a signal. Positive evidence: `price`, `menu-language`,
 * `media-goods`, `minor-age`, `off-platform-contact`, `file-host`,
 * `payment-handle`, `backup-account`, `obfuscation`, `lexicon-age-claim`,
 * `lexicon-coded-term`, `lexicon-solicitation`, `emoji-code`, `lexicon-other`,
 * and `combination` (the interaction bonus). Mitigating (negative weight):
 * `adult-age`, `benign-context`.
 */
export type AdvertSignalName =
  | "price"
  | "menu-language"
  | "media-goods"
  | "minor-age"
  | "adult-age"
  | "off-platform-contact"
  | "file-host"
  | "payment-handle"
  | "backup-account"
  | "obfuscation"
  | "lexicon-age-claim"
  | "lexicon-coded-term"
  | "lexicon-solicitation"
  | "emoji-code"
  | "lexicon-other"
  | "benign-context"
  | "combination";

/** One named, explained contribution to the score. */
export interface AdvertSignal {
  readonly name: AdvertSignalName;
  /** Contribution to the score's log-odds; negative for mitigating context. */
  readonly weight: number;
  /** What was found, in words a reviewer can check against the spans. */
  readonly explanation: string;
  /** Where in the original text, in UTF-16 code units (`text.slice(start, end) === span.text`). Empty for `combination`. */
  readonly spans: readonly OriginalSpan[];
}

/** The answer of {@link scoreAdvert}. */
export interface AdvertScore {
  /** 0..1: a logistic over the summed signal weights. */
  readonly score: number;
  readonly level: AdvertLevel;
  /** Signals sorted by absolute weight, strongest first. */
  readonly signals: readonly AdvertSignal[];
  /** The text was longer than `maxChars`; only its beginning was read. */
  readonly isTruncated: boolean;
}

/** Options of {@link scoreAdvert}; every field has a documented default. */
export interface AdvertOptions {
  /** Lexicon hits for the same text, from `compileLexicon(...).match(text)`: categories `age-claim`, `coded-term`, `solicitation`, `emoji-code` add weight. Default none. */
  readonly hits?: readonly TextHit[];
  /** Score at or above which the level is `review` (or `high`). Default 0.5. */
  readonly threshold?: number;
  /** Longest text read, in UTF-16 code units; the rest is ignored and `isTruncated` set. Default 100,000. */
  readonly maxChars?: number;
}

/** Defaults of {@link AdvertOptions}, and the level cut-offs. */
export const ADVERT_DEFAULTS = Object.freeze({
  threshold: 0.5,
  maxChars: 100_000,
  /** Below this score the level is `none`. */
  noneBelow: 0.1,
  /** At or above this score (and the threshold) the level is `high`. */
  highFrom: 0.9,
});
