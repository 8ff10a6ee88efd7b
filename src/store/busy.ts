/**
 * Whether an error is the store being busy rather than the request being
 * wrong: a write that waited its whole busy timeout for SQLite's write lock
 * (SQLITE_BUSY, "database is locked"), or PostgreSQL giving up on a lock
 * (55P03) or a serialisation conflict (40001, 40P01). The caller may retry.
 * Kept here, beside the dialects, so shells need not know driver error codes.
 */
export function isStoreBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code !== "string") return false;
  return code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED") || code === "55P03" || code === "40001" || code === "40P01";
}
