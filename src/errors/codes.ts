/**
 * Every stable error code Lapwing can return, with the sentence a reader of
 * `docs/errors.md` sees. One registry so that the HTTP status map in
 * `src/server/errors.ts` (a `Record` over these keys) fails to compile when a
 * code is added without a status.
 */
export const errorCodes = {
  VALIDATION_FAILED: "The request or input did not match the expected shape; the details point at the bad field.",
  UNAUTHENTICATED: "No valid API key or session was presented.",
  FORBIDDEN: "The key or user is valid but lacks the scope or role this action needs.",
  NOT_FOUND: "The requested resource does not exist.",
  CONFLICT: "The resource already exists or changed underneath the request.",
  BAD_REQUEST: "The request could not be read (malformed JSON, a missing body, or a wrong Content-Type).",
  UNSUPPORTED_CONTENT_TYPE: "The Content-Type is not accepted here; the message lists the types that are.",
  PAYLOAD_TOO_LARGE: "The body or upload is over the configured size limit.",
  CONFIG_INVALID: "The configuration (environment variables or config file) is invalid.",
  MEDIA_EMPTY: "The uploaded media has zero bytes.",
  MEDIA_UNSUPPORTED_FORMAT: "The bytes are not an image format Lapwing can decode.",
  MEDIA_DECODE_FAILED: "The image is truncated or corrupt and could not be decoded, or decoding it overran its memory or time budget (LAPWING_MEDIA_THREAD_MEMORY_MB, LAPWING_MEDIA_TIMEOUT_MS).",
  MEDIA_TOO_MANY_PIXELS: "The image's declared dimensions exceed the configured pixel limit (a possible decompression bomb).",
  MEDIA_BUSY: "Every media hashing thread is busy and the queue is full; retry after the seconds in the Retry-After header (raise LAPWING_MEDIA_QUEUE or add cores for more).",
  HASH_MALFORMED: "A hash string is not valid for its signal type (PDQ: 64 hex digits; MD5: 32; SHA-256: 64).",
  BANK_NOT_FOUND: "No hash bank has that id or name.",
  BANK_NAME_TAKEN: "Another hash bank already uses that name.",
  BANK_ENTRY_NOT_FOUND: "No entry with that id exists in the bank.",
  LEXICON_NOT_FOUND: "No lexicon has that name.",
  IMPORT_MALFORMED: "An import file has a malformed row; the message names the line.",
  LEXICON_INVALID: "A text lexicon is empty or malformed; the pointer names the bad entry or field (for example /entries/3/severity).",
  TEXT_TOO_LONG: "The text is longer than the longest text checked whole (100,000 UTF-16 code units for the text check); split it and check each part.",
  LEXICON_TOO_BROAD: "A lexicon term would match ordinary text (a single letter, punctuation only, or hits on the benign sample); the details list each term with its sample hits. Fix the terms or store it with force.",
  RECS_SOURCE_FAILED: "A platform's suggestion endpoint or a recommender guard (used by the recommender audit) could not be reached, timed out, or answered in an unexpected shape; the message names the URL and what to check.",
  POLICY_INVALID: "A policy set is malformed; the pointer names the bad field (for example /policies/2/when/all/0/where/0/field). See docs/policies.md.",
  POLICY_VERSION_NOT_FOUND: "No stored policy-set version has that number; list them with GET /v1/policies/versions.",
  LOGIN_FAILED: "The username or password is wrong (the same answer for an unknown user, a wrong password and a disabled user).",
  CSRF_FAILED: "A request that changes something with a console session lacks the session's CSRF token in the x-csrf-token header (from POST or GET /v1/session).",
  RATE_LIMITED: "Too many attempts (failed logins for this address and username); wait for the time in the Retry-After header.",
  CASE_NOT_FOUND: "No case has that id, or it is a child-safety case your role may not see (only child_safety_reviewer sees those).",
  CASE_CLAIMED: "Another reviewer holds the case; the message says who and until when. Pick another case, or wait for the claim to expire.",
  CASE_NOT_CLAIMED: "Deciding or releasing a case needs your own unexpired claim on it: claim it first (POST /v1/cases/{id}/claim).",
  CASE_DECIDED: "The case is already decided; new signals about the account open a new case.",
  REPORT_NOT_FOUND: "No CyberTipline report has that id (list them with GET /v1/reports or `lapwing reports list`).",
  REPORT_NOT_RETRYABLE: "The CyberTipline report is finished (filed with NCMEC); there is nothing to retry.",
  EVIDENCE_NOT_FOUND: "No evidence item, legal hold or preservation request has that id (an item may have been purged after its retention ended and no hold kept it).",
  EVIDENCE_TAMPERED: "A preserved item failed its integrity check (its stored bytes, its metadata or its wrapped key changed, or its object is missing); nothing was returned. Treat it as an incident: see docs/evidence.md.",
  EVIDENCE_KEY_MISSING: "Evidence work needs a master key: set LAPWING_EVIDENCE_MASTER_KEY to 32 random bytes in base64 (`openssl rand -base64 32`) and keep a copy offline.",
  EVIDENCE_KEY_UNKNOWN: "An item's data key is wrapped with a master key id that is not configured: add that key to LAPWING_EVIDENCE_PREVIOUS_KEYS (id:base64), then run `lapwing evidence rotate-key`.",
  EVIDENCE_HASH_MISMATCH: "The uploaded content's SHA-256 differs from the content Lapwing saw: upload the original, unmodified file.",
  EVIDENCE_STORAGE_FAILED: "The evidence store (a local directory or an S3 bucket) could not be written or read; the message names it. Check LAPWING_EVIDENCE_DIR or the LAPWING_EVIDENCE_S3_* settings.",
  PREVIEW_UNAVAILABLE:
    "No preview of this content can be shown: no preview source is configured (set LAPWING_MEDIA_PREVIEW_URL to a URL template the platform serves, e.g. https://platform.example/media/{contentId}), the platform has none for it (it answered 404), or the content is not part of the case named.",
  PREVIEW_FAILED:
    "The platform's preview source could not be reached, was too slow or too large, or answered with an error or a type that is not an image or video; the message says which. Nothing was stored.",
  STORE_BUSY: "The database is busy with another writer (for example a large bank import on SQLite) for longer than the busy timeout; retry after the time in the Retry-After header.",
  SOURCE_UNAVAILABLE: "A streaming event source (NATS JetStream) could not be reached, or its stream is missing, or its durable consumer exists with other settings; the message names the server, stream or consumer to check.",
} as const;

export type ErrorCode = keyof typeof errorCodes;
