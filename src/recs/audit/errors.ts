import { LapwingError } from "../../errors/index.js";

/**
 * A platform's suggestion endpoint or a guard failed: unreachable, too slow,
 * an HTTP error, or an answer in an unexpected shape. The message names the
 * URL and what to check.
 */
export class RecsSourceError extends LapwingError {
  constructor(message: string, options: { cause?: unknown; details?: unknown } = {}) {
    super("RECS_SOURCE_FAILED", message, options);
    this.name = "RecsSourceError";
  }
}

/** An audit input (recorded suggestions, viewers, network list, settings) is malformed; the pointer names where. */
export function auditInputError(message: string, pointer?: string): LapwingError {
  return new LapwingError("VALIDATION_FAILED", message, { pointer });
}
