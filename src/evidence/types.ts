/**
 * The evidence vault's public types: what a preserved item is, who may read
 * it, and the holds that keep it past its retention date. docs/evidence.md.
 */

/** How the vault got an item's bytes. */
export const evidenceSources = [
  /** The event carried the file inline (`bytes`) and a `preserve` decision kept it. */
  "event_bytes",
  /** Fetched from the content's URL through the SSRF-guarded media fetcher. */
  "url_fetch",
  /** The platform uploaded it in answer to a `content.preserve` action. */
  "platform_upload",
  /** Written by Lapwing itself: the account's details or the case's signals, as JSON. */
  "lapwing",
] as const;
export type EvidenceSource = (typeof evidenceSources)[number];

/**
 * What an item is: a content file (media), the account's details as the
 * platform sent them (JSON), or the case's signals and decisions (JSON).
 */
export const evidenceKinds = ["content", "account", "signals"] as const;
export type EvidenceKind = (typeof evidenceKinds)[number];

/** One preserved item, as listed (no bytes). Hex digests are lower case. */
export interface EvidenceItem {
  id: string;
  caseId: string;
  /** The platform's account id (stored as its scoped key, src/events/tenancy.ts). */
  accountId: string;
  /** The account's platform; absent for the default platform. */
  platformId?: string;
  kind: EvidenceKind;
  /** The platform's id of the content (media id, else post or comment id); null for account and signals items. */
  contentId: string | null;
  /** What the content belonged to (`media`, `post`, `comment`, `account`). */
  targetType: string | null;
  /** The original file name when the platform gave one, else one made from the content id and type (`media-123.jpg`, `account.json`). */
  fileName: string;
  /** The MIME type sniffed from the bytes (or `application/json`); `application/octet-stream` when unknown. */
  mimeType: string;
  /** Size of the plaintext in bytes. */
  byteSize: number;
  md5: string;
  sha256: string;
  /** PDQ hash (64 hex) when the file is an image that decoded; else null. */
  pdq: string | null;
  pdqQuality: number | null;
  /** When the vault stored it (ISO-8601). */
  capturedAt: string;
  source: EvidenceSource;
  /** Where it was fetched from (`url_fetch`), else null. */
  sourceUrl: string | null;
  /** The event it came from, when it came from one. */
  eventId: string | null;
  /** Why it was preserved: `case.confirm`, `policy.preserve`, or `safeguard`. */
  trigger: string;
  /** When it was first public on the platform, if the platform said (`post.created` time); null if unknown. */
  publishedAt: string | null;
  /** Deletable after this (ISO-8601), unless held; null until the case is reported or dismissed — unreported evidence is kept. */
  retainUntil: string | null;
  /** Whether an active legal hold keeps it. */
  held: boolean;
  /** Id of the master key its data key is wrapped with. */
  keyId: string;
}

/**
 * Who reads evidence, and why. Every list, show, read and export is audited
 * with `actor` and `reason`. `mayAccess` is true only for child-safety
 * reviewers, admins and Lapwing's own workers (the report outbox).
 */
export interface EvidenceAccess {
  /** Audit actor: `user:<id>`, `key:<id>:<name>`, `system` or `cli`. */
  actor: string;
  mayAccess: boolean;
  /** Why, in a sentence (1–500 characters): "Filing CyberTipline report 01J…", "Law-enforcement request #123". */
  reason: string;
}

/** A legal hold on a case's evidence: while active, nothing of the case is purged. */
export interface EvidenceHold {
  id: string;
  caseId: string;
  /** Court order, preservation request, investigation: who asked and why. */
  reason: string;
  setBy: string;
  setAt: string;
  /** The hold lapses after this (ISO-8601); null holds until released. */
  until: string | null;
  releasedAt: string | null;
  releasedBy: string | null;
  releaseReason: string | null;
  /** Every change: `set`, `extend`, `release`, with who, when and why. */
  history: Array<{ at: string; actor: string; change: "set" | "extend" | "release"; reason: string; until: string | null }>;
}

/** A request to the platform to upload content the vault could not get otherwise (`content.preserve`). */
export interface PreservationRequest {
  id: string;
  caseId: string;
  accountId: string;
  /** The account's platform; absent for the default platform. */
  platformId?: string;
  target: { type: string; id: string };
  /** The SHA-256 the upload must have, when known from the event; null accepts any bytes. */
  expectedSha256: string | null;
  state: "pending" | "received" | "cancelled";
  requestedAt: string;
  receivedAt: string | null;
  /** The item the upload became. */
  itemId: string | null;
}

/** A case's evidence at a glance (for the case page and the report). */
export interface CaseEvidence {
  caseId: string;
  items: EvidenceItem[];
  holds: EvidenceHold[];
  pending: PreservationRequest[];
}

/** The archive manifest (`manifest.json` in an export); `manifest.sha256` holds its own hash. */
export interface ExportManifest {
  format: "lapwing-evidence-export";
  version: 1;
  caseId: string;
  exportedAt: string;
  exportedBy: string;
  reason: string;
  files: Array<{ path: string; itemId: string; kind: EvidenceKind; fileName: string; byteSize: number; md5: string; sha256: string; pdq: string | null; capturedAt: string; source: EvidenceSource; contentId: string | null }>;
}

/** What `verifyArchive` found: every difference, named. */
export interface ArchiveVerification {
  ok: boolean;
  caseId: string | null;
  files: number;
  problems: string[];
}

/**
 * The vault. Reads (`list`, `get`, `read`, `exportCase`) need an
 * {@link EvidenceAccess} that may access, and are audited with its reason;
 * anyone else gets `FORBIDDEN`. `read` checks the item's integrity hash and
 * refuses a changed item with `EVIDENCE_TAMPERED`.
 *
 * @example
 * const access = { actor: "system", mayAccess: true, reason: `CyberTipline report ${reportId}` };
 * for (const item of await evidence.list(caseId, access)) {
 *   if (item.kind !== "content") continue;
 *   const { bytes } = await evidence.read(item.id, access);
 *   await upload(item.fileName, bytes, item.md5);
 * }
 * await evidence.noteReported(caseId, { reportedAt: new Date().toISOString(), actor: "system" });
 */
export interface EvidenceService {
  /** A case's preserved items, oldest first (audited `evidence.list`). An unknown case lists none. */
  list(caseId: string, access: EvidenceAccess): Promise<EvidenceItem[]>;
  /** Items, holds and pending preservation requests of a case (audited `evidence.list`). */
  caseEvidence(caseId: string, access: EvidenceAccess): Promise<CaseEvidence>;
  /** One item's metadata (audited `evidence.view`); `EVIDENCE_NOT_FOUND` when unknown. */
  get(itemId: string, access: EvidenceAccess): Promise<EvidenceItem>;
  /** One item's decrypted bytes, integrity checked (audited `evidence.read`). */
  read(itemId: string, access: EvidenceAccess): Promise<{ item: EvidenceItem; bytes: Buffer }>;
  /**
   * Retention starts: the case was reported (call once NCMEC accepted the
   * report). Items become deletable `retentionDays` (per jurisdiction) after
   * `reportedAt`, unless held.
   */
  noteReported(caseId: string, input: { reportedAt: string; actor: string; jurisdiction?: string }): Promise<void>;
}
