import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { sql } from "kysely";
import { z } from "zod";
import type { Services } from "../../services.js";
import type { Metrics } from "../metrics.js";

/** Paths whose request body is raw media bytes; the generated document is told so. */
const binaryBodyPaths = ["/v1/media/hash", "/v1/media/check"];

export const systemRoutes: FastifyPluginAsyncZod<{ services: Services; metrics: Metrics }> = async (app, { services, metrics }) => {
  app.get(
    "/healthz",
    {
      config: { scope: "public" },
      schema: {
        summary: "Liveness and readiness (no key needed)",
        tags: ["system"],
        security: [],
        response: {
          200: z.object({ status: z.literal("ok"), database: z.literal("ok"), pdqIndex: z.object({ hashes: z.number(), syncAgeMs: z.number().nullable() }) }),
          503: z.object({ status: z.literal("unavailable"), reason: z.string() }),
        },
      },
    },
    async (_request, reply) => {
      try {
        await sql`select 1`.execute(services.store.db);
      } catch {
        return reply.status(503).send({ status: "unavailable", reason: "database unreachable" });
      }
      const age = services.liveIndex.staleMs;
      return { status: "ok" as const, database: "ok" as const, pdqIndex: { hashes: services.liveIndex.size, syncAgeMs: Number.isFinite(age) ? age : null } };
    },
  );

  app.get("/openapi.json", { config: { scope: "any" }, schema: { hide: true } }, async () => {
    const document = app.swagger() as { paths?: Record<string, Record<string, Record<string, unknown>>> };
    for (const path of binaryBodyPaths) {
      const post = document.paths?.[path]?.post;
      if (!post) continue;
      const existing = (post.requestBody as { content?: Record<string, unknown> } | undefined)?.content ?? {};
      post.requestBody = {
        required: true,
        description: "The media file's bytes (JPEG, PNG, WebP, GIF, TIFF, AVIF, BMP)." + (path.endsWith("check") ? " Or a JSON object of hashes." : ""),
        content: { "application/octet-stream": { schema: { type: "string", format: "binary" } }, ...existing },
      };
    }
    return document;
  });

  app.get("/metrics", { config: { scope: "any" }, schema: { hide: true } }, async (_request, reply) => {
    metrics.indexedHashes.set(services.liveIndex.size);
    const age = services.liveIndex.staleMs;
    metrics.indexLagSeconds.set(Number.isFinite(age) ? age / 1000 : -1);
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
};
