// An evidence vault for report tests: two synthetic files for every case
// (neutral stand-in bytes, never real material), listed with the details a
// report needs. It stands in for the real vault behind src/reports' ReportFiles.
import { createHash } from "node:crypto";
import type { ReportFile, ReportFiles } from "../../src/reports/index.js";

export const standInFileBytes = new Map([
  ["item-1", Buffer.from("synthetic stand-in file one")],
  ["item-2", Buffer.from("synthetic stand-in file two")],
]);

export function standInVault(): ReportFiles & { reads: string[] } {
  const reads: string[] = [];
  const meta = (ref: string, i: number): ReportFile => {
    const bytes = standInFileBytes.get(ref)!;
    return {
      ref,
      fileName: `upload-${i}.jpg`,
      uploadedAt: "2026-02-01T10:00:00Z",
      locationOfFile: `https://media.social.example/${ref}.jpg`,
      contentId: `media-${i}`,
      // As the real vault lists them: the report service sets these from the console's reveals and the decision.
      fileViewedByEsp: false,
      exifViewedByEsp: false,
      publiclyAvailable: true,
      annotations: i === 2 ? ["possibleSelfProduction"] : [],
      hashes: { md5: createHash("md5").update(bytes).digest("hex"), sha256: createHash("sha256").update(bytes).digest("hex"), pdq: "a".repeat(64) },
      uploadIp: { ipAddress: "192.0.2.44", eventName: "Upload", dateTime: "2026-02-01T10:00:00Z" },
    };
  };
  return {
    reads,
    list: async () => [meta("item-1", 1), meta("item-2", 2)],
    read: async (ref) => {
      reads.push(ref);
      const bytes = standInFileBytes.get(ref);
      if (!bytes) throw new Error(`no stand-in file ${ref}`);
      return bytes;
    },
  };
}
