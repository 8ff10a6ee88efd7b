import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { maxTryOutTexts, readVocabulary, scanWithDraft, textSurfaces, tryLexiconChange, type TextSurface } from "../../lexicons/index.js";
import { LapwingError } from "../../errors/index.js";
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
    { config, schema: { summary: "Export a lexicon as JSON ({entries: [...], names?: [...]})", tags, params, response: { 200: lexiconInfo.extend({ entries: z.array(entry), names: z.array(z.string()).optional() }) } } },
    async (request) => {
      const { lexicon, ...info } = await lexicons.get(request.params.name);
      return { ...info, entries: [...lexicon.entries], ...(lexicon.names !== undefined ? { names: [...lexicon.names] } : {}) };
    },
  );

  app.put(
    "/lexicons/:name",
    {
      config,
      schema: {
        summary: "Create or replace a lexicon (validated whole; a bad file never replaces a good one)",
        description:
          "Body: `{entries: [{term, category, severity: \"block\"|\"review\", source?, note?}], names?: [...], surfaces?: [...], force?: boolean}`. Without `surfaces`, a new lexicon applies everywhere and a replaced one keeps its surfaces. " +
          "`names` is the lexicon's allow-list of names (brands, people, places) that a misspelling never is: a word of the text that is exactly one of them is never an approximate hit (exact and folded readings of a term still are). " +
          "Every term is matched against a benign sample of ordinary texts first: a term that is a single letter, punctuation only, or hits more than 0.5% of the sample is refused (422 LEXICON_TOO_BROAD, the report in `error.details`) unless `force` is true. The answer's `breadth` lists every term that hit the sample.",
        tags,
        params,
        body: z.object({ entries: z.array(z.unknown()), names: z.array(z.unknown()).optional(), surfaces: z.array(z.string()).optional(), force: z.boolean().optional() }),
        response: { 200: lexiconInfo.extend({ created: z.boolean(), breadth }) },
      },
    },
    async (request) => {
      const { entries, names } = request.body;
      const result = await lexicons.put(request.params.name, { entries, ...(names !== undefined ? { names } : {}) }, request.body.surfaces, actorOf(request), { force: request.body.force });
      await lexiconRegistry.catchUp();
      return result;
    },
  );

  const hit = z.object({
    term: z.string(),
    category: z.string(),
    severity: z.enum(["block", "review"]),
    lexicon: z.string().optional(),
    start: z.number().int().describe("UTF-16 offset in the text"),
    end: z.number().int(),
    matched: z.string().describe("The text as written that matched"),
    how: z.string(),
    distance: z.number().int(),
  });

  app.post(
    "/lexicons/test",
    {
      config,
      schema: {
        summary: "Test a text against the live lexicons of a surface, or against a draft lexicon's entries; nothing is stored",
        tags,
        body: z.object({
          text: z.string().max(100_000),
          surface: z.enum(textSurfaces as [TextSurface, ...TextSurface[]]).default("post"),
          entries: z.array(z.unknown()).optional().describe("A draft lexicon's entries: test those instead of the live lexicons"),
          names: z.array(z.unknown()).optional().describe("The draft lexicon's names allow-list (with `entries` only)"),
        }),
        response: { 200: z.object({ hits: z.array(hit) }) },
      },
    },
    async (request) => {
      const { text, surface, entries, names } = request.body;
      const hits = entries ? scanWithDraft({ entries, ...(names !== undefined ? { names } : {}) }, text, readVocabulary).map((h) => ({ ...h, lexicon: undefined })) : lexiconRegistry.scan(surface, text).hits;
      return { hits };
    },
  );

  app.post(
    "/lexicons/:name/try",
    {
      config,
      schema: {
        summary: "What a change to a lexicon would match: the stored version and the draft, over ordinary sample texts and texts you add; nothing is stored",
        description: "The answer counts the texts the draft newly matches and those it no longer matches, lists up to 200 of them with their terms before and after, and gives the draft's breadth report (what storing it would check).",
        tags,
        params,
        body: z.object({ entries: z.array(z.unknown()), names: z.array(z.unknown()).optional(), texts: z.array(z.string().max(10_000)).max(maxTryOutTexts).default([]) }),
        response: {
          200: z.object({
            texts: z.number().int(),
            newlyMatched: z.number().int(),
            noLongerMatched: z.number().int(),
            changes: z.array(z.object({ text: z.string(), source: z.enum(["sample", "given"]), before: z.array(z.string()), after: z.array(z.string()) })),
            breadth,
          }),
        },
      },
    },
    async (request) => {
      const current = await lexicons.get(request.params.name).then(
        (found) => found.lexicon,
        (error: unknown) => {
          if (error instanceof LapwingError && error.code === "LEXICON_NOT_FOUND") return undefined;
          throw error;
        },
      );
      const { entries, names } = request.body;
      return tryLexiconChange(current, { entries, ...(names !== undefined ? { names } : {}) }, request.body.texts, readVocabulary);
    },
  );

  app.delete("/lexicons/:name", { config, schema: { summary: "Delete a stored lexicon", tags, params, response: { 204: z.null() } } }, async (request, reply) => {
    await lexicons.remove(request.params.name, actorOf(request));
    await lexiconRegistry.catchUp();
    return reply.status(204).send(null);
  });
};
