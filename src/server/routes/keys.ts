import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { apiScopes } from "../../auth/index.js";
import type { Services } from "../../services.js";
import { actorOf } from "../authenticate.js";

const keyInfo = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(z.enum(apiScopes)),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

export const keyRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const config = { scope: "admin" as const };
  const tags = ["keys"];

  app.get("/keys", { config, schema: { summary: "List API keys (never their secrets)", tags, response: { 200: z.object({ keys: z.array(keyInfo) }) } } }, async () => ({
    keys: await services.keys.list(),
  }));

  app.post(
    "/keys",
    {
      config,
      schema: {
        summary: "Create an API key; the secret is in this response only",
        tags,
        body: z.object({ name: z.string().min(1).max(200), scopes: z.array(z.enum(apiScopes)).min(1) }),
        response: { 201: keyInfo.extend({ secret: z.string() }) },
      },
    },
    async (request, reply) => reply.status(201).send(await services.keys.create(request.body.name, request.body.scopes, actorOf(request))),
  );

  app.delete(
    "/keys/:id",
    { config, schema: { summary: "Revoke an API key", tags, params: z.object({ id: z.string() }), response: { 200: keyInfo } } },
    async (request) => services.keys.revoke(request.params.id, actorOf(request)),
  );
};
