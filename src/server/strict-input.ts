import type { FastifyInstance } from "fastify";
import { z } from "zod";

/** The request parts whose unknown fields are refused rather than dropped. */
const strictParts = ["body", "querystring"] as const;

/**
 * Makes the top-level object of every route's body and query string strict,
 * so an unknown field or parameter is a 400 naming it (`/bogus is not a field
 * of this request`) instead of being dropped without a word: a misspelt
 * optional field (`?acount=`, `"ageband"`) would otherwise change the answer
 * silently. Applied to every route added after it, so routes added later
 * (network detection, the console) are strict without opting in; the OpenAPI
 * document shows `additionalProperties: false`. A route without a query-string
 * schema gets an empty strict one. Nested objects are the route
 * schema's own business (the event schema is strict throughout, docs/events.md).
 */
export function refuseUnknownFields(app: FastifyInstance): void {
  app.addHook("onRoute", (route) => {
    const schema = route.schema as Record<string, unknown> | undefined;
    if (!schema) return;
    // A route that takes no parameters refuses any, rather than ignoring them.
    if (schema.querystring === undefined) schema.querystring = z.strictObject({});
    for (const part of strictParts) {
      const shape = schema[part];
      if (shape instanceof z.ZodObject) schema[part] = shape.strict();
    }
  });
}
