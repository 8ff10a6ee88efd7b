import { LapwingError } from "../errors/index.js";
import type { AuditRecord } from "./types.js";

const maxFieldChars = 200;
// Dotted lower-case words: `bank.create`, `evidence.view`, `login`.
const actionPattern = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;
// Control characters cannot be stored in PostgreSQL text (NUL) or shown safely;
// lone surrogates would not survive UTF-8 storage, and the hash would then fail.
const unsafeChars = /[\p{Cc}\p{Cs}]/u;

/** Checks the plain-text fields of a record; `details` is checked by `canonicalDetails`. */
export function validateRecord(record: AuditRecord, pointer = ""): void {
  text(record.actor, `${pointer}/actor`);
  text(record.action, `${pointer}/action`);
  if (!actionPattern.test(record.action)) {
    throw new LapwingError("VALIDATION_FAILED", `Audit action "${record.action}" must be dotted lower-case words, like "bank.create".`, { pointer: `${pointer}/action` });
  }
  if (record.target !== undefined) {
    text(record.target.type, `${pointer}/target/type`);
    text(record.target.id, `${pointer}/target/id`);
  }
}

function text(value: unknown, pointer: string): void {
  if (typeof value !== "string" || value.length === 0 || value.length > maxFieldChars || unsafeChars.test(value)) {
    throw new LapwingError("VALIDATION_FAILED", `Audit entry ${pointer} must be 1–${maxFieldChars} characters of text without control characters.`, { pointer });
  }
}
