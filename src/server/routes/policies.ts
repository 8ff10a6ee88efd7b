import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { checkPolicyText, decisionKinds, policyModes, reviewPriorities, signalKinds, type PolicyService, type SignalKind } from "../../policy/index.js";
import { actorOf } from "../authenticate.js";

// Policy sets are checked by the policy service (POLICY_INVALID with a JSON
// pointer into the set), not by zod here: one validator, one set of messages,
// the same for the API, the CLI and files. See docs/policies.md.
const policySetBody = z.record(z.string(), z.unknown()).describe("A policy set: {version: 1, policies: [...]} (docs/policies.md)");
const versionInfo = {
  version: z.number().int().describe("0 is the built-in default set"),
  createdAt: z.string().nullable(),
  createdBy: z.string(),
  isActive: z.boolean(),
  isBuiltIn: z.boolean(),
};
const policySet = z.object({
  version: z.number().int(),
  policies: z
    .array(
      z.object({
        id: z.string(),
        description: z.string(),
        when: z.unknown().describe("A condition: {all: [...]}, {any: [...]}, {not: ...} or {signal, where?, atLeast?}"),
        then: z.array(z.object({ decision: z.enum(decisionKinds), priority: z.enum(reviewPriorities).optional() })).readonly(),
        mode: z.enum(policyModes),
        priority: z.number().int(),
      }),
    )
    .readonly(),
});
const policySetVersion = z.object({ ...versionInfo, content: policySet });
const versionParams = z.object({ version: z.coerce.number().int().min(0) });
const decision = z.object({
  decision: z.enum(decisionKinds),
  priority: z.enum(reviewPriorities).optional(),
  policyId: z.string(),
  policyVersion: z.number().int(),
  mode: z.enum(policyModes),
  matchedSignals: z.array(z.object({ index: z.number().int(), type: z.enum(signalKinds as [SignalKind, ...SignalKind[]]), reason: z.string() })).readonly(),
  explanation: z.string(),
});

/**
 * Policy sets: read the active one, store a new version, list and read
 * versions, roll back, and dry-run signals. Admin only. Takes the policy
 * service as `services.policies`.
 */
export const policyRoutes: FastifyPluginAsyncZod<{ services: { policies: PolicyService } }> = async (app, { services }) => {
  const config = { scope: "admin" as const };
  const tags = ["policies"];
  const { policies } = services;

  app.get(
    "/policies",
    { config, schema: { summary: "The active policy set and its version (version 0: the built-in default)", tags, response: { 200: policySetVersion } } },
    async () => policies.active(),
  );

  app.put(
    "/policies",
    {
      config,
      schema: {
        summary: "Store a policy set as a new version and make it active",
        description: "The whole set is validated first (POLICY_INVALID with a JSON pointer to the first problem); a bad set never replaces a good one. Versions are immutable: decisions cite them.",
        tags,
        body: policySetBody,
        response: { 201: policySetVersion },
      },
    },
    async (request, reply) => reply.status(201).send(await policies.put(request.body, actorOf(request))),
  );

  app.post(
    "/policies/validate",
    {
      config,
      schema: {
        summary: "Check a policy set as an editor holds it (JSON text): valid, or the problem with its line and column",
        description: "Nothing is stored. A JSON syntax error is placed where the text stops being JSON; any other problem at the value its `pointer` names (or the object missing a field).",
        tags,
        body: z.object({ text: z.string().max(1_000_000) }),
        response: {
          200: z.object({
            valid: z.boolean(),
            policies: z.number().int().optional().describe("How many policies the valid set holds"),
            problems: z
              .array(z.object({ message: z.string(), pointer: z.string(), line: z.number().int(), column: z.number().int(), offset: z.number().int() }))
              .describe("Empty when valid; the first problem found otherwise"),
          }),
        },
      },
    },
    async (request) => {
      const result = checkPolicyText(request.body.text);
      return result.valid ? { valid: true, policies: result.policies, problems: [] } : { valid: false, problems: result.problems };
    },
  );

  app.get(
    "/policies/versions",
    {
      config,
      schema: {
        summary: "Every stored version, newest first, then the built-in set",
        tags,
        response: { 200: z.object({ versions: z.array(z.object({ ...versionInfo, policies: z.number().int(), shadowPolicies: z.number().int() })) }) },
      },
    },
    async () => ({ versions: await policies.history() }),
  );

  app.get(
    "/policies/versions/:version",
    { config, schema: { summary: "One policy-set version, as it was stored", tags, params: versionParams, response: { 200: policySetVersion } } },
    async (request) => policies.get(request.params.version),
  );

  app.post(
    "/policies/versions/:version/activate",
    { config, schema: { summary: "Make an earlier version active again (0: the built-in set)", tags, params: versionParams, response: { 200: policySetVersion } } },
    async (request) => policies.activate(request.params.version, actorOf(request)),
  );

  app.post(
    "/policies/evaluate",
    {
      config,
      schema: {
        summary: "Dry run: what the active set (or a draft) would decide for these signals; nothing is stored or acted on",
        description: "Signals are described in docs/policies.md. With `policies`, the draft set is evaluated instead of the active one and decisions cite version -1.",
        tags,
        body: z.object({
          signals: z.array(z.unknown()).max(1000),
          policies: policySetBody.optional(),
          subject: z.string().max(200).optional().describe("Who the signals are about, named in explanations"),
        }),
        response: { 200: z.object({ version: z.number().int(), decisions: z.array(decision).readonly(), shadow: z.array(decision).readonly() }) },
      },
    },
    async (request) => {
      const { signals, policies: draft, subject } = request.body;
      return policies.dryRun(signals, { draft, context: subject ? { subject } : {} });
    },
  );
};
