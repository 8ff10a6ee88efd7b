import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { LapwingError } from "../../errors/index.js";
import { recommendationSurfaces, removalReasons, shownCluster, shownDetail, shownRanked, shownSeed, shownSeedResult, shownTarget } from "../../network/index.js";
import { platformEntityId, scopedKey } from "../../events/index.js";
import { isContentKey } from "../../network/index.js";
import { accountPlatformField, accountPlatformParam } from "./schemas.js";
import type { Services } from "../../services.js";
import { actorOf } from "../authenticate.js";

const accountId = platformEntityId.refine((id) => !isContentKey(id), "an account id, not a content key (post:… or comment:…)");

const ranked = z.object({
  account: z.string().describe("The platform's account id"),
  platformId: accountPlatformField,
  score: z.number().describe("0..1: graph, content and ban-evasion evidence combined (docs/network.md)"),
  cluster: z.number().int().nullable().describe("The cluster among suspected accounts, or null"),
  explanation: z.array(z.string()).describe("Sentences a reviewer can check, strongest evidence first"),
});

const detail = ranked.extend({
  role: z.enum(["seed", "cleared", "suspected", "candidate", "target", "account"]),
  graphScore: z.number(),
  contentScore: z.number(),
  linkScore: z.number(),
  isMinor: z.boolean().describe("Marked or reading as a minor: never scored through who follows it"),
  links: z.array(z.object({ account: z.string(), platformId: accountPlatformField, strength: z.number(), explanations: z.array(z.string()) })).describe("Ban-evasion links to suspected, seeded or actioned accounts"),
  neighbourhood: z.object({
    follows: z.array(z.object({ account: z.string(), score: z.number(), mutual: z.boolean() })),
    followedBy: z.array(z.object({ account: z.string(), score: z.number() })),
  }),
});

const seedResult = z.object({ results: z.array(z.object({ account: z.string(), platformId: accountPlatformField, changed: z.boolean() })) });

/** `?platform_id=` beside an account id in the path (docs/tenancy.md). */
const platformQuery = z.object({ platform_id: accountPlatformParam });

/**
 * Network detection for child-safety reviewers (and admin keys): ranked
 * candidates, one account's evidence, clusters, targeted minors and seeds;
 * and the recommender guard for platforms (scope `check`).
 */
export const networkRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const { network } = services;
  const tags = ["network"];
  // Reviewers' reads bring the graph up to date first (cheap when nothing changed); the guard, on the
  // platform's hot path, reads the snapshot the background refresh keeps current.
  const childSafety = { scope: "admin" as const, roles: ["child_safety_reviewer"] as const };

  app.get(
    "/network/candidates",
    {
      config: childSafety,
      schema: {
        summary: "Accounts ranked by network score, highest first",
        tags,
        querystring: z.strictObject({
          limit: z.coerce.number().int().min(1).max(5000).default(100),
          minScore: z.coerce.number().min(0).max(1).default(0.01),
        }),
        response: { 200: z.object({ builtAt: z.string(), seeds: z.number().int(), candidates: z.array(ranked) }) },
      },
    },
    async (request) => {
      const snapshot = await network.refresh();
      const candidates = snapshot.ranked.filter((r) => r.score >= request.query.minScore).slice(0, request.query.limit);
      return { builtAt: snapshot.builtAt, seeds: snapshot.seeds, candidates: candidates.map(shownRanked) };
    },
  );

  app.get(
    "/network/accounts/:id",
    {
      config: childSafety,
      schema: { summary: "One account: score, role, explanation, links and suspected neighbours", tags, params: z.object({ id: accountId }), querystring: platformQuery, response: { 200: detail } },
    },
    async (request) => {
      const { platform_id } = request.query;
      const found = (await network.refresh()).detail(scopedKey(platform_id, request.params.id));
      if (!found) throw new LapwingError("NOT_FOUND", `Lapwing has no edge, profile or seed for account "${request.params.id}"${platform_id ? ` on platform "${platform_id}"` : ""}.`);
      return shownDetail(found);
    },
  );

  app.get(
    "/network/clusters",
    {
      config: childSafety,
      schema: {
        summary: "Clusters among suspected accounts, with their members",
        tags,
        response: { 200: z.object({ clusters: z.array(z.object({ id: z.number().int(), size: z.number().int(), seeds: z.number().int(), members: z.array(z.object({ account: z.string(), platformId: accountPlatformField, score: z.number() })) })) }) },
      },
    },
    async () => ({ clusters: (await network.refresh()).clusters.map(shownCluster) }),
  );

  app.get(
    "/network/targets",
    {
      config: childSafety,
      schema: {
        summary: "Minors followed by several suspected accounts: to safeguard",
        tags,
        response: { 200: z.object({ targets: z.array(z.object({ account: z.string(), platformId: accountPlatformField, suspectedFollowers: z.array(z.string()).describe("Accounts of the target's platform") })) }) },
      },
    },
    async () => ({ targets: (await network.refresh()).targets.map(shownTarget) }),
  );

  app.get(
    "/network/seeds",
    {
      config: childSafety,
      schema: {
        summary: "Seeds and cleared accounts named by operators",
        tags,
        response: { 200: z.object({ seeds: z.array(z.object({ account: z.string(), platformId: accountPlatformField, polarity: z.string(), reason: z.string(), actor: z.string(), createdAt: z.string() })) }) },
      },
    },
    async () => ({ seeds: (await network.listSeeds()).map(shownSeed) }),
  );

  app.post(
    "/network/seeds",
    {
      config: childSafety,
      schema: {
        summary: "Name accounts as seeds (or, with polarity negative, as cleared); audited",
        tags,
        body: z.strictObject({
          accounts: z.array(accountId).min(1).max(1000),
          platform_id: accountPlatformParam.describe("The platform of the accounts named; absent for the default platform (docs/tenancy.md)"),
          reason: z.string().min(1).max(2000),
          polarity: z.enum(["seed", "negative"]).default("seed"),
        }),
        response: { 200: seedResult },
      },
    },
    async (request) => {
      const { reason, polarity, platform_id } = request.body;
      const accounts = request.body.accounts.map((id) => scopedKey(platform_id, id));
      const results = polarity === "seed" ? await network.seed(accounts, reason, actorOf(request)) : await network.clear(accounts, reason, actorOf(request));
      return { results: results.map(shownSeedResult) };
    },
  );

  app.delete(
    "/network/seeds/:id",
    {
      config: childSafety,
      schema: { summary: "Forget what an operator said about an account; audited", tags, params: z.object({ id: accountId }), querystring: platformQuery, response: { 200: seedResult } },
    },
    async (request) => {
      const results = await network.unseed([scopedKey(request.query.platform_id, request.params.id)], actorOf(request));
      return { results: results.map(shownSeedResult) };
    },
  );

  app.post(
    "/recommendations/filter",
    {
      config: { scope: "check" },
      schema: {
        summary: "The recommender guard: remove candidates that would connect a viewer to an abuse network or expose a child",
        description: `Returns the candidates to keep, in input order, and the removed ones with a reason: ${Object.entries(removalReasons)
          .map(([k, v]) => `\`${k}\` (${v})`)
          .join("; ")}.`,
        tags: ["recommendations"],
        body: z.strictObject({
          viewer: accountId.describe("The account the recommendations are for"),
          platform_id: accountPlatformParam.describe("The platform of the viewer and the candidates; absent for the default platform (docs/tenancy.md)"),
          surface: z.enum(recommendationSurfaces),
          candidates: z.array(z.string().min(1).max(500)).max(5000).describe("Account ids, post ids or hashtags, as the surface says"),
        }),
        response: {
          200: z.object({
            viewer: z.string(),
            kept: z.array(z.string()),
            removed: z.array(z.object({ id: z.string(), reason: z.enum(Object.keys(removalReasons) as [keyof typeof removalReasons, ...(keyof typeof removalReasons)[]]) })),
          }),
        },
      },
    },
    async (request) => {
      const { platform_id, ...rest } = request.body;
      return network.guard({ ...rest, ...(platform_id === undefined ? {} : { platformId: platform_id }) }, await network.current());
    },
  );
};
