import { create } from "xmlbuilder2";
import type { XMLBuilder } from "xmlbuilder2/lib/interfaces.js";
import { fileAnnotations, reportAnnotations, type FileDetailsInput, type IpCaptureEvent, type ReportInput } from "./types.js";

/**
 * Builds the `<report>` document NCMEC's `/submit` takes. Children are written
 * in the order of NCMEC's schema (out of order is refused with 4100); optional
 * parts are left out when empty. src/reports/schema/cybertipline.xsd is the
 * schema the tests hold every document to.
 *
 * @example
 * const xml = buildReportXml({ incidentType: "Child Pornography (possession, manufacture, and distribution)",
 *   incidentDateTime: "2026-01-02T03:04:05Z", reporter: { email: "safety@example.org" } });
 */
export function buildReportXml(input: ReportInput): string {
  const doc = create({ version: "1.0", encoding: "UTF-8" });
  const report = doc.ele("report");

  const summary = report.ele("incidentSummary");
  text(summary, "incidentType", input.incidentType);
  text(summary, "platform", input.platform, 256);
  text(summary, "escalateToHighPriority", input.escalateToHighPriority, 3000);
  flags(summary, "reportAnnotations", reportAnnotations, input.annotations);
  text(summary, "incidentDateTime", isoSeconds(input.incidentDateTime));
  text(summary, "incidentDateTimeDescription", input.incidentDateTimeDescription, 3000);

  const urls = (input.urls ?? []).filter((u) => u.trim() !== "");
  if (urls.length > 0) {
    const page = report.ele("internetDetails").ele("webPageIncident");
    for (const url of urls) text(page, "url", url, 2083);
  }

  const reporter = report.ele("reporter");
  const person = reporter.ele("reportingPerson");
  text(person, "firstName", input.reporter.firstName, 255);
  text(person, "lastName", input.reporter.lastName, 255);
  text(person, "email", input.reporter.email, 255);
  text(reporter, "companyTemplate", input.reporter.companyTemplate);
  text(reporter, "termsOfService", input.reporter.termsOfService);
  text(reporter, "legalURL", input.reporter.legalUrl, 2083);

  const user = input.reportedUser;
  if (user) {
    const reported = report.ele("personOrUserReported");
    const emails = user.emails ?? [];
    if (emails.length > 0) {
      const who = reported.ele("personOrUserReportedPerson");
      for (const email of emails) {
        const attributes: Record<string, string> = {};
        if (email.type) attributes.type = email.type;
        if (email.verified !== undefined) attributes.verified = String(email.verified);
        who.ele("email", attributes).txt(clean(email.address, 255));
      }
    }
    text(reported, "espIdentifier", user.espIdentifier, 255);
    text(reported, "espService", user.espService, 255);
    text(reported, "screenName", user.screenName, 256);
    for (const name of user.displayNames ?? []) text(reported, "displayName", name, 256);
    for (const url of user.profileUrls ?? []) text(reported, "profileUrl", url, 2083);
    for (const event of user.ipCaptureEvents ?? []) ipCapture(reported, event);
    text(reported, "additionalInfo", user.additionalInfo);
  }

  for (const victim of input.victims ?? []) {
    const v = report.ele("victim");
    const who = v.ele("victimPerson");
    if (victim.age !== undefined) text(who, "age", String(Math.max(0, Math.floor(victim.age))));
    text(v, "espIdentifier", victim.espIdentifier, 255);
    text(v, "screenName", victim.screenName, 256);
    text(v, "additionalInfo", victim.additionalInfo);
  }

  text(report, "additionalInfo", input.additionalInfo);
  return doc.end({ prettyPrint: true });
}

/** Builds the `<fileDetails>` document NCMEC's `/fileinfo` takes for one uploaded file. */
export function buildFileDetailsXml(input: FileDetailsInput): string {
  const doc = create({ version: "1.0", encoding: "UTF-8" });
  const details = doc.ele("fileDetails");
  text(details, "reportId", input.reportId);
  text(details, "fileId", input.fileId, 255);
  text(details, "originalFileName", input.originalFileName, 255);
  text(details, "uploadedToEspTimestamp", input.uploadedAt === undefined ? undefined : isoSeconds(input.uploadedAt));
  text(details, "locationOfFile", input.locationOfFile, 2083);
  bool(details, "fileViewedByEsp", input.fileViewedByEsp);
  bool(details, "exifViewedByEsp", input.exifViewedByEsp);
  bool(details, "publiclyAvailable", input.publiclyAvailable);
  text(details, "fileRelevance", input.fileRelevance);
  flags(details, "fileAnnotations", fileAnnotations, input.annotations);
  // Only reported (not supplemental) files carry an industry classification (NCMEC's rule).
  if (input.fileRelevance !== "Supplemental Reported") text(details, "industryClassification", input.industryClassification);
  for (const hash of input.hashes ?? []) details.ele("originalFileHash", { hashType: clean(hash.hashType, 255) }).txt(clean(hash.value, 255));
  if (input.uploadIp) ipCapture(details, input.uploadIp);
  for (const info of input.additionalInfo ?? []) text(details, "additionalInfo", info);
  return doc.end({ prettyPrint: true });
}

function ipCapture(parent: XMLBuilder, event: IpCaptureEvent): void {
  const e = parent.ele("ipCaptureEvent");
  text(e, "ipAddress", event.ipAddress, 255);
  text(e, "eventName", event.eventName);
  text(e, "dateTime", event.dateTime === undefined ? undefined : isoSeconds(event.dateTime));
  bool(e, "possibleProxy", event.possibleProxy);
  if (event.port !== undefined && Number.isInteger(event.port) && event.port >= 0 && event.port <= 65535) text(e, "port", String(event.port));
}

function flags(parent: XMLBuilder, name: string, order: readonly string[], chosen: readonly string[] | undefined): void {
  const set = new Set(chosen ?? []);
  const present = order.filter((f) => set.has(f));
  if (present.length === 0) return;
  const holder = parent.ele(name);
  for (const flag of present) holder.ele(flag);
}

function text(parent: XMLBuilder, name: string, value: string | undefined, maxChars?: number): void {
  if (value === undefined) return;
  const cleaned = clean(value, maxChars);
  if (cleaned === "") return;
  parent.ele(name).txt(cleaned);
}

function bool(parent: XMLBuilder, name: string, value: boolean | undefined): void {
  if (value !== undefined) parent.ele(name).txt(String(value));
}

/**
 * Text as XML 1.0 can carry it: characters XML forbids (most C0 controls, lone
 * surrogates, U+FFFE/FFFF) are dropped, and the text is cut to the schema's
 * maximum length so a long bio cannot make NCMEC refuse the whole report.
 */
export function clean(value: string, maxChars?: number): string {
  // eslint-disable-next-line no-control-regex
  const kept = value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|\p{Cs}/gu, "").trim();
  if (maxChars === undefined || kept.length <= maxChars) return kept;
  return [...kept].slice(0, maxChars).join("").slice(0, maxChars);
}

/** ISO-8601 in UTC to the second, the form NCMEC's examples use. */
function isoSeconds(value: string): string {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new RangeError(`Not a date-time: ${JSON.stringify(value)}`);
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}
