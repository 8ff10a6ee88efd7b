/**
 * The evidence vault: content, account details and signals of confirmed
 * child-safety cases (and of any `preserve` decision), encrypted at rest
 * (AES-256-GCM, per-item data keys wrapped by a master key), kept on the
 * local filesystem or an S3-compatible store, retained one year from the
 * report unless a legal hold keeps it longer, read only by child-safety
 * reviewers and admins with a stated reason, every access audited, and
 * exported for law enforcement as a verifiable archive. docs/evidence.md.
 *
 * @packageDocumentation
 */
export {
  evidenceKinds,
  evidenceSources,
  type ArchiveVerification,
  type CaseEvidence,
  type EvidenceAccess,
  type EvidenceHold,
  type EvidenceItem,
  type EvidenceKind,
  type EvidenceService,
  type EvidenceSource,
  type ExportManifest,
  type PreservationRequest,
} from "./types.js";
export {
  createEvidenceService,
  evidenceQueueName,
  canonicalMetadata,
  type CaptureJob,
  type EvidenceServiceDeps,
  type EvidenceVault,
  type RetentionSettings,
  type StoreInput,
} from "./service.js";
export { createEvidenceRepository, type EvidenceRepository } from "./repository.js";
export type { EvidenceTables } from "./tables.js";
export { createLocalStorage, createS3Storage, defaultEvidenceDir, type EvidenceStorage, type S3StorageSettings } from "./storage.js";
export { keyringFrom, parseMasterKey, generateKeyHint, type Keyring, type MasterKey } from "./crypto.js";
export { buildExportArchive, readTar, verifyArchive, writeTar, type TarEntry } from "./archive.js";
export { keyringLoader, retentionFromConfig, storageFromConfig } from "./setup.js";
export { startEvidenceWorker } from "./worker.js";
