/** What an audit entry is about: `{ type: "bank", id: "01J…" }`. */
export interface AuditTarget {
  type: string;
  id: string;
}

/** One act to record. `details` holds small facts, never secrets or media bytes. */
export interface AuditRecord {
  /** Who acted: see `auditActor` (`key:<id>:<name>`, `user:<id>`, `system`, `cli`). */
  actor: string;
  /** What was done, dotted lower case: `bank.create`, `key.revoke`, `evidence.view`. */
  action: string;
  target?: AuditTarget;
  details?: Record<string, unknown>;
}

/** A recorded entry, as stored and chained. */
export interface AuditEntry {
  /** Increasing (with gaps) in chain order; the cursor for `list`. */
  position: number;
  id: string;
  /** ISO-8601 time of recording. */
  at: string;
  actor: string;
  action: string;
  target: AuditTarget | null;
  details: Record<string, unknown>;
  /** `hash` of the entry before (64 zeros for the first). */
  prevHash: string;
  /** SHA-256 (hex) over the canonical encoding of this entry and `prevHash`. */
  hash: string;
}

/** A known point on the chain, kept outside the database to detect a rewritten or truncated tail. */
export interface AuditAnchor {
  position: number;
  hash: string;
}

export interface AuditListOptions {
  /** Only entries with a position greater than this (reading forward from a cursor). */
  after?: number;
  /** Only entries with a position less than this (paging back). */
  before?: number;
  /** At most this many (default 50, at most 1000). */
  limit?: number;
  action?: string;
  actor?: string;
  /** `asc` (default): oldest first. `desc`: newest first. */
  order?: "asc" | "desc";
}

export interface AuditVerifyOptions {
  /** Called after each page with rows checked so far and the row count when verification began. */
  onProgress?: (checked: number, total: number) => void;
  /** Fail unless the chain still holds this entry with this hash. */
  anchor?: AuditAnchor;
  /** Rows read per query (default 2000). */
  pageRows?: number;
}

export interface AuditVerification {
  ok: boolean;
  /** Rows examined, the bad one included. */
  checked: number;
  /** The last entry found good: the chain's head when `ok`. Null for an empty log. */
  head: AuditAnchor | null;
  /** Where the chain first fails to hold (absent when `ok`). */
  firstBadPosition?: number;
  /** What is wrong there, in a sentence naming the position. */
  problem?: string;
}
