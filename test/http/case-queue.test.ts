// The queue as the console works it: filters (signal type, policy, state,
// assignee, restricted), counts, "claim next" (exclusive under a race), and a
// case's account and original texts, whose spans the console highlights.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { dialects } from "../../src/store/testing.js";
import { waitFor } from "../support/cli.js";
import { seedConsolePlatform, seededAccounts, seedPassword, standInTerm } from "../support/console-seed.js";
import { startTestServer, type TestServer } from "../support/server.js";

interface Summary {
  id: string;
  accountId: string;
  state: string;
  restricted: boolean;
  claimedBy: string | null;
  claimExpiresAt: string | null;
}

for (const dialect of dialects) {
  describe(`the review queue's filters, counts and claim-next (${dialect})`, () => {
    let s: TestServer | undefined;
    let skipReason = "";
    const sessions = new Map<string, { cookie: string; csrf: string; actor: string }>();
    const as = (who: string, path: string, init: RequestInit & { json?: unknown } = {}) => {
      const session = sessions.get(who)!;
      const headers = new Headers(init.headers);
      headers.set("cookie", session.cookie);
      headers.set("x-csrf-token", session.csrf);
      return s!.request(path, { ...init, headers, key: null });
    };
    const queue = async (who: string, query = "") => {
      const res = await as(who, `/v1/cases${query}`);
      assert.equal(res.status, 200, await res.clone().text());
      return (await res.json()) as { cases: Summary[]; counts: { total: number; byState: Record<string, number>; byPriority: Record<string, number> } };
    };

    before(async () => {
      const started = await startTestServer(dialect, { workerPollMs: 50, defaultLexicon: false });
      if (typeof started === "string") return void (skipReason = started);
      s = started;
      await seedConsolePlatform((path, init) => s!.request(path, init));
      for (const username of ["cleo", "mo", "ada"]) {
        const res = await s.request("/v1/session", { method: "POST", key: null, json: { username, password: seedPassword } });
        const body = await res.json();
        sessions.set(username, { cookie: res.headers.getSetCookie()[0]!.split(";")[0]!, csrf: body.csrfToken, actor: `user:${body.user.id}` });
      }
      // Seven cases: the bio seller, four posters, the hasher (restricted), the reported account.
      await waitFor("the seeded cases", async () => ((await queue("cleo")).counts.total === 7 ? true : undefined), { timeoutMs: 30_000, intervalMs: 100 });
    });
    after(async () => s?.close());

    it("filters on signal type, policy, restricted and assignee, and counts what it selects", async (t) => {
      if (!s) return t.skip(skipReason);
      const all = await queue("cleo");
      assert.equal(all.cases.length, 7);
      assert.equal(all.counts.byState.open, 7);
      assert.equal(Object.values(all.counts.byPriority).reduce((a, b) => a + b, 0), 7);

      // The moderator never sees, nor counts, the restricted case.
      const mod = await queue("mo");
      assert.equal(mod.counts.total, 6);
      assert.ok(!mod.cases.some((c) => c.accountId === seededAccounts.hasher));
      assert.equal((await queue("mo", "?restricted=true")).counts.total, 0);

      const restricted = await queue("cleo", "?restricted=true");
      assert.deepEqual(restricted.cases.map((c) => c.accountId), [seededAccounts.hasher]);
      assert.equal((await queue("cleo", "?restricted=false")).counts.total, 6);

      const hashMatches = await queue("cleo", "?signal=hash-match");
      assert.deepEqual(hashMatches.cases.map((c) => c.accountId), [seededAccounts.hasher]);
      const reports = await queue("mo", "?signal=user-report");
      assert.deepEqual(reports.cases.map((c) => c.accountId), [seededAccounts.reported]);
      const lexicon = await queue("mo", "?signal=lexicon-hit");
      assert.deepEqual(lexicon.cases.map((c) => c.accountId).sort(), [seededAccounts.bioSeller, ...seededAccounts.posters].sort());
      const byPolicy = await queue("mo", "?policy=child-safety-reports");
      assert.deepEqual(byPolicy.cases.map((c) => c.accountId), [seededAccounts.reported]);
      assert.equal((await queue("mo", "?policy=no-such-policy")).counts.total, 0);

      assert.equal((await as("mo", "/v1/cases?signal=not-a-signal")).status, 400);
      assert.equal((await as("mo", "/v1/cases?policy=Bad%25Policy")).status, 400);
      assert.equal((await as("mo", "/v1/cases?restricted=maybe")).status, 400);

      // Assignee: claim one, and it is "mine" for the moderator and "taken" for everyone else.
      const first = mod.cases[0]!;
      assert.equal((await as("mo", `/v1/cases/${first.id}/claim`, { method: "POST" })).status, 200);
      const mine = await queue("mo", "?assignee=me");
      assert.deepEqual(mine.cases.map((c) => c.id), [first.id]);
      assert.equal(mine.counts.byState.claimed, 1);
      assert.deepEqual((await queue("ada", `?assignee=${encodeURIComponent(sessions.get("mo")!.actor)}`)).cases.map((c) => c.id), [first.id]);
      assert.equal((await queue("mo", "?assignee=none")).counts.total, 5);
      assert.equal((await queue("mo", "?state=claimed")).counts.total, 1);
      assert.equal((await as("mo", `/v1/cases/${first.id}/release`, { method: "POST" })).status, 200);
    });

    it("claims the next free case exclusively, most urgent first, and says when none is left", async (t) => {
      if (!s) return t.skip(skipReason);
      // A case you escalated goes to someone else: "next" does not hand it back to you.
      const escalated = (await (await as("mo", "/v1/cases/next", { method: "POST", json: {} })).json()).case as Summary;
      assert.equal((await as("mo", `/v1/cases/${escalated.id}/decision`, { method: "POST", json: { decision: "escalate" } })).status, 200);
      const afterEscalating = (await (await as("mo", "/v1/cases/next", { method: "POST", json: {} })).json()).case as Summary;
      assert.notEqual(afterEscalating.id, escalated.id, "not back to the one who escalated it");
      assert.equal((await as("mo", `/v1/cases/${afterEscalating.id}/release`, { method: "POST" })).status, 200);
      const senior = (await (await as("ada", "/v1/cases/next", { method: "POST", json: {} })).json()).case as Summary;
      assert.equal(senior.id, escalated.id, "the escalated case, now urgent, goes first to another reviewer");
      assert.equal((await as("ada", `/v1/cases/${senior.id}/release`, { method: "POST" })).status, 200);

      // Two reviewers asking at once get different cases.
      const [a, b] = await Promise.all([as("mo", "/v1/cases/next", { method: "POST", json: {} }), as("ada", "/v1/cases/next", { method: "POST", json: {} })]);
      assert.equal(a.status, 200);
      assert.equal(b.status, 200);
      const caseA = (await a.json()).case as Summary;
      const caseB = (await b.json()).case as Summary;
      assert.ok(caseA && caseB);
      assert.notEqual(caseA.id, caseB.id);
      assert.equal(caseA.state, "claimed");
      assert.equal(caseA.claimedBy, sessions.get("mo")!.actor);
      assert.ok(Date.parse(caseA.claimExpiresAt!) > Date.now(), "the claim's expiry is given");

      // The moderator never gets the restricted case, whatever is left; the child-safety reviewer can ask for it alone.
      const taken = new Set([caseA.id, caseB.id]);
      for (;;) {
        // ada, as the moderator escalated one case and would not be given it again.
        const next = (await (await as("ada", "/v1/cases/next", { method: "POST", json: {} })).json()).case as Summary | null;
        if (!next) break;
        assert.ok(!taken.has(next.id), "never a case already held");
        assert.notEqual(next.accountId, seededAccounts.hasher);
        taken.add(next.id);
      }
      assert.equal(taken.size, 6, "every unrestricted case was handed out once");
      const restricted = (await (await as("cleo", "/v1/cases/next", { method: "POST", json: { restricted: true } })).json()).case as Summary;
      assert.equal(restricted.accountId, seededAccounts.hasher);
      assert.equal((await (await as("cleo", "/v1/cases/next", { method: "POST", json: {} })).json()).case, null, "nothing free is left");
    });

    it("shows the account and the original texts, so a signal's span points at the matched words", async (t) => {
      if (!s) return t.skip(skipReason);
      const [summary] = (await queue("mo", `?account=${seededAccounts.bioSeller}&state=open,claimed`)).cases;
      const detail = await (await as("mo", `/v1/cases/${summary!.id}`)).json();
      assert.equal(detail.account.handle, "menu.keeper");
      assert.equal(detail.account.displayName, "Menu Keeper");
      assert.equal(detail.account.ageBand, "18_plus");
      const decision = detail.decisions[0];
      const bio = decision.texts.find((t: { field: string }) => t.field === "/account/bio");
      assert.ok(bio, "the bio is given with the decision");
      const hit = decision.signals.find((sig: { type: string; term?: string }) => sig.type === "lexicon-hit" && sig.term === standInTerm);
      assert.ok(hit.evidence.ids.includes("field:/account/bio"));
      const span = hit.evidence.spans[0];
      assert.equal(bio.text.slice(span.start, span.end).toLowerCase(), standInTerm);
      // The advert score says what it found, and where.
      const advert = decision.signals.find((sig: { type: string }) => sig.type === "advert-score");
      assert.ok(advert, "the bio reads as an advert");
      assert.match(advert.reason, /reads as a seller advert with score [\d.]+ \(\w+\): \S/);
      assert.ok(advert.evidence.spans.length > 0, "the advert's features have spans");
      for (const { start, end } of advert.evidence.spans) assert.ok(end > start && end <= bio.text.length);
      assert.deepEqual(detail.accountCases, [], "no earlier cases");
    });
  });
}
