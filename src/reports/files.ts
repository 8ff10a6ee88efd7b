import type { FileAnnotation, IndustryClassification, IpCaptureEvent } from "./types.js";

/** One preserved file of a case, as a report needs it. */
export interface ReportFile {
  /** The evidence vault's id for the item; `read` takes it. */
  ref: string;
  /** The name the user uploaded it under, or a neutral one the vault gave it. */
  fileName: string;
  uploadedAt?: string;
  /** The platform's id of the content (what the console's reveals name), when it has one. */
  contentId?: string;
  /** Where it was on the platform. */
  locationOfFile?: string;
  /** Whether a person at the platform (a reviewer) viewed the whole file, not only a hash match. */
  fileViewedByEsp?: boolean;
  exifViewedByEsp?: boolean;
  publiclyAvailable?: boolean;
  industryClassification?: IndustryClassification;
  annotations?: FileAnnotation[];
  /** Hex digests of the file as uploaded. */
  hashes: { md5?: string; sha256?: string; pdq?: string };
  uploadIp?: IpCaptureEvent;
  additionalInfo?: string[];
}

/**
 * Where a report's files come from: the evidence vault lists a case's
 * preserved files and reads each one's bytes (decrypted, integrity checked).
 * Kept this small so the report service does not depend on how the vault
 * stores things.
 */
export interface ReportFiles {
  list(caseId: string): Promise<ReportFile[]>;
  read(ref: string): Promise<Uint8Array>;
  /**
   * Why the case's files are not all in yet (the vault is still gathering
   * them, or waits for the platform to upload one), or null when they are.
   * A report waits for them, within limits (docs/reporting.md).
   */
  pending?(caseId: string): Promise<string | null>;
}

/** No vault: reports carry no files (until the evidence vault is wired in). */
export const noReportFiles: ReportFiles = {
  list: async () => [],
  read: async (ref) => {
    throw new Error(`No evidence vault is configured to read file ${ref}.`);
  },
};
