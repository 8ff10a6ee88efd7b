import { LapwingError } from "../errors/index.js";
import type { Signal, SignalKind } from "./signals.js";

/** The type of a signal field as policies compare it. */
export type FieldType = "number" | "text" | "boolean";

const common = { strength: "number" } as const;

/**
 * The one registry of signal kinds and the fields a policy may test on each.
 * Validation of policy files and of incoming signals both read it, so a field
 * cannot be testable in one and unknown in the other.
 */
export const signalFields = {
  "hash-match": { ...common, bank: "text", category: "text", signalType: "text", distance: "number", matchVerdict: "text" },
  "lexicon-hit": { ...common, term: "text", category: "text", severity: "text", lexicon: "text", surface: "text" },
  "advert-score": { ...common, score: "number", level: "text" },
  "network-score": { ...common, score: "number", cluster: "text" },
  "network.targeted": { ...common, account: "text" },
  "ban-evasion-link": { ...common, linkedAccount: "text", score: "number" },
  "user-report": { ...common, reportReason: "text" },
  "age-band": { ...common, isMinor: "boolean", basis: "text", band: "text" },
} as const satisfies Record<SignalKind, Record<string, FieldType>>;

export const signalKinds = Object.keys(signalFields) as SignalKind[];

// Fields a signal may omit; every other registered field is required.
const optionalFields = new Set(["strength"]);
const maxSignals = 1000;
const maxTextChars = 2000;

/** The type of `field` on signals of `kind`, or undefined when it has none. */
export function fieldType(kind: SignalKind, field: string): FieldType | undefined {
  return Object.hasOwn(signalFields[kind], field) ? (signalFields[kind] as Record<string, FieldType>)[field] : undefined;
}

/**
 * Checks a list of signals from outside (an API body, a test file) and returns
 * it typed. Throws `VALIDATION_FAILED` with a JSON pointer (`/signals/3/distance`)
 * at the first problem; unknown fields are refused.
 *
 * @example
 * parseSignals([{ type: "advert-score", score: 0.93, level: "high", reason: "Reads as a menu", evidence: { ids: ["post:1"] } }]);
 */
export function parseSignals(value: unknown, pointer = "/signals"): Signal[] {
  if (!Array.isArray(value)) throw invalid("Signals must be a JSON array.", pointer);
  if (value.length > maxSignals) throw invalid(`At most ${maxSignals} signals are evaluated at once; got ${value.length}.`, pointer);
  return value.map((item, i) => parseSignal(item, `${pointer}/${i}`));
}

function parseSignal(value: unknown, at: string): Signal {
  if (!isRecord(value)) throw invalid("A signal must be an object with a \"type\".", at);
  const kind = value.type;
  if (typeof kind !== "string" || !(signalKinds as string[]).includes(kind)) {
    throw invalid(`Signal type ${JSON.stringify(kind)} is not one of ${signalKinds.join(", ")}.`, `${at}/type`);
  }
  const fields = signalFields[kind as SignalKind] as Record<string, FieldType>;
  for (const key of Object.keys(value)) {
    if (key !== "type" && key !== "reason" && key !== "evidence" && !Object.hasOwn(fields, key)) {
      throw invalid(`A ${kind} signal has no field "${key}"; its fields are ${["reason", "evidence", ...Object.keys(fields)].join(", ")}.`, `${at}/${escapePointer(key)}`);
    }
  }
  for (const [field, type] of Object.entries(fields)) {
    const v = value[field];
    if (v === undefined && optionalFields.has(field)) continue;
    checkValue(v, type, `${at}/${field}`, `${kind} field "${field}"`);
    if (field === "strength" || ((kind === "advert-score" || kind === "network-score" || kind === "ban-evasion-link") && field === "score")) {
      if ((v as number) < 0 || (v as number) > 1) throw invalid(`${kind} field "${field}" is a number from 0 to 1; got ${v}.`, `${at}/${field}`);
    }
    if (field === "distance" && (!Number.isInteger(v) || (v as number) < 0)) throw invalid(`hash-match field "distance" is a whole number ≥ 0; got ${v}.`, `${at}/${field}`);
  }
  checkValue(value.reason, "text", `${at}/reason`, "A signal's \"reason\"");
  return { ...(value as object), evidence: parseEvidence(value.evidence, `${at}/evidence`) } as unknown as Signal;
}

function parseEvidence(value: unknown, at: string) {
  if (!isRecord(value)) throw invalid("A signal's \"evidence\" is an object: {ids: [...], spans?: [{start, end, text?}]}.", at);
  for (const key of Object.keys(value)) if (key !== "ids" && key !== "spans") throw invalid(`Evidence has no field "${key}"; it has ids and spans.`, `${at}/${escapePointer(key)}`);
  if (!Array.isArray(value.ids) || value.ids.some((id) => typeof id !== "string" || id.length === 0 || id.length > 200)) {
    throw invalid("Evidence \"ids\" is an array of non-empty strings (at most 200 characters each).", `${at}/ids`);
  }
  if (value.spans === undefined) return { ids: value.ids as string[] };
  if (!Array.isArray(value.spans)) throw invalid("Evidence \"spans\" is an array of {start, end, text?}.", `${at}/spans`);
  const spans = value.spans.map((span: unknown, i: number) => {
    const p = `${at}/spans/${i}`;
    if (!isRecord(span)) throw invalid("A span is {start, end, text?}.", p);
    for (const key of Object.keys(span)) if (!["start", "end", "text"].includes(key)) throw invalid(`A span has no field "${key}".`, `${p}/${escapePointer(key)}`);
    if (!Number.isInteger(span.start) || (span.start as number) < 0) throw invalid("A span's start is a whole number ≥ 0.", `${p}/start`);
    if (!Number.isInteger(span.end) || (span.end as number) < (span.start as number)) throw invalid("A span's end is a whole number ≥ its start.", `${p}/end`);
    if (span.text !== undefined) checkValue(span.text, "text", `${p}/text`, "A span's text");
    return span as { start: number; end: number; text?: string };
  });
  return { ids: value.ids as string[], spans };
}

function checkValue(v: unknown, type: FieldType, at: string, what: string): void {
  const ok =
    type === "number" ? typeof v === "number" && Number.isFinite(v) : type === "boolean" ? typeof v === "boolean" : typeof v === "string" && v.length <= maxTextChars;
  if (!ok) throw invalid(`${what} must be ${type === "text" ? `text (at most ${maxTextChars} characters)` : `a ${type}`}; got ${JSON.stringify(v) ?? "nothing"}.`, at);
}

function invalid(message: string, pointer: string): LapwingError {
  return new LapwingError("VALIDATION_FAILED", message, { pointer });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function escapePointer(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}
