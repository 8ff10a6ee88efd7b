import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { textSurfaces } from "../../lexicons/index.js";
import type { Services } from "../../services.js";
import { actorOf } from "../authenticate.js";

const lexiconInfo = z.object({
  name: z.string(),
  surfaces: z.array(z.enum(textSurfaces as [string, ...string[]])),
  entryCount: z.number().int(),
  updatedAt: z.string().nullable(),
  builtIn: z.boolean(),
});
const entry = z.object({ term: z.string(), category: z.string(), severity: z.enum(["block", "review"]), source: z.string().optional(), note: z.string().optional() });
const breadth = z.object({
  sampleTexts: z.number().int(),
  terms: z.array(
    z.object({ entryIndex: z.number().int(), term: z.string(), sampleHits: z.number().int(), examples: z.array(z.string()), problems: z.array(z.string()) }),
  ),
  isTooBroad: z.boolean(),
});
const params = z.object({ name: z.string().min(1).max(64) });

// Writes catch this process's registry up before answering; other processes
// reload within one poll (LAPWING_CHANGE_POLL_MS), with no restart.
export const lexiconRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const config = { scope: "admin" as const };
  const tags = ["lexicons"];
  const { lexicons, lexiconRegistry } = services;

  app.get("/lexicons", { config, schema: { summary: "List lexicons", tags, response: { 200: z.object({ lexicons: z.array(lexiconInfo) }) } } }, async () => ({
    lexicons: await lexicons.list(),
  }));

  app.get(
    "/lexicons/:name",
    { config, schema: { summary: "Export a lexicon as JSON ({entries: [...]})", tags, params, response: { 200: lexiconInfo.extend({ entries: z.array(entry) }) } } },
    async (request) => {
      const { lexicon, ...info } = await lexicons.get(request.params.name);
      return { ...info, entries: [...lexicon.entries] };
    },
  );

  app.put(
    "/lexicons/:name",
    {
      config,
      schema: {
        summary: "Create or replace a lexicon (validated whole; a bad file never replaces a good one)",
        description:
          "Body: `{entries: [{term, category, severity: \"block\"|\"review\", source?, note?}], surfaces?: [...], force?: boolean}`. Without `surfaces`, a new lexicon applies everywhere and a replaced one keeps its surfaces. " +
          "Every term is matched against a benign sample of ordinary texts first: a term that is a single letter, punctuation only, or hits more than 0.5% of the sample is refused (422 LEXICON_TOO_BROAD, the report in `error.details`) unless `force` is true. The answer's `breadth` lists every term that hit the sample.",
        tags,
        params,
        body: z.object({ entries: z.array(z.unknown()), surfaces: z.array(z.string()).optional(), force: z.boolean().optional() }),
        response: { 200: lexiconInfo.extend({ created: z.boolean(), breadth }) },
      },
    },
    async (request) => {
      const result = await lexicons.put(request.params.name, { entries: request.body.entries }, request.body.surfaces, actorOf(request), { force: request.body.force });
      await lexiconRegistry.catchUp();
      return result;
    },
  );

  app.delete("/lexicons/:name", { config, schema: { summary: "Delete a stored lexicon", tags, params, response: { 204: z.null() } } }, async (request, reply) => {
    await lexicons.remove(request.params.name, actorOf(request));
    await lexiconRegistry.catchUp();
    return reply.status(204).send(null);
  });
};
