import { recommendationSurfaces, type RecommendationSurface } from "../../network/index.js";
import { auditInputError } from "./errors.js";
import { idList, isObject, parseJson } from "./inputs.js";
import type { RecommendationSource } from "./types.js";

/** Recorded suggestions: what the recommender showed at each account, for every surface or per surface. */
export interface RecordedRecs {
  recs: Record<string, string[]>;
  /** Per-surface suggestions where they differ from `recs`. */
  surfaces?: Partial<Record<RecommendationSurface, Record<string, string[]>>>;
}

/**
 * Reads a recorded-suggestions file: `{"recs": {account: [ids...]}}`, the
 * suggestions the platform showed at each account, best first; optionally
 * `"surfaces": {"posts": {account: [ids...]}}` for surfaces whose
 * suggestions differ. Errors point at the bad entry (`/recs/acc7/2`).
 */
export function parseRecordedRecs(text: string, name = "the recorded suggestions file"): RecordedRecs {
  const value = parseJson(text, name);
  if (!isObject(value) || !isObject(value.recs)) throw auditInputError(`${name} must be a JSON object {"recs": {"account id": ["suggested id", ...]}}.`, "/recs");
  const recs = suggestionMap(value.recs, "/recs", name);
  if (value.surfaces === undefined) return { recs };
  if (!isObject(value.surfaces)) throw auditInputError(`${name}: "surfaces" must be an object {"posts": {"account id": [...]}}.`, "/surfaces");
  const surfaces: RecordedRecs["surfaces"] = {};
  for (const [surface, map] of Object.entries(value.surfaces)) {
    if (!(recommendationSurfaces as readonly string[]).includes(surface)) throw auditInputError(`${name}: unknown surface "${surface}" under "surfaces".`, `/surfaces/${surface}`);
    surfaces[surface as RecommendationSurface] = suggestionMap(map, `/surfaces/${surface}`, name);
  }
  return { recs, surfaces };
}

/**
 * A source that replays recorded suggestions: a walk at account X continues
 * with the suggestions recorded for X. When nothing is recorded for X, the
 * simulated account is shown its own recorded list again (files are often
 * recorded for the viewers only; the walk then follows the next of its own
 * suggestions instead of stopping); when nothing is recorded for it either,
 * nothing is shown and the walk ends.
 */
export function recordedSource(recorded: RecordedRecs, description = "recorded suggestions"): RecommendationSource {
  return {
    description,
    suggest: async (viewer, surface, context) => {
      const map = recorded.surfaces?.[surface] ?? recorded.recs;
      if (Object.hasOwn(map, viewer)) return map[viewer]!;
      return Object.hasOwn(map, context.origin) ? map[context.origin]! : [];
    },
  };
}

function suggestionMap(value: unknown, pointer: string, name: string): Record<string, string[]> {
  if (!isObject(value)) throw auditInputError(`${name}: ${pointer} must be an object {"account id": [...]}.`, pointer);
  // A null prototype, so an account named "__proto__" or "constructor" is just an account.
  const map: Record<string, string[]> = Object.create(null);
  for (const [viewer, list] of Object.entries(value)) map[viewer] = idList(list, `${pointer}/${escapePointer(viewer)}`, name);
  return map;
}

/** RFC 6901: "~" and "/" in a key are written "~0" and "~1" in a pointer. */
function escapePointer(key: string): string {
  return key.replaceAll("~", "~0").replaceAll("/", "~1");
}
