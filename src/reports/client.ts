import type { XMLParser } from "fast-xml-parser";

/** NCMEC's test environment: the default, so nothing reaches production by accident. */
export const ncmecTestUrl = "https://exttest.cybertip.org/ispws";
/** NCMEC's production environment: used only with LAPWING_NCMEC_ENVIRONMENT=production and this URL set explicitly. */
export const ncmecProductionUrl = "https://report.cybertip.org/ispws";

/**
 * How a failed call should be treated:
 * - `retryable`: try the same step again later (server errors, timeouts, lost connections);
 * - `permanent`: retrying the same request cannot help (the document was refused, the credentials are not
 *   authorised); a person must act;
 * - `restart`: NCMEC no longer has the open report (it expired, or lost a file): open a new one from scratch;
 * - `already_finished` / `already_retracted`: the report is past that point already.
 */
export type NcmecFailureKind = "retryable" | "permanent" | "restart" | "already_finished" | "already_retracted";

/** NCMEC's documented response codes (technical documentation, "Report response"), with what each means for a retry. */
export const ncmecResponseCodes: Record<number, { meaning: string; kind: NcmecFailureKind; hint: string }> = {
  1000: { meaning: "Server error", kind: "retryable", hint: "NCMEC had a server error; Lapwing retries with backoff." },
  1100: { meaning: "Save failed", kind: "retryable", hint: "NCMEC could not save; Lapwing retries with backoff." },
  1110: { meaning: "Upload failed", kind: "retryable", hint: "NCMEC could not take the upload; Lapwing retries with backoff." },
  1111: { meaning: "File upload failed", kind: "retryable", hint: "NCMEC could not take the file; Lapwing retries with backoff." },
  1210: { meaning: "Resource not found", kind: "permanent", hint: "Check LAPWING_NCMEC_URL: it should end in /ispws." },
  1300: { meaning: "Update failed", kind: "retryable", hint: "NCMEC could not update the report; Lapwing retries with backoff." },
  2000: { meaning: "Authentication required", kind: "permanent", hint: "Set LAPWING_NCMEC_USERNAME and LAPWING_NCMEC_PASSWORD to the credentials NCMEC issued for this environment, then retry the report." },
  3000: { meaning: "Not authorised", kind: "permanent", hint: "These NCMEC credentials may not do this; ask NCMEC (espteam@ncmec.org) to check the account, then retry the report." },
  3100: { meaning: "Not authorised to make submissions", kind: "permanent", hint: "These NCMEC credentials may not submit reports; ask NCMEC to enable submissions, then retry the report." },
  3300: { meaning: "Not authorised to make updates", kind: "permanent", hint: "These NCMEC credentials may not update reports; ask NCMEC to enable updates, then retry the report." },
  4000: { meaning: "Invalid request", kind: "permanent", hint: "NCMEC refused the request as invalid; see the description, fix the data (or report a Lapwing bug) and retry." },
  4100: { meaning: "Validation failed", kind: "permanent", hint: "NCMEC's schema refused the document; compare `lapwing reports xml ID` with the schema (GET /xsd), fix the data or report a Lapwing bug, then retry." },
  4110: { meaning: "Malformed XML", kind: "permanent", hint: "NCMEC could not parse the XML; report a Lapwing bug with `lapwing reports xml ID`, then retry." },
  4200: { meaning: "Malformed file submittal", kind: "permanent", hint: "NCMEC refused the file upload; check the preserved file in the evidence vault, then retry." },
  5001: { meaning: "Report does not exist", kind: "restart", hint: "NCMEC deleted the unfinished report (it expired); Lapwing opens a new one." },
  5002: { meaning: "File does not exist", kind: "restart", hint: "NCMEC does not have the file; Lapwing opens a new report and uploads every file again." },
  5101: { meaning: "Report already retracted", kind: "already_retracted", hint: "The report was retracted; retry to file a new one." },
  5102: { meaning: "Report already finished", kind: "already_finished", hint: "NCMEC holds the report as finished: it is filed." },
};

/** A failed NCMEC call. Its message never holds the credentials. */
export class NcmecError extends Error {
  readonly kind: NcmecFailureKind;
  readonly operation: string;
  readonly httpStatus: number | null;
  readonly responseCode: number | null;
  readonly hint: string;
  constructor(input: { operation: string; kind: NcmecFailureKind; message: string; httpStatus?: number | null; responseCode?: number | null; hint: string }) {
    super(input.message);
    this.name = "NcmecError";
    this.kind = input.kind;
    this.operation = input.operation;
    this.httpStatus = input.httpStatus ?? null;
    this.responseCode = input.responseCode ?? null;
    this.hint = input.hint;
  }
}

export interface NcmecClientOptions {
  /** Base URL ending in /ispws (the test environment unless configured otherwise). */
  baseUrl: string;
  username: string;
  password: string;
  /** Time for one call, connection to last byte. */
  timeoutMs: number;
}

export interface NcmecResponse {
  responseCode: number;
  description: string;
  reportId: string | null;
  fileId: string | null;
  /** MD5 NCMEC computed of an uploaded file. */
  hash: string | null;
  /** The file ids of a finished report. */
  fileIds: string[];
}

let parser: XMLParser | undefined;
/** Loaded on the first answer to read, not when `serve` starts: most servers never file a report. */
async function responseParser(): Promise<XMLParser> {
  const { XMLParser } = await import("fast-xml-parser");
  return (parser ??= new XMLParser({ parseTagValue: false, isArray: (name) => name === "fileId" }));
}

/**
 * The CyberTipline Reporting API client: `submit` opens a report, `upload`
 * adds a file, `fileInfo` sends a file's details, `finish` files the report
 * (irreversible), `retract` cancels an unfinished one, `status` checks the
 * credentials. Each call uses HTTP Basic authentication and a timeout, and
 * throws {@link NcmecError} classified for the outbox (retryable, permanent,
 * restart, already finished or retracted).
 *
 * @example
 * const ncmec = createNcmecClient({ baseUrl: ncmecTestUrl, username, password, timeoutMs: 30_000 });
 * const { reportId } = await ncmec.submit(xml);
 */
export function createNcmecClient(options: NcmecClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, "");
  const authorization = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString("base64")}`;

  async function call(operation: string, init: { method: "GET" | "POST"; body?: RequestInit["body"]; contentType?: string }): Promise<NcmecResponse> {
    const headers: Record<string, string> = { authorization, accept: "application/xml" };
    if (init.contentType) headers["content-type"] = init.contentType;
    let response: Response;
    let body: string;
    try {
      response = await fetch(`${base}/${operation}`, { method: init.method, headers, body: init.body, signal: AbortSignal.timeout(options.timeoutMs), redirect: "manual" });
      body = await response.text();
    } catch (error) {
      const timedOut = (error as Error).name === "TimeoutError";
      throw new NcmecError({
        operation,
        kind: "retryable",
        message: `NCMEC ${operation}: ${timedOut ? `no answer within ${options.timeoutMs} ms` : `the connection failed (${redact((error as Error).message)})`}.`,
        hint: "Lapwing retries with backoff; check that this host can reach LAPWING_NCMEC_URL if it keeps failing.",
      });
    }
    const parsed = parseResponse(await responseParser(), body);
    if (response.status === 401 || response.status === 403) {
      throw new NcmecError({ operation, kind: "permanent", httpStatus: response.status, responseCode: parsed?.responseCode ?? null, message: `NCMEC ${operation}: HTTP ${response.status}, the credentials were refused.`, hint: ncmecResponseCodes[2000]!.hint });
    }
    if (parsed === null || (response.status !== 200 && parsed.responseCode === 0)) {
      const retryable = response.status >= 500 || response.status === 429 || response.status === 408;
      throw new NcmecError({
        operation,
        kind: retryable ? "retryable" : "permanent",
        httpStatus: response.status,
        message: `NCMEC ${operation}: HTTP ${response.status} without a readable response document.`,
        hint: retryable ? "NCMEC is unavailable; Lapwing retries with backoff." : "Check LAPWING_NCMEC_URL (it should end in /ispws), then retry the report.",
      });
    }
    if (parsed.responseCode !== 0) {
      const known = ncmecResponseCodes[parsed.responseCode];
      throw new NcmecError({
        operation,
        kind: known?.kind ?? (response.status >= 500 ? "retryable" : "permanent"),
        httpStatus: response.status,
        responseCode: parsed.responseCode,
        message: `NCMEC ${operation}: response code ${parsed.responseCode} (${known?.meaning ?? "undocumented"})${parsed.description ? `: ${redact(parsed.description).slice(0, 300)}` : ""}.`,
        hint: known?.hint ?? "An undocumented NCMEC response code; check NCMEC's documentation, then retry the report.",
      });
    }
    return parsed;
  }

  function form(fields: Record<string, string>): URLSearchParams {
    return new URLSearchParams(fields);
  }

  return {
    baseUrl: base,
    /** Checks that the credentials work (GET /status). */
    status: () => call("status", { method: "GET" }),
    /** Opens a report; returns NCMEC's report id. */
    async submit(reportXml: string): Promise<{ reportId: string }> {
      const r = await call("submit", { method: "POST", body: reportXml, contentType: "text/xml; charset=utf-8" });
      if (!r.reportId) throw new NcmecError({ operation: "submit", kind: "retryable", message: "NCMEC submit: success without a report id.", hint: "Lapwing retries with backoff." });
      return { reportId: r.reportId };
    },
    /** Uploads one file to an open report; returns NCMEC's file id and the MD5 it computed. */
    async upload(reportId: string, fileName: string, bytes: Uint8Array): Promise<{ fileId: string; md5: string | null }> {
      const body = new FormData();
      body.set("id", reportId);
      body.set("file", new Blob([bytes]), fileName);
      const r = await call("upload", { method: "POST", body });
      const fileId = r.fileId ?? r.fileIds[0] ?? null;
      if (!fileId) throw new NcmecError({ operation: "upload", kind: "retryable", message: "NCMEC upload: success without a file id.", hint: "Lapwing retries with backoff." });
      return { fileId, md5: r.hash };
    },
    /** Sends one file's details (a `<fileDetails>` document). */
    fileInfo: (fileDetailsXml: string) => call("fileinfo", { method: "POST", body: fileDetailsXml, contentType: "text/xml; charset=utf-8" }),
    /** Files the report with NCMEC; nothing can be added after. */
    finish: (reportId: string) => call("finish", { method: "POST", body: form({ id: reportId }), contentType: "application/x-www-form-urlencoded" }),
    /** Cancels an unfinished report. */
    retract: (reportId: string) => call("retract", { method: "POST", body: form({ id: reportId }), contentType: "application/x-www-form-urlencoded" }),
  };
}

export type NcmecClient = ReturnType<typeof createNcmecClient>;

function parseResponse(parser: XMLParser, body: string): NcmecResponse | null {
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(body) as Record<string, unknown>;
  } catch {
    return null;
  }
  const root = (doc.reportResponse ?? doc.reportDoneResponse) as Record<string, unknown> | undefined;
  if (!root || typeof root !== "object") return null;
  const code = Number(root.responseCode);
  if (!Number.isInteger(code)) return null;
  const files = root.files as { fileId?: unknown[] } | undefined;
  const fileIds = [...(files?.fileId ?? []), ...((root.fileId as unknown[] | undefined) ?? [])].map(String);
  return {
    responseCode: code,
    description: typeof root.responseDescription === "string" ? root.responseDescription : "",
    reportId: root.reportId === undefined || root.reportId === "" ? null : String(root.reportId),
    fileId: Array.isArray(root.fileId) && root.fileId.length > 0 ? String(root.fileId[0]) : null,
    hash: typeof root.hash === "string" ? root.hash : null,
    fileIds,
  };
}

/** Drops anything shaped like credentials in a URL or an Authorization header from text bound for logs. */
export function redact(text: string): string {
  return text.replace(/\/\/[^/\s:@]+:[^/\s@]+@/g, "//[redacted]@").replace(/Basic\s+[A-Za-z0-9+/=]+/gi, "Basic [redacted]");
}
