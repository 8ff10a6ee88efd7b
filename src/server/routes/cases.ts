import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { caseStates, reviewerDecisions, type CaseQuery, type CaseState, type Reviewer } from "../../cases/index.js";
import { LapwingError } from "../../errors/index.js";
import { industryClassifications } from "../../reports/index.js";
import { reportAnnotations } from "../../safeguarding/index.js";
import { reviewPriorities, signalKinds, type ReviewPriority } from "../../policy/index.js";
import type { Services } from "../../services.js";
import { actorOf, viewerOf } from "../authenticate.js";
import { actionSchema } from "./actions.js";
import { accountPlatformField, accountPlatformParam } from "./schemas.js";
import { scopedKey } from "../../events/index.js";

const caseSummary = z.object({
  id: z.string(),
  accountId: z.string().describe("The platform's account id (or `post:<id>` for reported content whose author Lapwing has not seen)"),
  platformId: accountPlatformField,
  state: z.enum(caseStates).describe("A claim past its expiry reads as `open` (or `escalated`) again"),
  priority: z.enum(reviewPriorities),
  restricted: z.boolean().describe("Holds a child sexual abuse signal: only child-safety reviewers see it"),
  reportRequested: z.boolean().describe("A policy asked for a CyberTipline report"),
  decisionCount: z.number().int(),
  openedAt: z.string(),
  updatedAt: z.string(),
  ageSeconds: z.number().int(),
  claimedBy: z.string().nullable(),
  claimExpiresAt: z.string().nullable(),
  escalated: z.boolean(),
  decidedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
  outcome: z.enum(reviewerDecisions).nullable(),
  outcomeCategory: z.string().nullable(),
  note: z.string().nullable(),
  victim: z
    .object({ accountId: z.string(), ageBand: z.string().nullable(), ageBasis: z.string().nullable() })
    .nullable()
    .describe("The young person the report names as the victim (set by a confirm or safeguard decision when the subject appears to be a minor)"),
  annotations: z.array(z.string()).describe("Report annotations set with the decision (sextortion, possible_self_production, targeted_by_network, …)"),
});

const historyEntry = z.object({ at: z.string(), actor: z.string(), kind: z.string(), details: z.record(z.string(), z.unknown()) });

const caseAccount = z
  .object({
    id: z.string(),
    handle: z.string().nullable(),
    displayName: z.string().nullable(),
    bio: z.string().nullable(),
    ageBand: z.string().nullable().describe("The platform's age band (under_13, 13_15, 16_17, 18_plus, unknown)"),
    ageSource: z.string().nullable().describe("declared or estimated"),
    earlierHandles: z.array(z.string()).describe("Handles the account had before, newest first"),
    updatedAt: z.string().describe("The platform's time of the newest profile event"),
  })
  .describe("The account as its profile events describe it; null when the platform sent none");

const caseCounts = z
  .object({
    total: z.number().int(),
    byState: z.object(Object.fromEntries(caseStates.map((s) => [s, z.number().int()])) as Record<CaseState, z.ZodNumber>),
    byPriority: z.object(Object.fromEntries(reviewPriorities.map((p) => [p, z.number().int()])) as Record<(typeof reviewPriorities)[number], z.ZodNumber>),
  })
  .describe("How many cases the filters select, paging aside");

/** The queue's filters, shared by listing and claiming the next case. */
const queueFilters = {
  priority: z.enum(reviewPriorities).optional().describe("This priority or more urgent"),
  account: z.string().min(1).max(200).optional(),
  platform_id: accountPlatformParam.describe("The platform of `account`; absent for the default platform (docs/tenancy.md)"),
  signal: z.enum(signalKinds as [string, ...string[]]).optional().describe("Cases with a signal of this type"),
  policy: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,79}$/, "a policy id: lower-case letters, digits and hyphens")
    .optional()
    .describe("Cases with a decision this enforced policy made"),
  restricted: z.enum(["true", "false"]).optional().describe("Only restricted (child sexual abuse) cases, or only the others; restricted cases are only ever shown to child-safety reviewers"),
};

const caseDetail = caseSummary.extend({
  safeguarding: z
    .object({
      offered: z.boolean().describe("The subject appears to be a minor and there is evidence of exploitation risk: a safeguard decision is offered"),
      isMinor: z.boolean(),
      victim: z.object({ accountId: z.string(), ageBand: z.string().nullable(), ageBasis: z.string().nullable() }).nullable(),
      annotations: z.array(z.string()),
      reasons: z.array(z.string()),
    })
    .describe("Whether this case offers a safeguarding decision, and why (docs/safeguarding.md)"),
  account: caseAccount.nullable(),
  accountCases: z.array(caseSummary).describe("The account's other cases you may see, newest first"),
  decisions: z
    .array(
      z.object({
        id: z.string(),
        eventId: z.string(),
        policyVersion: z.number().int().describe("The policy-set version that decided (0 = built-in default)"),
        kinds: z.array(z.string()),
        reviewPriority: z.string().nullable(),
        decisions: z.array(z.unknown()).describe("Each enforced decision with its policy, the signals that met it (by index) and a sentence why"),
        shadow: z.array(z.unknown()).describe("What shadow-mode policies would have decided; never acted on"),
        signals: z.array(z.unknown()).describe("The signals evaluated"),
        texts: z
          .array(z.object({ field: z.string().describe("A JSON pointer into the event, as signals name it (/account/bio)"), text: z.string() }))
          .describe("The event's texts as the detectors read them: a signal's evidence spans index into the text of its field"),
        createdAt: z.string(),
      }),
    )
    .describe("The automated decisions gathered in this case, oldest first"),
  actions: z.array(actionSchema),
  history: z.array(historyEntry),
});

const decideBody = z.object({
  decision: z.enum(reviewerDecisions),
  category: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,49}$/, "lower-case letters, digits, _ or -")
    .optional()
    .describe("Required for confirm: what you found (csam, grooming, seller_advert, …)"),
  note: z.string().max(2000).optional(),
  annotations: z.array(z.enum(reportAnnotations)).max(20).optional().describe("Report annotations to add (confirm and safeguard only)"),
  industryClassification: z
    .enum(industryClassifications)
    .optional()
    .describe("Confirm only: the content's industry classification (A prepubescent, B pubescent; 1 sex act, 2 lascivious exhibition), sent with each report file"),
});

const caseId = z.object({ id: z.string().min(1).max(100) });

function statesOf(state: string | undefined): CaseState[] | undefined {
  const states = state?.split(",").filter((s) => s !== "");
  const unknown = states?.find((s) => !(caseStates as readonly string[]).includes(s));
  if (unknown) throw new LapwingError("VALIDATION_FAILED", `state "${unknown}" is not one of ${caseStates.join(", ")}.`, { pointer: "/state" });
  return states as CaseState[] | undefined;
}

function filtersOf(input: { priority?: ReviewPriority; account?: string; platform_id?: string; signal?: string; policy?: string; restricted?: "true" | "false" | boolean }): CaseQuery {
  return {
    priority: input.priority,
    // Cases are stored under the account's scoped key (src/events/tenancy.ts).
    accountId: input.account === undefined ? undefined : scopedKey(input.platform_id, input.account),
    signalType: input.signal,
    policyId: input.policy,
    restricted: input.restricted === undefined ? undefined : input.restricted === true || input.restricted === "true",
  };
}
const reviewers = ["admin", "child_safety_reviewer", "moderator"] as const;

/** The caller as a reviewer; API keys (no role) never see restricted cases. */
function reviewerOf(request: FastifyRequest): Reviewer {
  return { actor: actorOf(request), ...viewerOf(request) };
}

/**
 * The review queue: list, open, claim, release and decide cases, singly or
 * in bulk. People (and admin keys) only; restricted cases are visible to
 * child-safety reviewers alone.
 */
export const caseRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const { cases } = services;
  const tags = ["cases"];
  const read = { scope: "admin" as const, roles: [...reviewers, "viewer"] as const };
  const write = { scope: "admin" as const, roles: reviewers };

  app.get(
    "/cases",
    {
      config: read,
      schema: {
        summary: "The review queue: most urgent first, then oldest",
        tags,
        querystring: z.object({
          state: z
            .string()
            .regex(/^[a-z,]+$/)
            .optional()
            .describe(`Comma-separated states (${caseStates.join(", ")}); default: every undecided case`),
          ...queueFilters,
          assignee: z
            .string()
            .min(1)
            .max(200)
            .optional()
            .describe("`me` for the cases you hold, `none` for cases nobody holds, or an actor (`user:<id>`) for theirs"),
          limit: z.coerce.number().int().min(1).max(500).default(50),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: { 200: z.object({ cases: z.array(caseSummary), counts: caseCounts }) },
      },
    },
    async (request) => {
      const { query } = request;
      const reviewer = reviewerOf(request);
      return cases.list(reviewer, {
        ...filtersOf(query),
        states: statesOf(query.state),
        claimedBy: query.assignee === undefined ? undefined : query.assignee === "none" ? null : query.assignee === "me" ? reviewer.actor : query.assignee,
        limit: query.limit,
        offset: query.offset,
      });
    },
  );

  app.post(
    "/cases/next",
    {
      config: write,
      schema: {
        summary: "Claim the next case of the queue: the most urgent, then oldest, that nobody holds (among the filters given)",
        description: "Exclusive: two reviewers asking at once get different cases. Answers `{case: null}` when no case is free.",
        tags,
        // Strict here: wrapped in a default, the body is not a plain object for strict-input.ts to make strict.
        body: z
          .strictObject({
            state: z.enum(["open", "escalated"]).optional().describe("Only open, or only escalated, cases (default: both)"),
            ...queueFilters,
            restricted: z.boolean().optional().describe("Only restricted cases, or only the others"),
          })
          .default({}),
        response: { 200: z.object({ case: caseSummary.nullable() }) },
      },
    },
    async (request) => {
      const body = request.body;
      return { case: await cases.claimNext(reviewerOf(request), { ...filtersOf(body), states: body.state ? [body.state] : undefined }) };
    },
  );

  app.get(
    "/cases/:id",
    { config: read, schema: { summary: "A case with its decisions (signals, policy version), actions and history", tags, params: caseId, response: { 200: caseDetail } } },
    async (request) => cases.get(request.params.id, reviewerOf(request)),
  );

  app.get(
    "/cases/:id/history",
    { config: read, schema: { summary: "Everything that happened to a case, oldest first", tags, params: caseId, response: { 200: z.object({ history: z.array(historyEntry) }) } } },
    async (request) => ({ history: await cases.history(request.params.id, reviewerOf(request)) }),
  );

  app.post(
    "/cases/:id/claim",
    {
      config: write,
      schema: {
        summary: "Claim a case: nobody else may decide it until you release it or the claim expires",
        description: "Claiming a case you already hold extends the claim. 409 CASE_CLAIMED names who holds it and until when.",
        tags,
        params: caseId,
        response: { 200: caseSummary },
      },
    },
    async (request) => cases.claim(request.params.id, reviewerOf(request)),
  );

  app.post(
    "/cases/:id/release",
    { config: write, schema: { summary: "Give a claimed case back to the queue", tags, params: caseId, response: { 200: caseSummary } } },
    async (request) => cases.release(request.params.id, reviewerOf(request)),
  );

  app.post(
    "/cases/:id/decision",
    {
      config: write,
      schema: {
        summary: "Decide a case you have claimed",
        description:
          "`confirm` (with `category`) turns holds and blocks into removals and keeps suspensions; `dismiss` reverses every automated action (content released, suspension lifted); " +
          "`escalate` returns the case to the queue as urgent; `safeguard` sends help resources to an account holder who appears to be a minor, lifts their suspension and removes held content. " +
          "The actions are emitted in the same transaction as the decision.",
        tags,
        params: caseId,
        body: decideBody,
        response: { 200: z.object({ case: caseSummary, actions: z.array(actionSchema) }) },
      },
    },
    async (request) => cases.decide(request.params.id, reviewerOf(request), request.body),
  );

  app.post(
    "/cases/decisions",
    {
      config: write,
      schema: {
        summary: "One decision for many cases: by id, or the undecided cases of a set of related accounts",
        description: "Each case is decided on its own; one another reviewer holds, or already decided, is reported with its error code and skipped.",
        tags,
        body: decideBody.extend({
          caseIds: z.array(z.string().min(1).max(100)).max(500).optional(),
          accountIds: z.array(z.string().min(1).max(200)).max(500).optional(),
          platform_id: accountPlatformParam.describe("The platform of the accounts in accountIds; absent for the default platform"),
        }),
        response: {
          200: z.object({
            results: z.array(z.object({ caseId: z.string(), ok: z.boolean(), actions: z.number().int().optional(), code: z.string().optional(), message: z.string().optional() })),
          }),
        },
      },
    },
    async (request) => {
      const { caseIds, accountIds, platform_id, ...decision } = request.body;
      return cases.decideMany(reviewerOf(request), { caseIds, accountIds: accountIds?.map((id) => scopedKey(platform_id, id)) }, decision);
    },
  );
};
