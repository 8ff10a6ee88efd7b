import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Services } from "../../services.js";
import { maxBuckets, statsBuckets } from "../../stats/index.js";

const dayMs = 86_400_000;
const series = z.array(z.object({ start: z.string(), count: z.number().int(), p50Seconds: z.number().nullable(), p99Seconds: z.number().nullable() }));
const counts = z.record(z.string(), z.number().int());
const policyHits = z.object({ policyId: z.string(), mode: z.enum(["enforce", "shadow"]), hits: z.number().int().describe("Decision rows the policy decided in"), decisions: counts });
const range = {
  from: z.iso.datetime({ offset: true }).optional().describe("Start of the range (ISO-8601); default 7 days before `to`"),
  to: z.iso.datetime({ offset: true }).optional().describe("End of the range, exclusive; default now"),
};

function parseRange(query: { from?: string; to?: string }): { from: Date; to: Date } {
  const to = query.to ? new Date(query.to) : new Date();
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 7 * dayMs);
  return { from, to };
}

/**
 * The trust-and-safety lead's dashboard. Figures only, no case or account is
 * named, so every console role may read them.
 */
export const statsRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const config = { scope: "admin" as const, roles: ["admin", "child_safety_reviewer", "moderator", "viewer"] as const };
  const tags = ["stats"];

  app.get(
    "/stats/dashboard",
    {
      config,
      schema: {
        summary: "Time to action (p50/p99 per bucket), backlog by priority, decisions by kind, blocked searches by surface, decisions per policy (shadow hits)",
        description: `At most ${maxBuckets} buckets per answer. Blocked searches are counted per hour, so an hour bucket is the finest.`,
        tags,
        querystring: z.object({ ...range, bucket: z.enum(statsBuckets).default("day") }),
        response: {
          200: z.object({
            from: z.string(),
            to: z.string(),
            bucket: z.enum(statsBuckets),
            timeToAction: z.object({
              automated: series.describe("From the event's arrival to the automated action on it"),
              reviewed: series.describe("From the case's opening to the reviewer's decision"),
            }),
            backlog: z.array(
              z.object({
                priority: z.string(),
                open: z.number().int(),
                claimed: z.number().int(),
                escalated: z.number().int(),
                total: z.number().int(),
                restricted: z.number().int().describe("Of the total, child-safety cases (counted, never named)"),
              }),
            ),
            decisions: z.object({ automated: counts.describe("Enforced decision kinds"), reviewer: counts.describe("Reviewer outcomes") }),
            blockedSearches: z.object({
              bySurface: z.array(z.object({ surface: z.string(), blocked: z.number().int(), suggestionsRemoved: z.number().int() })),
              series: z.array(z.object({ start: z.string(), surface: z.string(), blocked: z.number().int() })),
            }),
            policyHits: z.array(policyHits),
            truncated: z.boolean(),
          }),
        },
      },
    },
    async (request) => services.stats.dashboard({ ...parseRange(request.query), bucket: request.query.bucket }),
  );

  app.get(
    "/stats/policies",
    {
      config,
      schema: {
        summary: "Decisions per policy in a range: how often each shadow-mode policy would have acted, and each enforced one did",
        tags,
        querystring: z.object(range),
        response: { 200: z.object({ policies: z.array(policyHits), truncated: z.boolean() }) },
      },
    },
    async (request) => {
      const { from, to } = parseRange(request.query);
      return services.stats.policyHits(from, to);
    },
  );
};
