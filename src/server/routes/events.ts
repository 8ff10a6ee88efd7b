import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { eventBatch, eventTypes, maxEventBatch, platformIdField, scopedKey } from "../../events/index.js";
import type { Services } from "../../services.js";
import { viewerOf } from "../authenticate.js";

const storedEvent = z.object({
  id: z.string(),
  type: z.enum(eventTypes),
  platformId: z.string().nullable(),
  subjectId: z.string().nullable().describe("What the event is about: the account, post or comment, or a report's target"),
  actorId: z.string().nullable().describe("Who acted: author, follower, reporter"),
  occurredAt: z.string(),
  receivedAt: z.string(),
  state: z.enum(["pending", "processed"]),
  processedAt: z.string().nullable(),
  signals: z
    .array(z.record(z.string(), z.unknown()))
    .nullable()
    .describe("What processing found (null until processed): `text` lexicon/advert findings, `media.match` hash matches, `media.unchecked` media that could not be checked and why; `field` points into the event"),
  event: z.record(z.string(), z.unknown()).describe("The event as stored; inline media bytes are replaced by their hashes once processed"),
  decision: z
    .object({
      id: z.string(),
      policyVersion: z.number().int(),
      kinds: z.array(z.string()),
      reviewPriority: z.string().nullable(),
      decisions: z.array(z.unknown()),
      shadow: z.array(z.unknown()),
      signals: z.array(z.unknown()),
      createdAt: z.string(),
    })
    .nullable()
    .describe("What the policies decided about it (null until processed, or when it had no policy signals): the signals, the policy-set version, enforced and shadow decisions"),
});

/**
 * Event ingestion: `POST /v1/events` (scope `ingest`) stores a batch durably
 * and idempotently and queues it for processing; `GET /v1/events/:id`
 * (admin) shows a stored event, its processing state and its signals.
 */
export const eventRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const { events } = services;
  const tags = ["events"];

  app.post(
    "/events",
    {
      config: { scope: "ingest" },
      schema: {
        summary: `Send a batch of up to ${maxEventBatch} platform events; answers once they are stored`,
        description:
          "Accounts, posts, comments, follows, interactions (metadata only, never message bodies), user reports and the platform's own moderation outcomes; see docs/events.md. " +
          "One invalid event refuses the whole batch (400, `pointer` names the field, e.g. /events/3/type) and stores nothing. " +
          "Events whose `id` is already stored for the same `platform_id` are counted as duplicates and change nothing, so a batch can be re-sent safely after a timeout; ids are unique per platform, so the same `id` from another platform is another event (docs/tenancy.md). " +
          "The answer comes after the commit: an accepted event survives a crash, and is processed into signals by a worker.",
        tags,
        body: eventBatch,
        response: { 202: z.object({ accepted: z.number().int(), duplicates: z.number().int() }) },
      },
    },
    async (request, reply) => reply.status(202).send(await events.accept(request.body.events)),
  );

  app.get(
    "/events/:id",
    {
      // Signals may name hash matches against known abuse material: admins and child-safety reviewers only.
      config: { scope: "admin", roles: ["admin", "child_safety_reviewer"] },
      schema: {
        summary: "Get a stored event with its processing state, signals and the policy decision about it",
        description:
          "Event ids are unique per platform: `platform_id` names the platform that sent the event (absent: the default platform, events sent without one). " +
          "An event whose decision went into a restricted (child-safety) case, or whose signals hold a CSAM match, reads as 404 to everyone but child-safety reviewers.",
        tags,
        params: z.object({ id: z.string().min(1).describe("The platform's event id") }),
        querystring: z.object({ platform_id: platformIdField.optional().describe("The platform that sent the event; absent for the default platform") }),
        response: { 200: storedEvent },
      },
    },
    async (request) => {
      // An event that names a restricted case reads as missing to anyone but a child-safety reviewer, like the case itself.
      const key = scopedKey(request.query.platform_id, request.params.id);
      if (!viewerOf(request).canSeeRestricted && (await services.enforcement.isEventRestricted(key))) throw events.notFound(key);
      const stored = await events.get(key);
      const decision = (await services.enforcement.decisionForEvent(key)) ?? null;
      return { ...stored, signals: stored.signals as unknown as Array<Record<string, unknown>> | null, event: stored.event as unknown as Record<string, unknown>, decision };
    },
  );
};
