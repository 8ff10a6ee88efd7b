import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { inputProblems, LapwingError, type ErrorCode } from "../errors/index.js";
import { isStoreBusy } from "../store/index.js";

/**
 * The one place error codes become HTTP statuses. A `Record` over every code,
 * so adding a code to src/errors/codes.ts without a status fails to compile.
 */
export const httpStatusByCode: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_CONTENT_TYPE: 415,
  CONFIG_INVALID: 500,
  MEDIA_EMPTY: 400,
  MEDIA_UNSUPPORTED_FORMAT: 415,
  MEDIA_DECODE_FAILED: 422,
  MEDIA_TOO_MANY_PIXELS: 413,
  MEDIA_BUSY: 503,
  HASH_MALFORMED: 400,
  BANK_NOT_FOUND: 404,
  BANK_NAME_TAKEN: 409,
  BANK_ENTRY_NOT_FOUND: 404,
  IMPORT_MALFORMED: 400,
  LEXICON_INVALID: 400,
  LEXICON_NOT_FOUND: 404,
  TEXT_TOO_LONG: 413,
  RECS_SOURCE_FAILED: 502,
  LEXICON_TOO_BROAD: 422,
  LOGIN_FAILED: 401,
  CSRF_FAILED: 403,
  RATE_LIMITED: 429,
  POLICY_INVALID: 400,
  POLICY_VERSION_NOT_FOUND: 404,
  CASE_NOT_FOUND: 404,
  CASE_CLAIMED: 409,
  CASE_NOT_CLAIMED: 409,
  CASE_DECIDED: 409,
  REPORT_NOT_FOUND: 404,
  REPORT_NOT_RETRYABLE: 409,
  EVIDENCE_NOT_FOUND: 404,
  EVIDENCE_TAMPERED: 500,
  EVIDENCE_KEY_MISSING: 503,
  EVIDENCE_KEY_UNKNOWN: 500,
  EVIDENCE_HASH_MISMATCH: 422,
  EVIDENCE_STORAGE_FAILED: 502,
  PREVIEW_UNAVAILABLE: 404,
  PREVIEW_FAILED: 502,
  STORE_BUSY: 503,
  SOURCE_UNAVAILABLE: 502,
};

/** Seconds a client is told to wait (Retry-After) before retrying a request refused with STORE_BUSY. */
const storeBusyRetrySeconds = 2;

/** The body of every error response. */
export interface ErrorBody {
  error: { code: ErrorCode | "INTERNAL"; message: string; pointer?: string; details?: unknown; requestId: string };
}

/**
 * Serialises errors: our own `LapwingError`s and fastify's request errors are
 * shown to the client; anything else is logged and becomes an opaque 500 with
 * the request id, so internals never leak.
 */
export function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  const known = toLapwingError(error);
  if (known) {
    const status = httpStatusByCode[known.code];
    if (status >= 500) request.log.error({ err: error }, "request failed");
    const body: ErrorBody = {
      error: { code: known.code, message: known.message, requestId: request.id },
    };
    if (known.pointer) body.error.pointer = known.pointer;
    if (known.details !== undefined) body.error.details = known.details;
    const retryAfter = (known.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    if (typeof retryAfter === "number") void reply.header("retry-after", String(retryAfter));
    return reply.status(status).send(body);
  }
  request.log.error({ err: error }, "unexpected error");
  const body: ErrorBody = {
    error: { code: "INTERNAL", message: `Internal error; quote request id ${request.id} when reporting it.`, requestId: request.id },
  };
  return reply.status(500).send(body);
}

function toLapwingError(error: FastifyError | Error): LapwingError | undefined {
  if (error instanceof LapwingError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = inputProblems(
      error.validation.map((v) => ({
        code: v.keyword,
        path: v.instancePath.split("/").slice(1).filter((p) => p !== ""),
        message: v.message ?? "invalid",
        keys: (v.params as { keys?: string[] }).keys,
      })),
    );
    const first = issues[0];
    return new LapwingError(
      "VALIDATION_FAILED",
      `Invalid ${(error as FastifyError & { validationContext?: string }).validationContext ?? "request"}: ${first ? `${first.pointer} ${first.message}` : "see details"}.`,
      { pointer: first?.pointer, details: issues },
    );
  }
  // PostgreSQL refuses NUL in text ("invalid byte sequence", SQLSTATE 22021) even in a lookup; that is the
  // client's text, not our fault, whichever field it came in.
  if ((error as { code?: unknown }).code === "22021") {
    return new LapwingError("VALIDATION_FAILED", "The request holds a NUL character (\\u0000) in a value that is stored or looked up; remove it.");
  }
  if (isStoreBusy(error)) {
    return new LapwingError("STORE_BUSY", `The database is busy with another writer (a large import, perhaps); retry in ${storeBusyRetrySeconds} s.`, {
      cause: error,
      details: { retryAfterSeconds: storeBusyRetrySeconds },
    });
  }
  const statusCode = (error as FastifyError).statusCode;
  if (typeof statusCode === "number" && statusCode >= 400 && statusCode < 500) {
    const code: ErrorCode =
      statusCode === 413 ? "PAYLOAD_TOO_LARGE" : statusCode === 415 ? "UNSUPPORTED_CONTENT_TYPE" : statusCode === 404 ? "NOT_FOUND" : "BAD_REQUEST";
    const hint =
      code === "PAYLOAD_TOO_LARGE"
        ? " Send a smaller body or raise the limit (LAPWING_MAX_UPLOAD_BYTES for media, LAPWING_MAX_JSON_BYTES for JSON)."
        : code === "UNSUPPORTED_CONTENT_TYPE"
          ? " Send JSON as application/json and media bytes as application/octet-stream or image/*."
          : "";
    return new LapwingError(code, `${error.message}.${hint}`.replace(/\.\./g, "."));
  }
  return undefined;
}
