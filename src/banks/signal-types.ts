import { LapwingError } from "../errors/index.js";
import { normalizeDigest, normalizePdqHash } from "../matching/index.js";

import { signalTypes, type SignalType } from "./types.js";

export { signalTypes, type SignalType };

// Names other tools use for the same signals (ThreatExchange exports, HMA).
const aliases: Record<string, SignalType> = {
  pdq: "pdq",
  photo_pdq: "pdq",
  md5: "md5",
  photo_md5: "md5",
  video_md5: "md5",
  sha256: "sha256",
  "sha-256": "sha256",
};

/** Maps a signal-type name (case-insensitive, with common aliases) to ours, or undefined. */
export function parseSignalType(name: string): SignalType | undefined {
  return aliases[name.trim().toLowerCase()];
}

/**
 * Validates a signal string and returns its canonical form (lower-case hex,
 * surrounding space removed). Throws HASH_MALFORMED saying what was expected,
 * pointing at `pointer` in the caller's input when given.
 */
export function normalizeSignal(type: SignalType, value: string, pointer?: string): string {
  try {
    return type === "pdq" ? normalizePdqHash(value) : normalizeDigest(type, value);
  } catch (error) {
    if (pointer && error instanceof LapwingError) throw new LapwingError(error.code, error.message, { pointer });
    throw error;
  }
}
