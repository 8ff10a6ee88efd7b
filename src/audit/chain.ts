import { createHash } from "node:crypto";
import { LapwingError } from "../errors/index.js";

/** `prev_hash` of the first entry. */
export const genesisHash = "0".repeat(64);

/** Longest canonical `details` accepted: the log records facts about acts, not payloads. */
export const maxDetailsChars = 16_384;
const maxDetailsDepth = 16;

// Names that only ever hold secrets. A guard against passing a whole request or
// key object by mistake, not a complete filter: callers choose what to record.
const secretKey = /(secret|password|passphrase|token|apikey|api_key|authorization|cookie)$/i;

/** The fields an entry's hash covers, as stored. */
export interface ChainFields {
  position: number;
  at: string;
  actor: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  /** The canonical JSON from `canonicalDetails`, exactly as stored. */
  details: string;
  prevHash: string;
}

/**
 * SHA-256 (lower-case hex) of an entry. The input is the UTF-8 of
 * `JSON.stringify(["lapwing-audit-1", position, at, actor, action, targetType, targetId, details, prevHash])`:
 * a JSON array, so field boundaries cannot be forged by the values, and
 * `details` enters as its stored string, so verification never re-serialises.
 * Anyone can recompute it with any JSON library and SHA-256.
 */
export function entryHash(f: ChainFields): string {
  const encoded = JSON.stringify(["lapwing-audit-1", f.position, f.at, f.actor, f.action, f.targetType, f.targetId, f.details, f.prevHash]);
  return createHash("sha256").update(encoded, "utf8").digest("hex");
}

/**
 * Canonical JSON of a details object: keys sorted (by UTF-16 code unit),
 * no whitespace, `undefined` properties dropped, dates as ISO strings. Refuses
 * what has no stable JSON form (non-finite numbers, bigint, class instances),
 * binary data (media bytes belong in evidence, not the log; record a digest),
 * keys named like secrets, and anything over `maxDetailsChars`.
 */
export function canonicalDetails(details: Record<string, unknown> | undefined, pointer = "/details"): string {
  if (details === undefined) return "{}";
  if (!isPlainObject(details)) invalid(pointer, "must be a plain JSON object");
  const text = canonical(details, pointer, 0);
  if (text.length > maxDetailsChars) {
    invalid(pointer, `is ${text.length} characters of JSON; at most ${maxDetailsChars}: record identifiers and digests, not contents`);
  }
  return text;
}

function canonical(value: unknown, pointer: string, depth: number): string {
  if (depth > maxDetailsDepth) invalid(pointer, `nests deeper than ${maxDetailsDepth} levels`);
  if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) invalid(pointer, "is not a finite number");
    return JSON.stringify(value);
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) invalid(pointer, "is an invalid date");
    return JSON.stringify(value.toISOString());
  }
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    invalid(pointer, "is binary data; never put media bytes in the audit log (record a SHA-256 instead)");
  }
  if (Array.isArray(value)) {
    return `[${value.map((item, i) => {
      if (item === undefined) invalid(`${pointer}/${i}`, "is undefined");
      return canonical(item, `${pointer}/${i}`, depth + 1);
    }).join(",")}]`;
  }
  if (isPlainObject(value)) {
    const parts: string[] = [];
    for (const key of Object.keys(value).sort()) {
      const item = value[key];
      if (item === undefined) continue;
      const at = `${pointer}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
      if (secretKey.test(key)) invalid(at, "looks like a secret; never put secrets in the audit log");
      parts.push(`${JSON.stringify(key)}:${canonical(item, at, depth + 1)}`);
    }
    return `{${parts.join(",")}}`;
  }
  return invalid(pointer, `is a ${typeof value === "object" ? value.constructor?.name ?? "object" : typeof value}, which has no stable JSON form`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function invalid(pointer: string, problem: string): never {
  throw new LapwingError("VALIDATION_FAILED", `Audit entry ${pointer} ${problem}.`, { pointer });
}
