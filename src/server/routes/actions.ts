import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { actionKinds, targetTypes } from "../../actions/index.js";
import type { Services } from "../../services.js";
import { actorOf, viewerOf } from "../authenticate.js";
import { scopedKey } from "../../events/index.js";
import { accountPlatformField, accountPlatformParam, seqCursor } from "./schemas.js";

export const actionSchema = z
  .object({
    id: z.string().describe("Stable across retries and replays: the `idempotency-key` of every delivery"),
    seq: z.number().int().describe("Feed position; poll with `after=<the last seq you applied>`"),
    kind: z.enum(actionKinds),
    accountId: z.string().describe("The platform's account id"),
    platformId: accountPlatformField.describe("The platform of the account and target, when it is not the default platform: route the action to it (docs/tenancy.md)"),
    target: z.object({ type: z.enum(targetTypes), id: z.string() }),
    caseId: z.string().nullable(),
    decisionId: z.string().nullable().describe("The automated decision behind it; null for a reviewer's action"),
    reverses: z.string().nullable().describe("For a reversal (`content.release`, `account.unsuspend`): the action it undoes"),
    actor: z.string().describe("`system` for policies, `user:<id>` for reviewers"),
    reason: z.string().describe("For an action of a restricted (child-safety) case, a fixed sentence unless you are a child-safety reviewer; caseId and decisionId are then null"),
    details: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
    deliveredAt: z.string().nullable().describe("First successful webhook delivery; null when undelivered or webhooks are off"),
  })
  .describe("Something Lapwing asks the platform to do; docs/actions.md");

/**
 * The action feed: platforms without webhooks poll `GET /v1/actions?after=`
 * (scope `ingest`, the key they send events with); admins replay webhook
 * deliveries.
 */
export const actionRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const { actions } = services;
  const tags = ["actions"];

  app.get(
    "/actions",
    {
      config: { scope: "ingest" },
      schema: {
        summary: "Actions after a cursor, oldest first: the polling alternative to webhooks",
        description:
          "Start with `after=0`, apply the actions in order, and store `next` as your cursor. Actions are never changed or removed, and commit in `seq` order, so polling never skips one. Apply each action once by its `id`.",
        tags,
        querystring: z.object({
          after: seqCursor.optional().describe("The `seq` (or `next`) you last applied; 0 or absent for the start"),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          account: z.string().min(1).max(200).optional().describe("Only this account's actions"),
          platform_id: accountPlatformParam.describe("The platform of `account`; absent for the default platform (docs/tenancy.md)"),
        }),
        response: { 200: z.object({ actions: z.array(actionSchema), next: z.number().int().describe("Pass as `after` to get the next page") }) },
      },
    },
    async (request) => {
      const { query } = request;
      // Actions are stored under the account's scoped key (src/events/tenancy.ts).
      const accountId = query.account === undefined ? undefined : scopedKey(query.platform_id, query.account);
      return actions.list({ after: query.after ?? 0, limit: query.limit, accountId }, viewerOf(request));
    },
  );

  app.get(
    "/actions/:id",
    {
      config: { scope: "ingest" },
      schema: { summary: "One action", tags, params: z.object({ id: z.string().min(1).max(100) }), response: { 200: actionSchema } },
    },
    async (request) => actions.get(request.params.id, viewerOf(request)),
  );

  app.post(
    "/actions/replay",
    {
      config: { scope: "admin" },
      schema: {
        summary: "Deliver actions again as webhooks (the platform lost them, or they were dead-lettered)",
        description:
          "Each replay is a new delivery of the unchanged action: same id, so a receiver that dedupes on `idempotency-key` applies it once. Queued whatever this server's settings: any Lapwing process with LAPWING_WEBHOOK_URL set sends it.",
        tags,
        body: z.object({ ids: z.array(z.string().min(1).max(100)).min(1).max(1000) }),
        response: { 202: z.object({ queued: z.number().int() }) },
      },
    },
    async (request, reply) => reply.status(202).send(await actions.replay(request.body.ids, actorOf(request))),
  );
};
