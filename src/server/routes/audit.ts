import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Services } from "../../services.js";
import { viewerOf } from "../authenticate.js";
import { seqCursor } from "./schemas.js";

const entry = z.object({
  position: z.number().int(),
  id: z.string(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string() }).nullable(),
  details: z.record(z.string(), z.unknown()),
  redacted: z
    .literal(true)
    .optional()
    .describe("The entry is about a restricted (child-safety) case: its target and details are shown to child-safety reviewers only; the hashes stay, and GET /v1/audit/verify checks the whole chain"),
  prevHash: z.string(),
  hash: z.string(),
});

export const auditRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const config = { scope: "admin" as const };
  const tags = ["audit"];

  app.get(
    "/audit",
    {
      config,
      schema: {
        summary: "Read the audit log (append-only, hash-chained), oldest first from a cursor",
        tags,
        querystring: z.object({
          after: seqCursor.optional().describe("The position of the last entry already read"),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          action: z.string().max(100).optional(),
          actor: z.string().max(300).optional(),
        }),
        response: { 200: z.object({ entries: z.array(entry) }) },
      },
    },
    async (request) => ({ entries: await services.cases.redactAudit(await services.audit.list({ ...request.query, order: "asc" }), viewerOf(request)) }),
  );

  app.get(
    "/audit/verify",
    {
      config,
      schema: {
        summary: "Check the whole audit chain; `head` is the anchor to keep outside the database",
        tags,
        response: {
          200: z.object({ ok: z.boolean(), checked: z.number().int(), head: z.string().nullable(), firstBadPosition: z.number().int().optional(), problem: z.string().optional() }),
        },
      },
    },
    async () => {
      const result = await services.audit.verify();
      return { ...result, head: result.head ? `${result.head.position}:${result.head.hash}` : null };
    },
  );
};
