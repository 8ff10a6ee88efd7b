import type { EvidenceAccess, EvidenceItem } from "../evidence/index.js";
import type { ReportFile, ReportFiles } from "./files.js";

/** What reports need of the evidence vault (src/evidence): list a case's items, read one. */
export interface ReportVault {
  list(caseId: string, access: EvidenceAccess): Promise<EvidenceItem[]>;
  read(itemId: string, access: EvidenceAccess): Promise<{ item: EvidenceItem; bytes: Buffer }>;
}

/**
 * A case's preserved content files, from the evidence vault, as a report
 * uploads them. Lapwing's worker reads them as `system` with the report as
 * its reason, so each read is audited like a person's.
 *
 * What the vault cannot say is left for NCMEC to read as unknown, never
 * guessed: `fileViewedByEsp` is false (Lapwing shows reviewers signals, not
 * the file itself; a platform whose staff view the file can say so in the
 * file's additional information), the industry classification is absent
 * (only members of the industry hash-sharing programme assign it).
 */
export function reportFilesFromVault(vault: ReportVault): ReportFiles {
  const access = (why: string): EvidenceAccess => ({ actor: "system", mayAccess: true, reason: why });
  return {
    async list(caseId) {
      const items = await vault.list(caseId, access(`Preparing the CyberTipline report of case ${caseId}`));
      return items.filter((item) => item.kind === "content").map(toReportFile);
    },
    async read(ref) {
      const { bytes } = await vault.read(ref, access(`Uploading evidence item ${ref} to a CyberTipline report`));
      return bytes;
    },
  };
}

function toReportFile(item: EvidenceItem): ReportFile {
  return {
    ref: item.id,
    fileName: item.fileName,
    uploadedAt: item.publishedAt ?? undefined,
    locationOfFile: item.sourceUrl ?? undefined,
    fileViewedByEsp: false,
    exifViewedByEsp: false,
    publiclyAvailable: item.publishedAt !== null ? true : undefined,
    hashes: { md5: item.md5, sha256: item.sha256, pdq: item.pdq ?? undefined },
    additionalInfo: [`Preserved by Lapwing at ${item.capturedAt} (${item.source.replace(/_/g, " ")}); SHA-256 ${item.sha256}.`],
  };
}
