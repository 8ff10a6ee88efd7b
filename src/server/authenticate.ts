import type { FastifyInstance, FastifyRequest } from "fastify";
import { grants, type ApiKeyInfo, type ApiKeyService, type ApiScope } from "../auth/index.js";
import { auditActor } from "../audit/index.js";
import { LapwingError } from "../errors/index.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The scope a route needs; `"any"` for any valid key, `"public"` for none (only /healthz). */
    scope?: ApiScope | "any" | "public";
  }
  interface FastifyRequest {
    apiKey?: ApiKeyInfo;
  }
}

/**
 * Every route needs a key unless it says `scope: "public"`; a route that
 * forgets to declare a scope needs `admin`, so forgetting fails closed.
 */
export function registerAuthentication(app: FastifyInstance, keys: ApiKeyService) {
  app.decorateRequest("apiKey", undefined);
  app.addHook("onRequest", async (request) => {
    const scope = request.routeOptions.config?.scope ?? "admin";
    if (scope === "public") return;
    const presented = readKey(request);
    if (!presented) {
      throw new LapwingError("UNAUTHENTICATED", "This endpoint needs an API key: send `Authorization: Bearer lw_…` (create one with `lapwing keys create`).");
    }
    const key = await keys.authenticate(presented);
    if (!key) throw new LapwingError("UNAUTHENTICATED", "The API key is unknown or revoked.");
    request.apiKey = key;
    if (scope !== "any" && !grants(key.scopes, scope)) {
      throw new LapwingError("FORBIDDEN", `This endpoint needs the "${scope}" scope; the key "${key.name}" has ${key.scopes.join(", ")}.`);
    }
  });
}

function readKey(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.toLowerCase().startsWith("bearer ")) return header.slice(7).trim();
  const alt = request.headers["x-api-key"];
  return typeof alt === "string" ? alt : undefined;
}

/** The audit-log actor for a request: the API key that made it. */
export function actorOf(request: FastifyRequest): string {
  return request.apiKey ? auditActor.key(request.apiKey.id, request.apiKey.name) : auditActor.system;
}
