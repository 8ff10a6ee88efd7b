import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { contentKinds } from "../../lexicons/index.js";
import type { Services } from "../../services.js";
import { gateHit } from "./search.js";

// Texts longer than this are refused by the JSON body limit anyway; the
// matcher itself reads at most its maxChars and reports isTruncated.
const maxTextChars = 1_000_000;

const span = z.object({ start: z.number().int(), end: z.number().int(), text: z.string() });

export const textRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  app.post(
    "/text/check",
    {
      config: { scope: "check" },
      schema: {
        summary: "Check content text (post, bio, comment, username, display name, hashtag, or text read from an image) for lexicon terms and seller adverts",
        tags: ["text"],
        body: z.object({ text: z.string().max(maxTextChars), kind: z.enum(contentKinds) }),
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
