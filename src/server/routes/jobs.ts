import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Services } from "../../services.js";
import { idCursor } from "./schemas.js";

const job = z.object({
  id: z.string(),
  queue: z.string(),
  key: z.string(),
  // Payloads are references (an event id), never content; shown so an admin can see what failed.
  payload: z.unknown(),
  state: z.enum(["ready", "running", "done", "dead"]),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  runAt: z.string(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

/** The durable job queue as admins see it: depth per state, and the dead-letter list with a retry. */
export const jobRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const config = { scope: "admin" as const };
  const tags = ["jobs"];

  app.get(
    "/jobs/stats",
    {
      config,
      schema: {
        summary: "Jobs per queue and state, and how long the oldest due job has waited",
        tags,
        response: { 200: z.object({ queues: z.array(z.object({ queue: z.string(), ready: z.number(), running: z.number(), done: z.number(), dead: z.number(), oldestReadyAgeMs: z.number().nullable() })) }) },
      },
    },
    async () => ({ queues: await services.queue.stats() }),
  );

  app.get(
    "/jobs/dead",
    {
      config,
      schema: {
        summary: "Dead-lettered jobs of a queue: failed on every attempt, waiting for a person",
        tags,
        querystring: z.object({ queue: z.string().min(1).max(100), after: idCursor.optional().describe("The id of the last job of the previous page"), limit: z.coerce.number().int().min(1).max(1000).default(100) }),
        response: { 200: z.object({ jobs: z.array(job) }) },
      },
    },
    async (request) => ({ jobs: await services.queue.listDead(request.query.queue, { after: request.query.after, limit: request.query.limit }) }),
  );

  app.post(
    "/jobs/:id/retry",
    {
      config,
      schema: { summary: "Put a dead job back in its queue, with its attempts reset", tags, params: z.object({ id: z.string().min(1).max(100) }), response: { 200: job } },
    },
    async (request) => services.queue.retryDead(request.params.id),
  );
};
