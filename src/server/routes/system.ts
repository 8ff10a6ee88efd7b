import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { sql } from "kysely";
import { z } from "zod";
import type { Services } from "../../services.js";
import type { Metrics } from "../metrics.js";
import { hashQuery } from "./media.js";
import { referencePage, referencePageCsp } from "./reference-page.js";

/**
 * Paths whose request body is raw media bytes (parsed by a content-type
 * parser, not a zod body schema), with the JSON alternative where there is one;
 * the generated document is told so.
 */
const binaryBodyPaths: Record<string, z.ZodType | undefined> = { "/v1/media/hash": undefined, "/v1/media/check": hashQuery, "/v1/evidence/preservations/{id}": undefined };

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

  // The API document and its rendered reference hold no secrets: no key needed, so a new user can read them first.
  app.get("/openapi.json", { config: { scope: "public" }, schema: { hide: true } }, async () => {
    const document = app.swagger() as { paths?: Record<string, Record<string, Record<string, unknown>>> };
    for (const [path, jsonAlternative] of Object.entries(binaryBodyPaths)) {
      const post = document.paths?.[path]?.post;
      if (!post) continue;
      post.requestBody = {
        required: true,
        description: "The media file's bytes (JPEG, PNG, WebP, GIF, TIFF, AVIF, BMP), as application/octet-stream or image/*." + (jsonAlternative ? " Or a JSON object of hashes you computed." : ""),
        content: {
          "application/octet-stream": { schema: { type: "string", format: "binary" } },
          "image/*": { schema: { type: "string", format: "binary" } },
          ...(jsonAlternative ? { "application/json": { schema: z.toJSONSchema(jsonAlternative, { target: "openapi-3.0" }) } } : {}),
        },
      };
    }
    return document;
  });

  app.get("/docs", { config: { scope: "public" }, schema: { hide: true } }, async (_request, reply) => {
    return reply.type("text/html; charset=utf-8").header("content-security-policy", referencePageCsp).send(referencePage);
  });

  app.get("/metrics", { config: { scope: "any" }, schema: { hide: true } }, async (_request, reply) => {
    metrics.indexedHashes.set(services.liveIndex.size);
    const pool = services.mediaPool.stats;
    for (const state of ["busy", "queued", "waiting"] as const) metrics.mediaHashing.set({ state }, pool[state]);
    metrics.mediaThreadsReplaced.set(pool.replaced);
    const age = services.liveIndex.staleMs;
    metrics.indexLagSeconds.set(Number.isFinite(age) ? age / 1000 : -1);
    for (const q of await services.queue.stats()) {
      for (const state of ["ready", "running", "done", "dead"] as const) metrics.queueJobs.set({ queue: q.queue, state }, q[state]);
      metrics.queueOldestReadySeconds.set({ queue: q.queue }, (q.oldestReadyAgeMs ?? 0) / 1000);
    }
    metrics.casesUndecided.reset();
    for (const { state, count } of await services.cases.countUndecided()) metrics.casesUndecided.set({ state }, count);
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
};
