import type { HashMatch, Verdict } from "../known-media/index.js";
import type { ContentKind } from "../lexicons/index.js";
import type { TextVerdict } from "../text-check/index.js";

/**
 * What the worker found in one event, stored on the event row. `field` is a
 * JSON pointer into the event (`/post/text`, `/post/media/0`), so a reviewer
 * sees exactly which part triggered it. Only findings are stored: text and
 * media that matched nothing leave no signal; media that could not be checked
 * leaves a `media.unchecked` signal saying why.
 */
export type EventSignal = TextSignal | MediaMatchSignal | MediaUncheckedSignal;

export interface TextSignal {
  kind: "text";
  field: string;
  contentKind: ContentKind;
  verdict: Exclude<TextVerdict, "allow">;
  reasons: string[];
  /** `start`/`end`: where the term matched, in UTF-16 code units of the field's original text (absent in signals stored before they were kept). */
  hits: Array<{ term: string; category: string; severity: "block" | "review"; lexicon: string; start?: number; end?: number }>;
  /** `features`: the strongest things the advert score found, with where (absent in signals stored before they were kept). */
  advert: { score: number; level: string; features?: Array<{ name: string; explanation: string; spans: Array<{ start: number; end: number }> }> };
}

export interface MediaMatchSignal {
  kind: "media.match";
  field: string;
  /** Where the hashes came from. */
  source: "hashes" | "bytes" | "url";
  verdict: Exclude<Verdict, "allow">;
  matches: HashMatch[];
  notes: string[];
}

export interface MediaUncheckedSignal {
  kind: "media.unchecked";
  field: string;
  source: "hashes" | "bytes" | "url";
  /** A stable reason code and a sentence. */
  reason: "host_not_allowed" | "fetch_failed" | "decode_failed" | "low_quality";
  message: string;
}
