import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The CyberTipline schema Lapwing's documents are held to (src/reports/schema/cybertipline.xsd). */
export const cybertiplineXsd = fileURLToPath(new URL("../../src/reports/schema/cybertipline.xsd", import.meta.url));

/**
 * Validates an XML document against the CyberTipline schema with Debian's
 * xmllint (libxml2-utils). Returns the errors xmllint printed, empty when valid.
 */
export function schemaErrors(xml: string): string[] {
  const result = spawnSync("xmllint", ["--noout", "--nonet", "--schema", cybertiplineXsd, "-"], { input: xml, encoding: "utf8" });
  if (result.error) throw new Error(`xmllint could not run (apt-get install libxml2-utils): ${result.error.message}`);
  if (result.status === 0) return [];
  return result.stderr
    .split("\n")
    .filter((line) => line.trim() !== "" && !/ fails to validate$/.test(line));
}
