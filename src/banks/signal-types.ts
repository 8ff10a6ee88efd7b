import { LapwingError } from "../errors/index.js";

/** The kinds of signal a bank entry can hold. */
export const signalTypes = ["pdq", "md5", "sha256"] as const;
export type SignalType = (typeof signalTypes)[number];

const hexLength: Record<SignalType, number> = { pdq: 64, md5: 32, sha256: 64 };

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
 * surrounding space removed). Throws HASH_MALFORMED saying what was expected.
 */
export function normalizeSignal(type: SignalType, value: string, pointer?: string): string {
  const hex = value.trim().toLowerCase();
  const length = hexLength[type];
  if (hex.length !== length || !/^[0-9a-f]+$/.test(hex)) {
    const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
    throw new LapwingError(
      "HASH_MALFORMED",
      `A ${type} hash is ${length} hexadecimal digits; got ${JSON.stringify(shown)} (${value.length} characters).`,
      { pointer },
    );
  }
  return hex;
}
