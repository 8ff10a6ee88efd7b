import type { ErrorCode } from "./codes.js";

/**
 * The base of every error Lapwing raises on purpose. `code` is stable and
 * machine-readable; `message` says what went wrong and what to do; `pointer`
 * (a JSON pointer or a "line N" reference) locates the bad input when there is one.
 *
 * Only `LapwingError`s are shown to API clients; anything else becomes an
 * opaque 500 with a request id.
 */
export class LapwingError extends Error {
  readonly code: ErrorCode;
  readonly pointer: string | undefined;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, options: { pointer?: string; details?: unknown; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "LapwingError";
    this.code = code;
    this.pointer = options.pointer;
    this.details = options.details;
  }
}

export function isLapwingError(error: unknown): error is LapwingError {
  return error instanceof LapwingError;
}
