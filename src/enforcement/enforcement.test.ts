import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Kysely } from "kysely";
import type { Action } from "../actions/index.js";
import type { Reviewer } from "../cases/index.js";
import { loadConfig } from "../config/index.js";
import { createEventProcessor, createEventRepository, scopedKey, type EventTables } from "../events/index.js";
import { defaultPolicySet, type PolicySet } from "../policy/index.js";
import { createJobQueue } from "../queue/index.js";
import { createServices } from "../services.js";
import { databaseId, type Store } from "../store/index.js";
import { dialects, withStore } from "../store/testing.js";

// Synthetic hashes and stand-in words only.
const csamPdq = "a5".repeat(32);
const reviewPdq = "3c".repeat(32);
const standIn = "vornaxle";

const moderator: Reviewer = { actor: "user:mod", canSeeRestricted: false };
const reviewer: Reviewer = { actor: "user:csr", canSeeRestricted: true };
const otherReviewer: Reviewer = { actor: "user:csr2", canSeeRestricted: true };

async function setUp(store: Store) {
  let now = Date.parse("2026-03-01T12:00:00.000Z");
  const clock = () => new Date(now);
  const config = loadConfig({ env: {}, overrides: { databaseUrl: "sqlite::memory:", defaultLexicon: false, logLevel: "silent", caseClaimMinutes: 30 } });
  const observed: string[] = [];
  const services = createServices(config, store, {
    databaseId: await databaseId(store.db),
    clock,
    observer: { decision: (kind, mode) => observed.push(`${mode}:${kind}`), action: (a) => observed.push(`action:${a.kind}`) },
  });
  await services.lexicons.put("stand-ins", { entries: [{ term: standIn, category: "coded-term", severity: "block", source: "synthetic stand-in" }] }, ["post", "bio", "comment", "hashtag"]);
  await services.banks.createBank({ name: "synthetic-csam", matchVerdict: "block" });
  await services.banks.addEntries("synthetic-csam", [{ signalType: "pdq", signal: csamPdq, category: "csam" }]);
  await services.banks.createBank({ name: "synthetic-review", matchVerdict: "review" });
  await services.banks.addEntries("synthetic-review", [{ signalType: "pdq", signal: reviewPdq, category: "spam" }]);
  await Promise.all(services.followers.map((f) => f.catchUp()));
  const repo = createEventRepository(store.db as Kysely<EventTables>);
  const processor = createEventProcessor({ repo, textCheck: services.textCheck, knownMedia: services.knownMedia, enforcer: services.enforcement, clock });
  let n = 0;
  const at = () => new Date(now).toISOString();
  /** Accepts and processes events at once, as the worker would. */
  async function send(...events: Array<Record<string, unknown>>) {
    const withIds = events.map((e) => ({ id: `evt-${++n}`, occurred_at: at(), ...e }));
    await services.events.accept(withIds);
    for (const e of withIds) await processor.process(e.id as string);
    return withIds.map((e) => e.id as string);
  }
  const actionsOf = async (caseId?: string): Promise<Action[]> => (await services.actions.list({ caseId, limit: 1000 }, { canSeeRestricted: true })).actions;
  return { services, processor, send, actionsOf, observed, advance: (ms: number) => (now += ms) };
}

const post = (id: string, author: string, extra: Record<string, unknown>) => ({ type: "post.created", post: { id, author_id: author, ...extra } });

/**
 * What enforcement wrote (decisions, cases and their history, actions, accounts' age bands, the audit entries of
 * decisions and actions, in their orders), with generated ids replaced by what they stand for, so two stores that
 * decided the same events the same way compare equal.
 */
async function snapshotEnforcement(store: Store): Promise<Record<string, unknown>> {
  const db = store.db as Kysely<Record<string, Record<string, unknown>>>;
  const rows = (table: string, order: string) => db.selectFrom(table).selectAll().orderBy(order).execute() as Promise<Array<Record<string, string | number | null>>>;
  const [decisions, cases, history, actions, accounts, audit] = await Promise.all([
    rows("decisions", "event_id"),
    rows("cases", "account_id"),
    rows("case_history", "seq"),
    rows("actions", "seq"),
    rows("accounts", "id"),
    db.selectFrom("audit_log").selectAll().where("action", "in", ["decision.automated", "action.emit"]).orderBy("position").execute() as Promise<Array<Record<string, string>>>,
  ]);
  const names = new Map<string, string>();
  for (const c of cases) names.set(String(c.id), `case(${c.account_id})`);
  for (const d of decisions) names.set(String(d.id), `decision(${d.event_id})`);
  for (const a of actions) names.set(String(a.id), `action(${a.kind}:${a.target_id})`);
  // Bank entries were made by the set-up, with ids of their own.
  const named = (value: unknown) => JSON.parse(JSON.stringify(value).replace(/\b[0-9A-Z]{26}\b/g, (id) => names.get(id) ?? "(set-up id)"));
  return named({
    decisions: decisions.map((d) => [d.event_id, d.account_id, d.kinds, d.review_priority, d.decisions, d.shadow, d.signals, d.case_id]),
    cases: cases.map((c) => [c.account_id, c.state, Number(c.priority_rank), Number(c.restricted), Number(c.report_requested), Number(c.decision_count)]),
    history: history.map((h) => [names.get(String(h.case_id)), h.actor, h.kind, h.details]),
    actions: actions.map((a) => [a.kind, a.account_id, `${a.target_type}:${a.target_id}`, a.case_id, a.decision_id, a.idempotency_key, a.reason, a.details]),
    accounts: accounts.map((a) => [a.id, a.age_band, a.age_source, a.updated_at]),
    audit: audit.map((e) => [e.actor, e.action, e.target_type, e.target_id, e.details]),
  });
}

for (const dialect of dialects) {
  describe(`enforcement: events to decisions, cases and actions (${dialect})`, () => {
    it("a csam hash match holds the post, suspends the account and opens an urgent restricted case, with the signals and policy version stored", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { services, send, actionsOf, observed } = await setUp(store);
        const [eventId] = await send(post("p1", "acct-1", { media: [{ kind: "hashes", pdq: csamPdq, quality: 100 }] }));

        const { cases } = await services.cases.list(reviewer);
        assert.equal(cases.length, 1);
        const [c] = cases;
        assert.equal(c!.accountId, "acct-1");
        assert.equal(c!.priority, "urgent");
        assert.equal(c!.restricted, true);
        assert.equal(c!.reportRequested, true);

        const detail = await services.cases.get(c!.id, reviewer);
        assert.equal(detail.decisions.length, 1);
        assert.equal(detail.decisions[0]!.eventId, eventId);
        assert.equal(detail.decisions[0]!.policyVersion, 0);
        assert.deepEqual(detail.decisions[0]!.kinds, ["hold", "suspend", "report", "review", "preserve"]);
        assert.equal((detail.decisions[0]!.signals[0] as { type: string }).type, "hash-match");
        assert.deepEqual(
          detail.actions.map((a) => [a.kind, a.target.type, a.target.id]),
          [
            ["content.hold", "post", "p1"],
            ["account.suspend", "account", "acct-1"],
          ],
        );
        assert.match(detail.actions[0]!.reason, /known-csam-hash/);
        assert.deepEqual(detail.history.map((h) => h.kind), ["opened", "decision.added"]);
        assert.ok(observed.includes("enforce:hold") && observed.includes("action:account.suspend"));

        // A moderator neither lists nor opens a child sexual abuse case.
        assert.equal((await services.cases.list(moderator)).cases.length, 0);
        await assert.rejects(services.cases.get(c!.id, moderator), { code: "CASE_NOT_FOUND" });
        assert.equal((await actionsOf()).length, 2);
        const views = await services.audit.list({ action: "case.view" });
        assert.deepEqual(views.map((e) => [e.actor, e.target?.id]), [["user:csr", c!.id]], "opening a restricted case is audited");
      });
    });

    it("processing an event again emits nothing twice", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { services, processor, send, actionsOf } = await setUp(store);
        const [eventId] = await send(post("p1", "acct-1", { text: `new ${standIn} here` }));
        const before = await actionsOf();
        assert.equal(before.length, 1);
        const again = await processor.process(eventId!);
        assert.equal(again.isWritten, false);
        // Even a direct second enforcement of the same event is refused by the decision's unique event id.
        const event = await services.events.get(eventId!);
        const set = await services.enforcement.prepare();
        const outcome = await store.db.transaction().execute((trx) => services.enforcement.enforce(trx, set, { eventId: eventId!, event: event.event, receivedAt: event.receivedAt, signals: event.signals ?? [] }));
        assert.equal(outcome, undefined);
        assert.deepEqual((await actionsOf()).map((a) => a.id), before.map((a) => a.id));
        assert.equal((await services.cases.list(moderator)).cases[0]!.decisionCount, 1);
      });
    });

    it("the same event id from two platforms is two events, each decided once", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { services, processor } = await setUp(store);
        const from = (platform: string | undefined, author: string) => ({
          id: "same-1",
          occurred_at: "2026-03-01T12:00:00.000Z",
          ...(platform ? { platform_id: platform } : {}),
          ...post(`p-${author}`, author, { text: `${standIn} menu` }),
        });
        assert.deepEqual(await services.events.accept([from(undefined, "acct-home"), from("forum", "acct-forum")]), { accepted: 2, duplicates: 0 });
        const keys = ["same-1", scopedKey("forum", "same-1")];
        for (const key of keys) assert.equal((await processor.process(key)).isWritten, true, key);
        const [home, forum] = await Promise.all(keys.map((key) => services.enforcement.decisionForEvent(key)));
        assert.ok(home && forum, "a decision for each: the decisions' unique event id is per platform");
        assert.notEqual(home.id, forum.id);
        const { cases } = await services.cases.list(moderator);
        assert.deepEqual(cases.map((c) => c.accountId).sort(), ["acct-forum", "acct-home"]);
        for (const key of keys) assert.equal((await processor.process(key)).isWritten, false, `${key} again changes nothing`);
      });
    });

    it("gathers an account's signals in one case, and dismissing it releases every hold and lifts the suspension", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { services, send, actionsOf } = await setUp(store);
        await send(post("p1", "acct-2", { text: `${standIn} menu` }));
        await send({ type: "account.updated", account: { id: "acct-2", bio: `ask about ${standIn}` } });
        await send(post("p2", "acct-2", { media: [{ kind: "hashes", pdq: reviewPdq, quality: 90 }] }));
        await send(post("p3", "acct-9", { text: "a garden in spring" }));

        const { cases } = await services.cases.list(moderator);
        assert.equal(cases.length, 1, "clean text opens no case");
        const c = cases[0]!;
        assert.equal(c.decisionCount, 3);
        assert.equal(c.priority, "high");
        const holds = await actionsOf(c.id);
        assert.deepEqual(holds.map((a) => `${a.kind}:${a.target.type}:${a.target.id}`), ["content.hold:post:p1", "content.hold:account:acct-2"]);

        await assert.rejects(services.cases.decide(c.id, moderator, { decision: "dismiss" }), { code: "CASE_NOT_CLAIMED" });
        await services.cases.claim(c.id, moderator);
        const { actions } = await services.cases.decide(c.id, moderator, { decision: "dismiss", note: "a gardening forum in-joke." });
        assert.ok(actions.every((a) => a.reason.endsWith("in-joke.") && !a.reason.endsWith("..")), "a note ending in a full stop ends the reason once");
        assert.deepEqual(
          actions.map((a) => [a.kind, a.reverses]),
          holds.map((h) => ["content.release", h.id]),
        );
        const decided = await services.cases.get(c.id, moderator);
        assert.equal(decided.state, "decided");
        assert.equal(decided.outcome, "dismiss");
        await assert.rejects(services.cases.claim(c.id, moderator), { code: "CASE_DECIDED" });

        // A new signal after the decision opens a new case.
        await send(post("p4", "acct-2", { text: standIn }));
        const next = (await services.cases.list(moderator)).cases;
        assert.equal(next.length, 1);
        assert.notEqual(next[0]!.id, c.id);
      });
    });

    it("claims are exclusive until they expire; confirm needs a category and turns holds into removals", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { services, send, advance } = await setUp(store);
        await send(post("p1", "acct-3", { text: standIn }));
        const [c] = (await services.cases.list(reviewer)).cases;
        const claimed = await services.cases.claim(c!.id, reviewer);
        assert.equal(claimed.state, "claimed");
        await assert.rejects(services.cases.claim(c!.id, otherReviewer), { code: "CASE_CLAIMED" });
        await assert.rejects(services.cases.decide(c!.id, otherReviewer, { decision: "dismiss" }), { code: "CASE_CLAIMED" });

        advance(31 * 60_000);
        assert.equal((await services.cases.get(c!.id, reviewer)).state, "open", "a lapsed claim reads as open");
        await assert.rejects(services.cases.decide(c!.id, reviewer, { decision: "dismiss" }), { code: "CASE_NOT_CLAIMED" });
        await services.cases.claim(c!.id, otherReviewer);
        await assert.rejects(services.cases.decide(c!.id, otherReviewer, { decision: "confirm" }), { code: "VALIDATION_FAILED" });
        const { actions } = await services.cases.decide(c!.id, otherReviewer, { decision: "confirm", category: "seller_advert" });
        assert.deepEqual(actions.map((a) => [a.kind, a.target.id]), [["content.remove", "p1"]]);
        const history = (await services.cases.get(c!.id, reviewer)).history.map((h) => `${h.actor}:${h.kind}`);
        assert.deepEqual(history, ["system:opened", "system:decision.added", "user:csr:claimed", "user:csr2:claimed", "user:csr2:decided"]);
      });
    });

    it("notes the platform's own moderation outcome in the account's open case", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { services, send } = await setUp(store);
        await send(post("p1", "acct-10", { text: standIn }));
        await send({ type: "moderation.outcome", outcome: { target: { type: "post", id: "p1" }, action: "removed", reason: "spam", moderator_id: "m1" } });
        await send({ type: "moderation.outcome", outcome: { target: { type: "account", id: "nobody" }, action: "warned" } });
        const [c] = (await services.cases.list(moderator)).cases;
        const last = (await services.cases.get(c!.id, moderator)).history.at(-1)!;
        assert.equal(last.kind, "platform.outcome");
        assert.deepEqual([last.details.action, last.details.target, last.details.moderator], ["removed", "post:p1", "m1"]);
        assert.equal((await services.cases.list(moderator)).cases.length, 1, "an outcome about an account without a case opens none");
      });
    });

    it("escalating puts the case back as urgent; release returns it to escalated", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { services, send } = await setUp(store);
        await send(post("p1", "acct-4", { media: [{ kind: "hashes", pdq: reviewPdq, quality: 90 }] }));
        const [c] = (await services.cases.list(moderator)).cases;
        assert.equal(c!.priority, "normal");
        await services.cases.claim(c!.id, moderator);
        const { case: escalated } = await services.cases.decide(c!.id, moderator, { decision: "escalate", note: "needs a second look" });
        assert.equal(escalated.state, "escalated");
        assert.equal(escalated.priority, "urgent");
        await services.cases.claim(c!.id, reviewer);
        assert.equal((await services.cases.release(c!.id, reviewer)).state, "escalated");
        assert.deepEqual((await services.cases.list(reviewer, { states: ["escalated"] })).cases.map((x) => x.id), [c!.id]);
      });
    });

    it("safeguards a minor: automated help resources, and a reviewer's safeguard lifts the suspension", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { services, send, actionsOf } = await setUp(store);
        await send({ type: "account.created", account: { id: "teen-1", handle: "sprout", age_band: { value: "13_15", source: "declared" } } });
        await send(post("p1", "teen-1", { media: [{ kind: "hashes", pdq: csamPdq, quality: 100 }] }));
        const [c] = (await services.cases.list(reviewer)).cases;
        const automated = await actionsOf(c!.id);
        assert.deepEqual(automated.map((a) => a.kind), ["content.hold", "account.suspend", "account.safeguard"]);
        assert.ok(Array.isArray(automated[2]!.details.helpResources) && (automated[2]!.details.helpResources as unknown[]).length > 0);

        await services.cases.claim(c!.id, reviewer);
        const { actions } = await services.cases.decide(c!.id, reviewer, { decision: "safeguard" });
        // The automated safeguard already went out; the same key is not emitted again.
        assert.deepEqual(actions.map((a) => a.kind), ["content.remove", "account.unsuspend"]);
      });
    });

    it("safeguards a minor whose age band arrives after the signals, once", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { services, send, actionsOf } = await setUp(store);
        await send(post("p1", "teen-2", { text: `${standIn} here` }));
        const [c] = (await services.cases.list(moderator)).cases;
        assert.deepEqual((await actionsOf(c!.id)).map((a) => a.kind), ["content.hold"]);
        await send({ type: "account.updated", account: { id: "teen-2", age_band: { value: "16_17", source: "estimated" } } });
        await send({ type: "account.updated", account: { id: "teen-2", age_band: { value: "16_17", source: "estimated" } } });
        assert.deepEqual((await actionsOf(c!.id)).map((a) => a.kind), ["content.hold", "account.safeguard"]);
        const detail = await services.cases.get(c!.id, moderator);
        assert.equal(detail.decisions.length, 3);
        assert.deepEqual(detail.decisions[1]!.kinds, ["safeguard"]);
        assert.equal(detail.priority, "high", "a late safeguard does not lower the priority");
        // An adult's age band, or a minor's without any signal, decides nothing.
        await send({ type: "account.updated", account: { id: "adult-1", age_band: { value: "18_plus", source: "declared" } } });
        await send({ type: "account.updated", account: { id: "teen-3", age_band: { value: "13_15", source: "declared" } } });
        assert.equal((await services.cases.list(moderator)).cases.length, 1);
      });
    });

    it("never sends a reported minor help for sexual exploitation on reports alone, whatever the category", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { services, send, actionsOf } = await setUp(store);
        const categories = ["impersonation", "spam", "harassment", "hate", "scam", "other", "child-safety"];
        for (const [i, category] of categories.entries()) {
          const teen = `teen-r${i}`;
          await send({ type: "account.created", account: { id: teen, handle: `h${i}`, age_band: { value: "13_15", source: "declared" } } });
          await send({ type: "report.created", report: { id: `r${i}`, reporter_id: "u1", target: { type: "account", id: teen }, reason: "synthetic report", category } });
        }
        const cases = (await services.cases.list(reviewer)).cases;
        // Only the child-safety report reaches a person, at high priority; none safeguards automatically.
        assert.deepEqual(cases.map((c) => [c.accountId, c.priority]), [[`teen-r${categories.indexOf("child-safety")}`, "high"]]);
        assert.deepEqual(await actionsOf(), []);
        // With evidence of exploitation risk (a coded term in the minor's own post), help is sent.
        await send(post("p-teen", `teen-r0`, { text: `${standIn} here` }));
        assert.ok((await actionsOf()).some((a) => a.kind === "account.safeguard" && a.accountId === "teen-r0"));
      });
    });

    it("counts child-safety reports since the last decision: three raise the review to high", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { services, send } = await setUp(store);
        const report = (id: string, reporter: string) => ({ type: "report.created", report: { id, reporter_id: reporter, target: { type: "account", id: "acct-5" }, reason: "made me uneasy", category: "child-safety" } });
        await send(report("r1", "u1"));
        assert.equal((await services.cases.list(moderator)).cases[0]!.priority, "normal");
        await send(report("r2", "u2"));
        assert.equal((await services.cases.list(moderator)).cases[0]!.priority, "normal");
        await send(report("r3", "u3"));
        const [c] = (await services.cases.list(moderator)).cases;
        assert.equal(c!.priority, "high");
        assert.equal(c!.decisionCount, 3);
        // A spam report is stored as a decision with no kinds, and opens nothing.
        await send({ type: "report.created", report: { id: "r4", reporter_id: "u4", target: { type: "account", id: "acct-6" }, reason: "ads", category: "spam" } });
        assert.equal((await services.cases.list(moderator)).cases.length, 1);
      });
    });

    it("files a report about content it has never seen under that content, and finds the author of content it has", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { services, send, actionsOf } = await setUp(store);
        await send({ type: "report.created", report: { id: "r1", reporter_id: "u1", target: { type: "post", id: "ghost" }, reason: "", category: "child-safety" } });
        await send({ type: "post.created", post: { id: "p7", author_id: "acct-7", text: "hello" } });
        await send({ type: "report.created", report: { id: "r2", reporter_id: "u1", target: { type: "post", id: "p7" }, reason: "odd", category: "child-safety" } });
        const accounts = (await services.cases.list(moderator)).cases.map((c) => c.accountId).sort();
        assert.deepEqual(accounts, ["acct-7", "post:ghost"]);
        assert.equal((await actionsOf()).length, 0, "a report alone only queues a review");
      });
    });

    it("shadow policies are recorded and never acted on", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { services, send, actionsOf, observed } = await setUp(store);
        const shadowed: PolicySet = { ...defaultPolicySet, policies: defaultPolicySet.policies.map((p) => ({ ...p, mode: "shadow" as const })) };
        const version = await services.policies.put(shadowed, "cli");
        const [eventId] = await send(post("p1", "acct-8", { text: standIn }));
        assert.equal((await services.cases.list(moderator)).cases.length, 0);
        assert.equal((await actionsOf()).length, 0);
        const decision = await services.enforcement.decisionForEvent(eventId!);
        assert.equal(decision!.policyVersion, version.version);
        assert.deepEqual(decision!.kinds, []);
        assert.deepEqual((decision!.shadow as Array<{ decision: string }>).map((d) => d.decision), ["hold", "review"]);
        assert.deepEqual(observed, ["shadow:hold", "shadow:review"]);
      });
    });

    it("a batch has the effect of its events decided one at a time, in order", async (t) => {
      // Events that read what earlier ones in the same batch decided: a note before and after the case opens, a second
      // decision and a repeated action key for the same case, reports counting earlier reports, an age band after the
      // signals (safeguard after the fact), an older age band arriving later, a CSAM match.
      const at = (minutes: number) => new Date(Date.parse("2026-03-01T12:00:00.000Z") + minutes * 60_000).toISOString();
      const report = (id: string, reporter: string) => ({ type: "report.created", report: { id, reporter_id: reporter, target: { type: "account", id: "acct-b" }, reason: "uneasy", category: "child-safety" } });
      const band = (account: string, value: string, minutes: number) => ({ type: "account.updated", occurred_at: at(minutes), account: { id: account, age_band: { value, source: "declared" } } });
      const sequence: Array<Record<string, unknown>> = [
        { type: "moderation.outcome", outcome: { target: { type: "account", id: "acct-a" }, action: "warned" } },
        post("p-a1", "acct-a", { text: `${standIn} here` }),
        { type: "moderation.outcome", outcome: { target: { type: "post", id: "p-a1" }, action: "removed", moderator_id: "m1" } },
        post("p-a2", "acct-a", { media: [{ kind: "hashes", pdq: reviewPdq, quality: 90 }] }),
        { type: "post.updated", post: { id: "p-a1", author_id: "acct-a", text: `${standIn} again` } },
        report("r1", "u1"),
        report("r2", "u2"),
        report("r3", "u3"),
        post("p-c1", "acct-c", { text: `${standIn} menu` }),
        band("acct-c", "13_15", 0),
        band("acct-d", "18_plus", 5),
        band("acct-d", "13_15", 1),
        post("p-d1", "acct-d", { text: `${standIn} for sale` }),
        post("p-e1", "acct-e", { media: [{ kind: "hashes", pdq: csamPdq, quality: 100 }] }),
        { type: "follow", follower_id: "acct-a", followee_id: "acct-c" },
      ];
      const run = async (store: Store, mode: "one at a time" | "batch") => {
        const { services, processor } = await setUp(store);
        const ids = sequence.map((_, i) => `evt-${String(i).padStart(2, "0")}`);
        await services.events.accept(sequence.map((e, i) => ({ id: ids[i], occurred_at: at(10), ...e })));
        if (mode === "one at a time") {
          for (const id of ids) await processor.process(id);
        } else {
          const jobs = createJobQueue(store.db, store.dialect);
          const claimed = (await jobs.claim("events", { worker: "w1", limit: 100, leaseMs: 60_000 })).sort((a, b) => (a.key! < b.key! ? -1 : 1));
          assert.equal(claimed.length, sequence.length - 1, "every event but the follow has a job");
          const result = await processor.handleBatch(claimed as never, { signal: new AbortController().signal, worker: "w1", complete: (trx, done) => jobs.completeWithin(trx, done, "w1") });
          assert.deepEqual(result.failed, []);
        }
        return snapshotEnforcement(store);
      };
      let each: Record<string, unknown> | undefined;
      let batch: Record<string, unknown> | undefined;
      if (!(await withStore(dialect, (r) => t.skip(r), async (store) => void (each = await run(store, "one at a time"))))) return;
      await withStore(dialect, (r) => t.skip(r), async (store) => void (batch = await run(store, "batch")));
      if (!each) return;
      assert.deepEqual(batch, each);
      // The sequence did what it is meant to exercise.
      const kinds = (each.history as Array<[string, string, string]>).map(([caseName, , kind]) => `${caseName}:${kind}`);
      assert.equal(kinds.filter((k) => k === "case(acct-a):platform.outcome").length, 1, "only the note after the case opened");
      assert.equal((each.actions as unknown[][]).filter(([kind]) => kind === "account.safeguard").length, 1);
      assert.ok((each.decisions as unknown[][]).length >= 9);
    });

    it("decides the cases of a set of related accounts at once, skipping one another reviewer holds", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { services, send } = await setUp(store);
        for (const account of ["ring-1", "ring-2", "ring-3"]) await send(post(`p-${account}`, account, { text: `${standIn} for sale` }));
        const held = (await services.cases.list(moderator, { accountId: "ring-3" })).cases[0]!;
        await services.cases.claim(held.id, otherReviewer);
        const { results } = await services.cases.decideMany(reviewer, { accountIds: ["ring-1", "ring-2", "ring-3"] }, { decision: "confirm", category: "seller_advert" });
        assert.deepEqual(results.map((r) => (r.ok ? "ok" : r.code)).sort(), ["CASE_CLAIMED", "ok", "ok"]);
        assert.deepEqual((await services.cases.list(moderator)).cases.map((c) => c.accountId), ["ring-3"]);
        await assert.rejects(services.cases.decideMany(reviewer, { accountIds: ["nobody"] }, { decision: "dismiss" }), { code: "VALIDATION_FAILED" });
      });
    });
  });
}
