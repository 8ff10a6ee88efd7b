import { createHash } from "node:crypto";
import type { ArchiveVerification, ExportManifest } from "./types.js";

/**
 * The export archive: a POSIX ustar file, written and read with Node alone.
 *
 * ```
 * manifest.json      every file with its size, MD5, SHA-256 (and item metadata)
 * manifest.sha256    SHA-256 of manifest.json, as `<hex>  manifest.json\n` (sha256sum format)
 * items/001-<id>.bin the decrypted items, in manifest order
 * ```
 *
 * Anyone can check it without Lapwing: `sha256sum -c manifest.sha256`, then
 * compare each file's SHA-256 with the manifest; `lapwing evidence verify` does both.
 */
export interface TarEntry {
  path: string;
  bytes: Buffer;
}

const block = 512;

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, "0") + "\0";
}

function header(path: string, size: number, mtime: number): Buffer {
  const h = Buffer.alloc(block, 0);
  if (Buffer.byteLength(path) > 100) throw new Error(`Archive path too long: ${path}`);
  h.write(path, 0, 100, "utf8");
  h.write(octal(0o600, 8), 100, 8, "ascii");
  h.write(octal(0, 8), 108, 8, "ascii");
  h.write(octal(0, 8), 116, 8, "ascii");
  h.write(octal(size, 12), 124, 12, "ascii");
  h.write(octal(mtime, 12), 136, 12, "ascii");
  h.write("        ", 148, 8, "ascii");
  h.write("0", 156, 1, "ascii");
  h.write("ustar\0", 257, 6, "ascii");
  h.write("00", 263, 2, "ascii");
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(sum.toString(8).padStart(6, "0") + "\0 ", 148, 8, "ascii");
  return h;
}

/** A tar archive of `entries` (regular files only), ending with the two zero blocks the format asks for. */
export function writeTar(entries: readonly TarEntry[], mtime: Date): Buffer {
  const parts: Buffer[] = [];
  const seconds = Math.floor(mtime.getTime() / 1000);
  for (const entry of entries) {
    parts.push(header(entry.path, entry.bytes.length, seconds), entry.bytes);
    const pad = (block - (entry.bytes.length % block)) % block;
    if (pad > 0) parts.push(Buffer.alloc(pad, 0));
  }
  parts.push(Buffer.alloc(block * 2, 0));
  return Buffer.concat(parts);
}

/** Reads a tar archive's regular files; throws on a damaged header (bad checksum, a size past the end). */
export function readTar(archive: Buffer): TarEntry[] {
  const entries: TarEntry[] = [];
  let offset = 0;
  while (offset + block <= archive.length) {
    const h = archive.subarray(offset, offset + block);
    if (h.every((b) => b === 0)) break;
    const stored = parseInt(h.subarray(148, 156).toString("ascii").replace(/\0.*$/s, "").trim(), 8);
    let sum = 0;
    for (let i = 0; i < block; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
    if (stored !== sum) throw new Error(`The archive header at byte ${offset} is damaged (checksum ${stored}, computed ${sum}).`);
    const path = h.subarray(0, 100).toString("utf8").replace(/\0.*$/s, "");
    const size = parseInt(h.subarray(124, 136).toString("ascii").replace(/\0.*$/s, "").trim() || "0", 8);
    const type = String.fromCharCode(h[156]!);
    offset += block;
    if (offset + size > archive.length) throw new Error(`The archive ends inside ${path} (${size} bytes declared).`);
    if (type === "0" || type === "\0") entries.push({ path, bytes: Buffer.from(archive.subarray(offset, offset + size)) });
    offset += Math.ceil(size / block) * block;
  }
  return entries;
}

export const sha256Hex = (bytes: Uint8Array | string): string => createHash("sha256").update(bytes).digest("hex");

/** The archive for a manifest and its files (`files` in manifest order, paths as the manifest names them). */
export function buildExportArchive(manifest: ExportManifest, files: ReadonlyMap<string, Buffer>, at: Date): { archive: Buffer; manifestSha256: string } {
  const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2) + "\n");
  const manifestSha256 = sha256Hex(manifestBytes);
  const entries: TarEntry[] = [
    { path: "manifest.json", bytes: manifestBytes },
    { path: "manifest.sha256", bytes: Buffer.from(`${manifestSha256}  manifest.json\n`) },
    ...manifest.files.map((f) => ({ path: f.path, bytes: files.get(f.path)! })),
  ];
  return { archive: writeTar(entries, at), manifestSha256 };
}

/**
 * Checks an export: the manifest matches its own hash, every file it lists is
 * present with its size, MD5 and SHA-256, and nothing else is in the archive.
 * Every difference is named, not only the first.
 */
export function verifyArchive(archive: Buffer): ArchiveVerification {
  const problems: string[] = [];
  let entries: TarEntry[];
  try {
    entries = readTar(archive);
  } catch (error) {
    return { ok: false, caseId: null, files: 0, problems: [(error as Error).message] };
  }
  const byPath = new Map<string, Buffer>();
  for (const e of entries) {
    if (byPath.has(e.path)) problems.push(`${e.path} appears twice in the archive.`);
    byPath.set(e.path, e.bytes);
  }
  const manifestBytes = byPath.get("manifest.json");
  const hashFile = byPath.get("manifest.sha256");
  if (!manifestBytes) return { ok: false, caseId: null, files: 0, problems: [...problems, "manifest.json is missing: this is not a Lapwing evidence export, or it was truncated."] };
  if (!hashFile) problems.push("manifest.sha256 is missing.");
  else {
    const recorded = hashFile.toString("utf8").trim().split(/\s+/)[0] ?? "";
    const actual = sha256Hex(manifestBytes);
    if (recorded !== actual) problems.push(`manifest.json has SHA-256 ${actual}, but manifest.sha256 records ${recorded}: the manifest was changed.`);
  }
  let manifest: ExportManifest;
  try {
    manifest = JSON.parse(manifestBytes.toString("utf8")) as ExportManifest;
    if (manifest.format !== "lapwing-evidence-export" || !Array.isArray(manifest.files)) throw new Error("not an export manifest");
  } catch (error) {
    return { ok: false, caseId: null, files: 0, problems: [...problems, `manifest.json cannot be read: ${(error as Error).message}.`] };
  }
  const listed = new Set<string>(["manifest.json", "manifest.sha256"]);
  for (const file of manifest.files) {
    listed.add(file.path);
    const bytes = byPath.get(file.path);
    if (!bytes) {
      problems.push(`${file.path} (item ${file.itemId}) is listed in the manifest but missing from the archive.`);
      continue;
    }
    if (bytes.length !== file.byteSize) problems.push(`${file.path}: ${bytes.length} bytes, the manifest says ${file.byteSize}.`);
    const sha = sha256Hex(bytes);
    if (sha !== file.sha256) problems.push(`${file.path}: SHA-256 ${sha}, the manifest says ${file.sha256}.`);
    const md5 = createHash("md5").update(bytes).digest("hex");
    if (md5 !== file.md5) problems.push(`${file.path}: MD5 ${md5}, the manifest says ${file.md5}.`);
  }
  for (const path of byPath.keys()) if (!listed.has(path)) problems.push(`${path} is in the archive but not in the manifest.`);
  return { ok: problems.length === 0, caseId: manifest.caseId ?? null, files: manifest.files.length, problems };
}
