/**
 * NCMEC CyberTipline reporting: a confirmed child-safety case becomes a
 * report in a durable outbox, built as NCMEC's XML (schema/cybertipline.xsd),
 * completed through NCMEC's flow (submit, upload each file, its details,
 * finish) by the `reports` worker, resumable after a crash at any step.
 * docs/reporting.md.
 *
 * @packageDocumentation
 */
export { createReportService, reportStates, reportQueueName, type ReportService, type ReportServiceOptions, type ReportSettings, type ReportState, type ReportSummary, type ReportDetail, type ReportFileView } from "./service.js";
export { createReportRepository, type ReportRepository } from "./repository.js";
export { createNcmecClient, NcmecError, ncmecResponseCodes, ncmecTestUrl, ncmecProductionUrl, redact, type NcmecClient, type NcmecClientOptions, type NcmecFailureKind } from "./client.js";
export { createAccountDetailsSource, accountDetailsSchema, type AccountDetails, type AccountDetailsSource } from "./account-details.js";
export { noReportFiles, type ReportFile, type ReportFiles } from "./files.js";
export { reportFilesFromVault, type ReportVault } from "./vault-files.js";
export { reportableCategories, type ReportFacts } from "./facts.js";
export { buildReportXml, buildFileDetailsXml } from "./xml.js";
export { startReportWorker, type ReportWorkerOptions } from "./worker.js";
export * from "./types.js";
export type { ReportTables } from "./tables.js";
