import type { CaseEvidence, EvidenceAccess, EvidenceItem } from "../evidence/index.js";
import type { ReportFile, ReportFiles } from "./files.js";

/** What reports need of the evidence vault (src/evidence): list a case's items, read one. */
export interface ReportVault {
  list(caseId: string, access: EvidenceAccess): Promise<EvidenceItem[]>;
  read(itemId: string, access: EvidenceAccess): Promise<{ item: EvidenceItem; bytes: Buffer }>;
  caseEvidence(caseId: string, access: EvidenceAccess): Promise<CaseEvidence>;
}

/**
 * A case's preserved content files, from the evidence vault, as a report
 * uploads them. Lapwing's worker reads them as `system` with the report as
 * its reason, so each read is audited like a person's.
 *
 * What the vault cannot say is left for NCMEC to read as unknown, never
 * guessed: `fileViewedByEsp` is false here (the report service sets it when a
 * reviewer revealed the content in the console, from the audit log), and the
 * industry classification is absent (the reviewer's confirm decision may
 * give one, which the report service applies).
 */
export function reportFilesFromVault(vault: ReportVault, options: { isVaultConfigured: boolean }): ReportFiles {
  const access = (why: string): EvidenceAccess => ({ actor: "system", mayAccess: true, reason: why });
  return {
    async list(caseId) {
      const items = await vault.list(caseId, access(`Preparing the CyberTipline report of case ${caseId}`));
      return items.filter((item) => item.kind === "content").map(toReportFile);
    },
    async pending(caseId) {
      // Without a master key the vault stores nothing: there is nothing to wait for.
      if (!options.isVaultConfigured) return null;
      const evidence = await vault.caseEvidence(caseId, access(`Checking the evidence of case ${caseId} before its CyberTipline report`));
      if (evidence.pending.length > 0) return `${evidence.pending.length} preserved file(s) are awaited from the platform (content.preserve actions).`;
      // The vault's capture job always stores the case's signals; until it has, the case's files may be missing.
      if (!evidence.items.some((item) => item.kind === "signals" || item.kind === "account")) return "The evidence vault has not gathered the case's evidence yet.";
      return null;
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
    contentId: item.contentId ?? undefined,
    fileViewedByEsp: false,
    exifViewedByEsp: false,
    publiclyAvailable: item.publishedAt !== null ? true : undefined,
    hashes: { md5: item.md5, sha256: item.sha256, pdq: item.pdq ?? undefined },
    additionalInfo: [`Preserved by Lapwing at ${item.capturedAt} (${item.source.replace(/_/g, " ")}); SHA-256 ${item.sha256}.`],
  };
}
