import { LapwingError } from "../errors/index.js";
import type { AuditAnchor } from "./types.js";

/** `position:hash`, the form `lapwing audit verify` prints and `--anchor` reads. */
export function formatAuditAnchor(anchor: AuditAnchor): string {
  return `${anchor.position}:${anchor.hash}`;
}

/** Reads `position:hash` (a whole number, a colon, 64 hex digits). */
export function parseAuditAnchor(text: string): AuditAnchor {
  const match = /^(\d{1,15}):([0-9a-fA-F]{64})$/.exec(text.trim());
  if (!match) {
    throw new LapwingError("VALIDATION_FAILED", `An audit anchor reads POSITION:HASH (as printed by \`lapwing audit verify\`), e.g. 1234:${"ab".repeat(32)}; got "${text}".`);
  }
  return { position: Number(match[1]), hash: match[2]!.toLowerCase() };
}
