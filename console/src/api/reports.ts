import { endpoints } from "./endpoints";
import { call, fillPath } from "./http";
import type { ReportDetail, ReportState, ReportSummary } from "./types";

export const caseReports = async (caseId: string) => (await call<{ reports: ReportSummary[] }>("caseReports", { params: { id: caseId } })).reports;
export const listReports = async (states: readonly ReportState[], page: { limit?: number; offset?: number } = {}) =>
  (await call<{ reports: ReportSummary[] }>("listReports", { query: { state: states.join(","), ...page } })).reports;
export const getReport = (id: string) => call<ReportDetail>("getReport", { params: { id } });
export const retryReport = (id: string) => call<ReportSummary>("retryReport", { params: { id } });
/** The report's XML, opened by the browser itself (same-origin cookie), not parsed by the console. */
export const reportXmlUrl = (id: string) => fillPath(endpoints.reportXml.path, { id });
