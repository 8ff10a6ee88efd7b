import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { searchSurfaces } from "../../lexicons/index.js";
import type { Services } from "../../services.js";

// Queries and suggestions are short by nature; the bound keeps work per call small.
const maxQueryChars = 1000;
const maxSuggestions = 500;

export const gateHit = z.object({
  term: z.string(),
  category: z.string(),
  severity: z.enum(["block", "review"]),
  lexicon: z.string(),
  view: z.string(),
  start: z.number().int(),
  end: z.number().int(),
  how: z.enum(["exact", "folded", "approximate"]).describe("exact as written (case aside), folded through the normalisation (look-alikes, leetspeak, separators ...), or approximate (a misspelling)"),
  distance: z.number().int().describe("edits between the folded text and the term; 0 unless approximate"),
});

const resource = z.object({ audience: z.string(), title: z.string(), url: z.string(), description: z.string() });

export const searchRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const config = { scope: "check" as const };
  const tags = ["search"];

  app.post(
    "/search/check",
    {
      config,
      schema: {
        summary: "Gate a search query, hashtag or typeahead prefix: allow, or block with help resources (never a bypass)",
        tags,
        body: z.object({ query: z.string().max(maxQueryChars), surface: z.enum(searchSurfaces).default("search") }),
        response: {
          200: z.object({
            verdict: z.enum(["allow", "block"]),
            hits: z.array(gateHit),
            reason: z.string().optional(),
            message: z.string().optional(),
            resources: z.array(resource).optional(),
          }),
        },
      },
    },
    async (request) => {
      const result = services.searchGate.check(request.body.query, request.body.surface, { count: true });
      return result.verdict === "block" ? { ...result, resources: [...result.resources] } : result;
    },
  );

  app.post(
    "/search/suggestions/filter",
    {
      config,
      schema: {
        summary: "Remove flagged suggestions from a typeahead or related-hashtags list, keeping the order of the rest",
        tags,
        body: z.object({ suggestions: z.array(z.string().max(maxQueryChars)).max(maxSuggestions), surface: z.enum(searchSurfaces).default("typeahead") }),
        response: {
          200: z.object({
            suggestions: z.array(z.string()),
            removed: z.array(z.object({ index: z.number().int(), suggestion: z.string(), terms: z.array(z.string()) })),
          }),
        },
      },
    },
    async (request) => services.searchGate.filterSuggestions(request.body.suggestions, request.body.surface, { count: true }),
  );
};
