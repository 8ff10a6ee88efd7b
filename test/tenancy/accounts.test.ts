// Account ids are per platform (docs/tenancy.md, "Accounts"): events about account 42 from two
// platforms are about two accounts, with two cases, two graph nodes and two network scores, and every
// answer names the platform beside a non-default platform's account. The default platform's answers
// keep their shape: no `platformId` field at all. On both backends.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Kysely } from "kysely";
import type { Reviewer } from "../../src/cases/index.js";
import { loadConfig } from "../../src/config/index.js";
import { createEventProcessor, createEventRepository, scopedKey, type EventTables } from "../../src/events/index.js";
import { shownRanked } from "../../src/network/index.js";
import { createServices } from "../../src/services.js";
import { databaseId, type Store } from "../../src/store/index.js";
import { dialects, withStore } from "../../src/store/testing.js";

// A synthetic stand-in word, blocked by the test's own lexicon.
const standIn = "vornaxle";
const forum = "forum.example";
const operator: Reviewer = { actor: "cli", canSeeRestricted: true };

async function setUp(store: Store) {
  const clock = () => new Date("2026-03-01T12:00:00.000Z");
  const config = loadConfig({ env: {}, overrides: { databaseUrl: "sqlite::memory:", defaultLexicon: false, logLevel: "silent" } });
  const services = createServices(config, store, { databaseId: await databaseId(store.db), clock });
  await services.lexicons.put("stand-ins", { entries: [{ term: standIn, category: "coded-term", severity: "block", source: "synthetic stand-in" }] }, ["post", "bio", "comment", "hashtag"]);
  await Promise.all(services.followers.map((f) => f.catchUp()));
  const processor = createEventProcessor({ repo: createEventRepository(store.db as Kysely<EventTables>), textCheck: services.textCheck, knownMedia: services.knownMedia, enforcer: services.enforcement, clock });
  let n = 0;
  /** Accepts events (each on `platform`, or the default platform) and processes them as the worker would. */
  async function send(platform: string | undefined, ...events: Array<Record<string, unknown>>) {
    const sent = events.map((e) => ({ id: `evt-${++n}`, occurred_at: "2026-03-01T10:00:00Z", ...(platform ? { platform_id: platform } : {}), ...e }));
    await services.events.accept(sent);
    for (const e of sent) if ((e as { type?: string }).type !== "follow") await processor.process(scopedKey(platform, e.id));
  }
  return { services, send };
}

const post = (id: string, author: string, text: string) => ({ type: "post.created", post: { id, author_id: author, text } });
const account = (id: string, handle: string, extra: Record<string, unknown> = {}) => ({ type: "account.created", account: { id, handle, ...extra } });

for (const dialect of dialects) {
  describe(`account ids are per platform (${dialect})`, () => {
    it("account 42 of two platforms has two cases and two actions' platforms; the default platform's shapes have no platformId", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { services, send } = await setUp(store);
        await send(undefined, account("42", "alpha"), post("p1", "42", `selling ${standIn} here`));
        await send(forum, account("42", "beta", { age_band: { value: "13_15", source: "declared" } }), post("p1", "42", `selling ${standIn} there`));

        const { cases } = await services.cases.list(operator, { limit: 10 });
        assert.equal(cases.length, 2, "one case per platform's account 42, not one merged case");
        const home = cases.find((c) => c.platformId === undefined)!;
        const away = cases.find((c) => c.platformId === forum)!;
        assert.equal(home.accountId, "42");
        assert.equal(away.accountId, "42");
        assert.ok(!("platformId" in home), "the default platform's case has no platformId field at all");
        assert.equal(home.decisionCount, 1);
        assert.equal(away.decisionCount, 1);

        // Filtering by account is per platform too.
        assert.deepEqual((await services.cases.list(operator, { accountId: "42", limit: 10 })).cases.map((c) => c.id), [home.id]);
        assert.deepEqual((await services.cases.list(operator, { accountId: scopedKey(forum, "42"), limit: 10 })).cases.map((c) => c.id), [away.id]);

        // Each case shows its own platform's profile.
        assert.equal((await services.cases.get(home.id, operator)).account?.handle, "alpha");
        const awayDetail = await services.cases.get(away.id, operator);
        assert.deepEqual([awayDetail.account?.id, awayDetail.account?.handle, awayDetail.account?.ageBand], ["42", "beta", "13_15"]);

        // Actions name the platform a multi-platform Lapwing routes them by; the default platform's do not.
        const { actions } = await services.actions.list({ limit: 100 }, { canSeeRestricted: true });
        const homeActions = actions.filter((a) => a.caseId === home.id);
        const awayActions = actions.filter((a) => a.caseId === away.id);
        assert.ok(homeActions.length > 0 && awayActions.length > 0, JSON.stringify(actions));
        for (const a of homeActions) assert.deepEqual([a.accountId, "platformId" in a], ["42", false]);
        for (const a of awayActions) assert.deepEqual([a.accountId, a.platformId, a.target.id], ["42", forum, a.target.type === "account" ? "42" : "p1"]);
        // The action's JSON (the webhook body) for the default platform has exactly the fields it had before.
        assert.deepEqual(Object.keys(homeActions[0]!), ["id", "seq", "kind", "accountId", "target", "caseId", "decisionId", "reverses", "actor", "reason", "details", "createdAt", "deliveredAt"]);
        assert.equal((await services.actions.list({ accountId: scopedKey(forum, "42"), limit: 100 }, { canSeeRestricted: true })).actions.length, awayActions.length);
      });
    });

    it("a report about content is filed under its author on the report's platform", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { services, send } = await setUp(store);
        // Post p7 exists on both platforms, by different authors; only forum's is reported.
        await send(undefined, post("p7", "7", "a quiet post"));
        await send(forum, post("p7", "42", "another quiet post"));
        await send(forum, { type: "report.created", report: { id: "r1", reporter_id: "9", target: { type: "post", id: "p7" }, reason: "looks wrong", category: "child-safety" } });
        const { cases } = await services.cases.list(operator, { limit: 10 });
        assert.deepEqual(
          cases.map((c) => [c.accountId, c.platformId]),
          [["42", forum]],
        );
      });
    });

    it("follows about account 42 from two platforms make two graph nodes and two scores", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { services, send } = await setUp(store);
        const follow = (a: string, b: string) => ({ type: "follow", follower_id: a, followee_id: b });
        // On the forum, 42 is in a ring with a seed; on the default platform, 42 only follows a bystander.
        await send(forum, follow("42", "s1"), follow("s1", "42"), follow("42", "s2"), follow("s2", "42"), follow("s1", "s2"), follow("s2", "s1"));
        await send(undefined, follow("42", "calm"), follow("calm", "42"));
        await services.network.seed([scopedKey(forum, "s1")], "confirmed in review (test)", "cli");
        const snapshot = await services.network.refresh();
        const forum42 = snapshot.detail(scopedKey(forum, "42"));
        const home42 = snapshot.detail("42");
        assert.ok(forum42 && home42, "two nodes named 42");
        assert.ok(forum42.score > home42.score, `forum's 42 (${forum42.score}) is near the seed, the default platform's (${home42.score}) is not`);
        assert.equal(snapshot.detail("s1"), undefined, "the seed is the forum's s1, not a default-platform account");
        assert.equal(snapshot.detail(scopedKey(forum, "s1"))?.role, "seed");

        const ranked = snapshot.ranked.filter((r) => r.account === "42" || r.account === scopedKey(forum, "42")).map(shownRanked);
        const forumRow = ranked.find((r) => r.platformId === forum)!;
        assert.deepEqual(Object.keys(forumRow), ["account", "platformId", "score", "cluster", "explanation"]);
        assert.equal(forumRow.account, "42");
        for (const row of ranked.filter((r) => r.platformId === undefined)) assert.deepEqual(Object.keys(row), ["account", "score", "cluster", "explanation"]);
      });
    });
  });
}
