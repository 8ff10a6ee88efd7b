// A local stand-in for NCMEC's CyberTipline Reporting API, for tests (NCMEC's
// servers cannot be reached from here). It implements the documented
// endpoints under /ispws (status, xsd, submit, upload, fileinfo, finish,
// retract) with HTTP Basic authentication, answers with the documented
// response documents, and refuses what NCMEC refuses:
//
//   <reportResponse>                          (submit, upload, fileinfo, retract, status)
//     <responseCode>0</responseCode>          0 success; otherwise a documented code
//     <responseDescription>Success</responseDescription>
//     <reportId>…</reportId>                  submit, upload, fileinfo, retract
//     <fileId>…</fileId><hash>…</hash>        upload (hash: MD5 of the file)
//   </reportResponse>
//   <reportDoneResponse>                      (finish)
//     <responseCode>0</responseCode><reportId>…</reportId><files><fileId>…</fileId>…</files>
//   </reportDoneResponse>
//
// Codes returned: 2000 (HTTP 401, bad credentials), 4100 (document fails the
// schema), 4110 (malformed XML), 4200 (upload without a file), 5001 (no such
// open report), 5002 (no such file), 5101 (already retracted), 5102 (already
// finished). Sources for the shapes are cited in docs/reporting.md.
//
// Tests can inject failures (`failNext`), expire a report (`expire`), and act
// at the moment a request has been applied but not yet answered (`onApplied`,
// where the process test SIGKILLs the worker, so the answer is lost).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { cybertiplineXsd, schemaErrors } from "./xmllint.js";

export type NcmecOperation = "status" | "xsd" | "submit" | "upload" | "fileinfo" | "finish" | "retract";

export interface MockFile {
  fileId: string;
  name: string;
  md5: string;
  bytes: Buffer;
  /** Every fileDetails document received for it, in order. */
  details: string[];
}

export interface MockReport {
  reportId: string;
  xml: string;
  state: "open" | "finished" | "retracted" | "expired";
  files: MockFile[];
}

export interface NcmecRequestRecord {
  operation: string;
  status: number;
  responseCode: number;
  reportId?: string;
}

export interface NcmecMock {
  /** Base URL ending in /ispws. */
  url: string;
  readonly reports: ReadonlyMap<string, MockReport>;
  readonly log: readonly NcmecRequestRecord[];
  /** The next `times` requests to `operation` fail with this HTTP status and/or response code, without effect. */
  failNext(operation: NcmecOperation, failure: { httpStatus?: number; responseCode?: number; times?: number }): void;
  /** NCMEC deleted the unfinished report (it expired). */
  expire(reportId: string): void;
  /** Called after a request took effect, before its answer is written (the answer is lost if the client died). */
  onApplied?: (operation: NcmecOperation, count: number) => void | "drop" | Promise<void | "drop">;
  finished(): MockReport[];
  close(): Promise<void>;
}

export async function startNcmecMock(credentials: { username: string; password: string }): Promise<NcmecMock> {
  const reports = new Map<string, MockReport>();
  const log: NcmecRequestRecord[] = [];
  const failures = new Map<string, Array<{ httpStatus?: number; responseCode?: number }>>();
  const counts = new Map<string, number>();
  let nextReportId = 1000;
  let nextFileId = 1;
  const expected = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`;
  const parser = new XMLParser({ parseTagValue: false });

  const reply = (response: ServerResponse, status: number, body: string) => {
    if (response.destroyed) return;
    response.statusCode = status;
    response.setHeader("content-type", "application/xml");
    response.end(body);
  };
  const reportResponse = (code: number, description: string, extra: Record<string, string> = {}) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<reportResponse><responseCode>${code}</responseCode><responseDescription>${description}</responseDescription>${Object.entries(extra)
      .map(([k, v]) => `<${k}>${v}</${k}>`)
      .join("")}</reportResponse>`;

  let mock: NcmecMock;
  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(request.url ?? "/", "http://ncmec");
    const operation = url.pathname.replace(/^\/ispws\//, "") as NcmecOperation;
    const record = (status: number, responseCode: number, reportId?: string) => log.push({ operation, status, responseCode, reportId });

    if (request.headers.authorization !== expected) {
      record(401, 2000);
      return reply(response, 401, reportResponse(2000, "Authentication required"));
    }
    const injected = failures.get(operation)?.shift();
    if (injected) {
      record(injected.httpStatus ?? 200, injected.responseCode ?? 0);
      if (injected.responseCode === undefined) return reply(response, injected.httpStatus ?? 500, "<html>Service Unavailable</html>");
      return reply(response, injected.httpStatus ?? 200, reportResponse(injected.responseCode, "Injected failure"));
    }

    let status = 200;
    let answer: string;
    let code = 0;
    let reportId: string | undefined;
    const form = async () => {
      const parsed = await new Response(body, { headers: { "content-type": request.headers["content-type"] ?? "" } }).formData();
      return parsed;
    };
    const openReport = (id: string | undefined): MockReport | number => {
      const report = id ? reports.get(id) : undefined;
      if (!report || report.state === "expired") return 5001;
      if (report.state === "finished") return 5102;
      if (report.state === "retracted") return 5101;
      return report;
    };
    const descriptions: Record<number, string> = { 4100: "Validation failed", 4110: "Malformed XML submittal", 4200: "Malformed file submittal", 5001: "Report does not exist", 5002: "File does not exist", 5101: "Report already retracted", 5102: "Report already finished" };
    const refuse = (c: number) => ((code = c), reportResponse(c, descriptions[c] ?? "Error", reportId ? { reportId } : {}));

    switch (operation) {
      case "status":
        answer = reportResponse(0, "Success");
        break;
      case "xsd":
        answer = readFileSync(cybertiplineXsd, "utf8");
        break;
      case "submit": {
        const xml = body.toString("utf8");
        if (XMLValidator.validate(xml) !== true) answer = refuse(4110);
        else if (schemaErrors(xml).length > 0) answer = refuse(4100);
        else {
          reportId = String(nextReportId++);
          reports.set(reportId, { reportId, xml, state: "open", files: [] });
          answer = reportResponse(0, "Success", { reportId });
        }
        break;
      }
      case "upload": {
        const fields = await form();
        reportId = String(fields.get("id") ?? "");
        const file = fields.get("file");
        const report = openReport(reportId);
        if (typeof report === "number") answer = refuse(report);
        else if (!(file instanceof Blob)) answer = refuse(4200);
        else {
          const bytes = Buffer.from(await file.arrayBuffer());
          const md5 = createHash("md5").update(bytes).digest("hex");
          const fileId = `f${nextFileId++}`;
          report.files.push({ fileId, name: (file as File).name ?? "file", md5, bytes, details: [] });
          answer = reportResponse(0, "Success", { reportId, fileId, hash: md5 });
        }
        break;
      }
      case "fileinfo": {
        const xml = body.toString("utf8");
        if (XMLValidator.validate(xml) !== true) {
          answer = refuse(4110);
          break;
        }
        const doc = parser.parse(xml) as { fileDetails?: { reportId?: string; fileId?: string } };
        reportId = doc.fileDetails?.reportId;
        if (schemaErrors(xml).length > 0) {
          answer = refuse(4100);
          break;
        }
        const report = openReport(reportId);
        const target = typeof report === "number" ? undefined : report.files.find((f) => f.fileId === doc.fileDetails?.fileId);
        if (typeof report === "number") answer = refuse(report);
        else if (!target) answer = refuse(5002);
        else {
          target.details.push(xml);
          answer = reportResponse(0, "Success", { reportId: reportId! });
        }
        break;
      }
      case "finish": {
        reportId = (await form()).get("id")?.toString();
        const report = openReport(reportId);
        if (typeof report === "number") answer = refuse(report);
        else {
          report.state = "finished";
          answer = `<?xml version="1.0" encoding="UTF-8"?>\n<reportDoneResponse><responseCode>0</responseCode><reportId>${reportId}</reportId><files>${report.files.map((f) => `<fileId>${f.fileId}</fileId>`).join("")}</files></reportDoneResponse>`;
        }
        break;
      }
      case "retract": {
        reportId = (await form()).get("id")?.toString();
        const report = openReport(reportId);
        if (typeof report === "number") answer = refuse(report);
        else {
          report.state = "retracted";
          answer = reportResponse(0, "Success", { reportId: reportId! });
        }
        break;
      }
      default:
        status = 404;
        code = 1210;
        answer = reportResponse(1210, "Resource not found");
    }
    record(status, code, reportId);
    const count = (counts.get(operation) ?? 0) + 1;
    counts.set(operation, count);
    // "drop": the request took effect but its answer never arrives (a lost connection).
    if ((await mock.onApplied?.(operation, count)) === "drop") return void response.destroy();
    reply(response, status, answer);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  mock = {
    url: `http://127.0.0.1:${port}/ispws`,
    reports,
    log,
    failNext(operation, failure) {
      const list = failures.get(operation) ?? [];
      for (let i = 0; i < (failure.times ?? 1); i++) list.push({ httpStatus: failure.httpStatus, responseCode: failure.responseCode });
      failures.set(operation, list);
    },
    expire(reportId) {
      const report = reports.get(reportId);
      if (report && report.state === "open") report.state = "expired";
    },
    finished: () => [...reports.values()].filter((r) => r.state === "finished"),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return mock;
}
