import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { XMLParser } from "fast-xml-parser";
import { schemaErrors } from "../../test/support/xmllint.js";
import { buildFileDetailsXml, buildReportXml, clean } from "./xml.js";
import type { ReportInput } from "./types.js";

const full: ReportInput = {
  incidentType: "Child Pornography (possession, manufacture, and distribution)",
  platform: "Example Social",
  escalateToHighPriority: "The reported account is in contact with a child now.",
  annotations: ["minorToMinorInteraction", "sextortion"],
  incidentDateTime: "2026-03-04T05:06:07.890Z",
  incidentDateTimeDescription: "When the first matching upload was received.",
  urls: ["https://social.example/p/1", "https://social.example/p/2"],
  reporter: { firstName: "Trust", lastName: "Safety", email: "safety@social.example", companyTemplate: "Serve legal process at legal@social.example.", legalUrl: "https://social.example/legal" },
  reportedUser: {
    espIdentifier: "acct-42",
    espService: "Example Social",
    screenName: "stand_in_user",
    displayNames: ["Stand In"],
    profileUrls: ["https://social.example/@stand_in_user"],
    emails: [{ address: "stand-in@mail.example", type: "Home", verified: true }, { address: "second@mail.example" }],
    ipCaptureEvents: [
      { ipAddress: "192.0.2.10", eventName: "Login", dateTime: "2026-03-04T05:00:00Z", port: 443 },
      { ipAddress: "2001:db8::1", eventName: "Upload", dateTime: "2026-03-04T05:06:00Z", possibleProxy: true },
    ],
    additionalInfo: "Account suspended by the platform.",
  },
  victims: [{ espIdentifier: "acct-7", screenName: "young_stand_in", age: 14, additionalInfo: "Age band 13-15 (declared)." }],
  additionalInfo: "Case 01ABC confirmed by a child-safety reviewer.",
};

describe("CyberTipline report XML", () => {
  it("writes a full report that validates against the schema, children in schema order", () => {
    const xml = buildReportXml(full);
    assert.deepEqual(schemaErrors(xml), []);
    const order = [...xml.matchAll(/<(incidentType|platform|escalateToHighPriority|reportAnnotations|incidentDateTime|internetDetails|reporter|personOrUserReported|victim|additionalInfo)[ >]/g)].map((m) => m[1]);
    assert.deepEqual(order.slice(0, 8), ["incidentType", "platform", "escalateToHighPriority", "reportAnnotations", "incidentDateTime", "internetDetails", "reporter", "personOrUserReported"]);
    // Annotations are presence flags in schema order, whatever order they were given in.
    assert.match(xml, /<reportAnnotations>\s*<sextortion\/>\s*<minorToMinorInteraction\/>\s*<\/reportAnnotations>/);
    assert.match(xml, /<incidentDateTime>2026-03-04T05:06:07Z<\/incidentDateTime>/);
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(xml);
    assert.equal(parsed.report.personOrUserReported.screenName, "stand_in_user");
    assert.equal(parsed.report.personOrUserReported.personOrUserReportedPerson.email[0]["#text"], "stand-in@mail.example");
    assert.equal(parsed.report.personOrUserReported.ipCaptureEvent.length, 2);
    assert.equal(parsed.report.victim.victimPerson.age, 14);
  });

  it("writes a minimal report (no user, no files, no annotations) that validates", () => {
    const xml = buildReportXml({ incidentType: "Online Enticement of Children for Sexual Acts", incidentDateTime: "2026-01-01T00:00:00Z", reporter: { email: "r@x.example" } });
    assert.deepEqual(schemaErrors(xml), []);
    assert.doesNotMatch(xml, /reportAnnotations|escalateToHighPriority|personOrUserReported|internetDetails/);
  });

  it("escapes markup and drops characters XML cannot carry, so hostile text still validates", () => {
    const xml = buildReportXml({
      ...full,
      additionalInfo: "a <b> & \"c\" \u0001\u0007 ]]> \ud800 done",
      reportedUser: { espIdentifier: "<script>", screenName: "x".repeat(1000) },
    });
    assert.deepEqual(schemaErrors(xml), []);
    assert.match(xml, /&lt;script&gt;/);
    assert.equal(clean("x".repeat(1000), 256).length, 256);
  });

  it("the schema refuses out-of-order children and unknown incident types (the tests can fail)", () => {
    const good = buildReportXml(full);
    const swapped = good.replace(/(<reporter>[\s\S]*?<\/reporter>)(\s*)(<personOrUserReported>[\s\S]*?<\/personOrUserReported>)/, "$3$2$1");
    assert.notEqual(swapped, good);
    assert.ok(schemaErrors(swapped).length > 0);
    assert.ok(schemaErrors(good.replace("Child Pornography (possession, manufacture, and distribution)", "Something Else")).length > 0);
  });

  it("writes file details with hashes, classification and annotations that validate", () => {
    const xml = buildFileDetailsXml({
      reportId: "123456",
      fileId: "a1b2c3",
      originalFileName: "upload 1.jpg",
      uploadedAt: "2026-03-04T05:06:00Z",
      locationOfFile: "https://media.social.example/1.jpg",
      fileViewedByEsp: true,
      exifViewedByEsp: false,
      publiclyAvailable: false,
      fileRelevance: "Reported",
      annotations: ["generativeAi", "possibleSelfProduction"],
      industryClassification: "B2",
      hashes: [
        { hashType: "MD5", value: "0123456789abcdef0123456789abcdef" },
        { hashType: "SHA256", value: "00".repeat(32) },
        { hashType: "PDQ", value: "f".repeat(64) },
      ],
      uploadIp: { ipAddress: "192.0.2.10", eventName: "Upload", dateTime: "2026-03-04T05:06:00Z" },
      additionalInfo: ["Matched a hash list entry."],
    });
    assert.deepEqual(schemaErrors(xml), []);
    assert.match(xml, /<fileAnnotations>\s*<possibleSelfProduction\/>\s*<generativeAi\/>\s*<\/fileAnnotations>\s*<industryClassification>B2<\/industryClassification>/);
    assert.match(xml, /<originalFileHash hashType="PDQ">f{64}<\/originalFileHash>/);
  });

  it("leaves the industry classification off a supplemental file", () => {
    const xml = buildFileDetailsXml({ reportId: "1", fileId: "f", fileRelevance: "Supplemental Reported", industryClassification: "A1" });
    assert.deepEqual(schemaErrors(xml), []);
    assert.doesNotMatch(xml, /industryClassification/);
  });
});
