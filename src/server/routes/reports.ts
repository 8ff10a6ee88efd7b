import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { LapwingError } from "../../errors/index.js";
import { reportStates, type ReportState } from "../../reports/index.js";
import type { Services } from "../../services.js";
import { actorOf } from "../authenticate.js";
import { accountPlatformField } from "./schemas.js";

const reportSummary = z.object({
  id: z.string(),
  caseId: z.string(),
  accountId: z.string(),
  platformId: accountPlatformField,
  category: z.string().describe("The reviewer's confirmation category"),
  state: z.enum(reportStates).describe("Where the report is in NCMEC's flow (docs/reporting.md)"),
  environment: z.string().describe("`test` or `production`"),
  ncmecReportId: z.string().nullable().describe("NCMEC's report id once submitted"),
  progress: z.string(),
  attempts: z.number().int().describe("Failed attempts since the last step that succeeded"),
  restarts: z.number().int().describe("New NCMEC reports opened after an expiry or a lost answer"),
  lastError: z.string().nullable(),
  lastErrorCode: z.string().nullable().describe("`NCMEC_<code>`, `NCMEC_HTTP_<status>`, `ACCOUNT_DETAILS_FAILED`, …"),
  hint: z.string().nullable().describe("What to do about lastError"),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
  lostSubmits: z
    .array(z.object({ sentAt: z.string(), deletedByAbout: z.string().describe("About when NCMEC deletes the unfinished report the submit may have opened (a day after)") }))
    .describe("Submits whose answer never arrived: NCMEC may hold an unfinished report from each, never filed"),
  notice: z.string().nullable().describe("A sentence for reviewers about lostSubmits; null when there are none"),
});

const reportDetail = reportSummary.extend({
  files: z.array(z.object({ position: z.number().int(), fileName: z.string(), state: z.string(), ncmecFileId: z.string().nullable() })),
  abandonedNcmecReportIds: z.array(z.string()).describe("NCMEC reports opened for this one and retracted or left to expire"),
  history: z.array(z.object({ at: z.string(), actor: z.string(), kind: z.string(), details: z.record(z.string(), z.unknown()) })),
});

const byId = z.object({ id: z.string().min(1).max(100) });

/**
 * CyberTipline reports: the list, one report with its files and history, its
 * XML, and a retry. Child-safety reviewers and admins only: a report
 * describes a child sexual abuse case.
 */
export const reportRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const { reports } = services;
  const tags = ["reports"];
  const access = { scope: "admin" as const, roles: ["admin", "child_safety_reviewer"] as const };

  app.get(
    "/reports",
    {
      config: access,
      schema: {
        summary: "CyberTipline reports, newest first",
        tags,
        querystring: z.object({
          state: z.string().regex(/^[a-z_,]+$/).optional().describe(`Comma-separated states (${reportStates.join(", ")})`),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: { 200: z.object({ reports: z.array(reportSummary) }) },
      },
    },
    async (request) => {
      const states = request.query.state?.split(",").filter((s) => s !== "");
      const unknown = states?.find((s) => !(reportStates as readonly string[]).includes(s));
      if (unknown) throw new LapwingError("VALIDATION_FAILED", `state "${unknown}" is not one of ${reportStates.join(", ")}.`, { pointer: "/state" });
      return { reports: await reports.list({ states: states as ReportState[] | undefined, limit: request.query.limit, offset: request.query.offset }) };
    },
  );

  app.get(
    "/reports/:id",
    { config: access, schema: { summary: "A report with its files, abandoned NCMEC reports and history", tags, params: byId, response: { 200: reportDetail } } },
    async (request) => reports.get(request.params.id),
  );

  app.get(
    "/reports/:id/xml",
    {
      config: access,
      schema: { summary: "The report's <report> XML as it was (or will be) submitted", tags, params: byId, produces: ["application/xml"], response: { 200: z.string() } },
    },
    async (request, reply) => {
      const xml = await reports.xml(request.params.id);
      return reply.type("application/xml; charset=utf-8").send(xml);
    },
  );

  app.post(
    "/reports/:id/retry",
    {
      config: access,
      schema: {
        summary: "Send a report again",
        description: "A failed report starts again from scratch (a new NCMEC report, after the account details are fetched again); any other unfinished one resumes where it is. 409 REPORT_NOT_RETRYABLE for a finished report.",
        tags,
        params: byId,
        response: { 200: reportSummary },
      },
    },
    async (request) => reports.retry(request.params.id, actorOf(request)),
  );

  app.get(
    "/cases/:id/reports",
    { config: access, schema: { summary: "The CyberTipline reports of a case", tags, params: byId, response: { 200: z.object({ reports: z.array(reportSummary) }) } } },
    async (request) => ({ reports: await reports.forCase(request.params.id) }),
  );
};
