import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { contentKinds, MAX_CHECKED_TEXT_CHARS } from "../../lexicons/index.js";
import type { Services } from "../../services.js";
import { gateHit } from "./search.js";

// A text is checked whole or refused: the lexicon registry answers 413
// TEXT_TOO_LONG above its limit (issue 10, defect 8), so no schema cap here
// (one would answer 400 for some lengths and 413 for others).

const span = z.object({ start: z.number().int(), end: z.number().int(), text: z.string() });

export const textRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  app.post(
    "/text/check",
    {
      config: { scope: "check" },
      schema: {
        summary: "Check content text (post, bio, comment, username, display name, hashtag, or text read from an image) for lexicon terms and seller adverts",
        tags: ["text"],
        body: z.object({
          text: z.string().describe(`Checked whole: at most ${MAX_CHECKED_TEXT_CHARS} UTF-16 code units; a longer text gets 413 TEXT_TOO_LONG`),
          kind: z.enum(contentKinds),
        }),
        response: {
          200: z.object({
            verdict: z.enum(["allow", "review", "hold", "block"]),
            reasons: z.array(z.string()),
            hits: z.array(gateHit),
            advert: z.object({
              score: z.number(),
              level: z.enum(["none", "low", "review", "high"]),
              signals: z.array(z.object({ name: z.string(), weight: z.number(), explanation: z.string(), spans: z.array(span) })),
            }),
            isTruncated: z.boolean(),
          }),
        },
      },
    },
    async (request) => {
      const result = services.textCheck.check(request.body.text, request.body.kind);
      return { ...result, advert: { score: result.advert.score, level: result.advert.level, signals: result.advert.signals.map((s) => ({ ...s, spans: [...s.spans] })) } };
    },
  );
};
