// What the admin screens read and send. Calls go through the console's one
// client (`call`, endpoints in ../api/endpoints.ts, checked against
// /openapi.json by test/http/console-api.test.ts); only the CSV upload, which
// needs upload progress, uses XMLHttpRequest.
import { ApiError } from "../api/http";

export interface Bank {
  id: string;
  name: string;
  matchVerdict: string;
  pdqThreshold: number;
  enabled: boolean;
  entryCount: number;
}
export interface BankEntry {
  id: string;
  signalType: string;
  signal: string;
  category: string;
  note: string;
  source: string;
  addedAt: string;
}
export interface LexiconInfo {
  name: string;
  surfaces: string[];
  entryCount: number;
  updatedAt: string | null;
  builtIn: boolean;
}
export interface LexiconEntry {
  term: string;
  category: string;
  severity: "block" | "review";
  source?: string;
  note?: string;
}
export interface TextHitView {
  term: string;
  category: string;
  severity: string;
  lexicon?: string;
  start: number;
  end: number;
  matched: string;
  how: string;
}
export interface TryOutReport {
  texts: number;
  newlyMatched: number;
  noLongerMatched: number;
  changes: Array<{ text: string; source: "sample" | "given"; before: string[]; after: string[] }>;
  breadth: { sampleTexts: number; isTooBroad: boolean; terms: Array<{ term: string; sampleHits: number; problems: string[] }> };
}
export interface PolicyProblem {
  message: string;
  pointer: string;
  line: number;
  column: number;
  offset: number;
}
export interface PolicyHits {
  policyId: string;
  mode: "enforce" | "shadow";
  hits: number;
  decisions: Record<string, number>;
}
export interface ApiKey {
  id: string;
  name: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt?: string | null;
  revokedAt?: string | null;
}
export interface ConsoleUser {
  id: string;
  username: string;
  role: string;
  createdAt: string;
  disabledAt: string | null;
}
export interface DeadJob {
  id: string;
  queue: string;
  key: string;
  payload: unknown;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  finishedAt: string | null;
}
export interface AuditEntryView {
  position: number;
  at: string;
  actor: string;
  action: string;
  target: { type: string; id: string } | null;
  details: Record<string, unknown>;
  redacted?: true;
}

/**
 * Uploads a CSV bank file to POST /v1/banks/import, reporting the upload's
 * progress (0..1), then resolving with the import's summary once the server
 * has published every row (the import is atomic: all rows or none).
 */
export function uploadBankFile(
  file: Blob,
  options: { csrfToken: string; format: "lapwing" | "threatexchange"; bank?: string; onProgress(sent: number): void },
): Promise<{ rowsRead: number; added: number; duplicates: number; skipped: number; banksCreated: string[] }> {
  return new Promise((resolve, reject) => {
    const query = new URLSearchParams({ format: options.format });
    if (options.bank) query.set("bank", options.bank);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/v1/banks/import?${query}`);
    xhr.setRequestHeader("content-type", "text/csv");
    xhr.setRequestHeader("x-csrf-token", options.csrfToken);
    xhr.upload.onprogress = (event) => event.lengthComputable && options.onProgress(event.loaded / event.total);
    xhr.onerror = () => reject(new ApiError(0, "NETWORK", "The upload failed: the server could not be reached."));
    xhr.onload = () => {
      let json: { error?: { code?: string; message?: string } } | null = null;
      try {
        json = JSON.parse(xhr.responseText);
      } catch {
        // Not JSON (a proxy's page): the status says enough.
      }
      if (xhr.status === 200) return resolve(json as never);
      reject(new ApiError(xhr.status, json?.error?.code ?? `HTTP_${xhr.status}`, json?.error?.message ?? `The server answered ${xhr.status}.`));
    };
    xhr.send(file);
  });
}

/** "the message (CODE)" for an error from the API, plain text otherwise. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return `${error.message} (${error.code})`;
  return error instanceof Error ? error.message : String(error);
}
