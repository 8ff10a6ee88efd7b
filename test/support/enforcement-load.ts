// Shared by the enforcement process tests: detectors set up with the real CLI
// (a synthetic stand-in lexicon term and a synthetic `csam` hash bank; never
// real terms or hashes), a generated batch of events whose consequences are
// known in advance, and the invariants that must hold once it is processed,
// however often the server or its database died on the way.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { sql, type Kysely } from "kysely";
import type { WebhookReceiver } from "./webhook-receiver.js";
import { runLapwing } from "./cli.js";

/** A made-up word standing in for a coded term; it means nothing anywhere. */
export const standIn = "vornaxle";

/** A random 256-bit PDQ hash: synthetic, and about 128 bits from any other. */
export function syntheticPdq(): string {
  return randomBytes(32).toString("hex");
}

export function newWebhookSecret(): string {
  return `synthetic-test-secret-${randomBytes(24).toString("hex")}`;
}

/** Environment for `lapwing serve` delivering to `url`, with short polls so tests move quickly. */
export function serveEnv(webhookUrl: string, secret: string): Record<string, string> {
  return {
    LAPWING_WEBHOOK_URL: webhookUrl,
    LAPWING_WEBHOOK_SECRET: secret,
    LAPWING_WEBHOOK_TIMEOUT_MS: "2000",
    LAPWING_WORKER_POLL_MS: "50",
    LAPWING_CHANGE_POLL_MS: "200",
  };
}

async function cli(args: string[], input?: string): Promise<string> {
  const result = await runLapwing(args, {}, input);
  assert.equal(result.code, 0, `lapwing ${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/**
 * With the CLI, as an operator would: a lexicon `stand-ins` holding the
 * stand-in term at block severity, a bank `synthetic-csam` whose entries
 * (the given PDQ hashes) carry the category `csam`, an admin API key, and a
 * console user with the `child_safety_reviewer` role (the only one who sees
 * restricted cases).
 */
export async function setUpDetectors(
  databaseUrl: string,
  dir: string,
  csamPdqs: readonly string[],
): Promise<{ adminKey: string; reviewer: { username: string; password: string } }> {
  const db = ["--database", databaseUrl];
  const lexicon = join(dir, "stand-ins.json");
  writeFileSync(lexicon, JSON.stringify({ entries: [{ term: standIn, category: "coded-term", severity: "block", source: "synthetic stand-in for tests" }] }));
  // One at a time: each command opens (and migrates) the store, and concurrent writers on one
  // SQLite file can meet "database is locked".
  await cli([...db, "lexicon", "import", "stand-ins", lexicon]);
  await cli([...db, "bank", "create", "synthetic-csam", "--verdict", "block", "--description", "synthetic test hashes"]);
  await cli([...db, "bank", "add", "synthetic-csam", ...csamPdqs, "--type", "pdq", "--category", "csam", "--note", "synthetic"]);
  const keyOutput = await cli([...db, "keys", "create", "--name", "enforcement-test", "--scope", "admin", "--json"]);
  const reviewer = { username: "cs-reviewer", password: randomBytes(18).toString("base64url") };
  await cli([...db, "users", "create", "--username", reviewer.username, "--role", "child_safety_reviewer", "--password-stdin"], reviewer.password + "\n");
  return { adminKey: (JSON.parse(keyOutput.trim()) as { secret: string }).secret, reviewer };
}

export interface SendSummary {
  lines: number;
  accepted: number;
  duplicates: number;
  errors: unknown[];
}

/** `lapwing events send FILE --json`, checked to have refused no line. */
export async function sendEvents(databaseUrl: string, file: string, batch = 500): Promise<SendSummary> {
  const out = await cli(["--database", databaseUrl, "events", "send", file, "--batch", String(batch), "--json"]);
  const summary = JSON.parse(out.trim()) as SendSummary;
  assert.deepEqual(summary.errors, [], "no line refused");
  return summary;
}

export function writeJsonl(file: string, events: readonly unknown[]): void {
  writeFileSync(file, events.map((e) => JSON.stringify(e)).join("\n") + "\n");
}

/** A generated batch and everything it must lead to. */
export interface LoadPlan {
  events: Array<Record<string, unknown>>;
  expected: {
    /** Events that carry a signal, so get exactly one decision row each. */
    decisionEventIds: Set<string>;
    /** `kind target-type:target-id` of every action. */
    actions: Set<string>;
    /** Accounts that end up with an (undecided) case. */
    caseAccounts: Set<string>;
  };
}

const at = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();

/**
 * `count` events from 300 accounts: mostly clean posts (some with media that
 * matches nothing) and follows, with about one in five posts or comments
 * holding the stand-in term (a hold each), one in 60 posts with media from
 * the csam bank (a hold, and a suspension once per account), and
 * child-safety reports (a decision and a case, no action).
 */
export function loadPlan(count: number, csamPdqs: readonly string[], prefix = "load"): LoadPlan {
  const events: LoadPlan["events"] = [];
  const decisionEventIds = new Set<string>();
  const actions = new Set<string>();
  const caseAccounts = new Set<string>();
  for (let i = 0; i < count; i++) {
    const id = `${prefix}-evt-${i}`;
    const account = `${prefix}-acct-${i % 300}`;
    const occurred_at = at(i);
    const post = `${prefix}-post-${i}`;
    if (i % 60 === 7) {
      events.push({ id, type: "post.created", occurred_at, post: { id: post, author_id: account, text: `holiday photo ${i}`, media: [{ kind: "hashes", id: `m-${i}`, pdq: csamPdqs[i % csamPdqs.length], quality: 100 }] } });
      decisionEventIds.add(id);
      actions.add(`content.hold post:${post}`).add(`account.suspend account:${account}`);
      caseAccounts.add(account);
    } else if (i % 10 === 3) {
      events.push({ id, type: "post.created", occurred_at, post: { id: post, author_id: account, text: `anyone got a ${standIn} for sale ${i}` } });
      decisionEventIds.add(id);
      actions.add(`content.hold post:${post}`);
      caseAccounts.add(account);
    } else if (i % 10 === 6) {
      const comment = `${prefix}-comment-${i}`;
      events.push({ id, type: "comment.created", occurred_at, comment: { id: comment, post_id: `${prefix}-post-${i - 1}`, author_id: account, text: `${standIn.toUpperCase()} here ${i}` } });
      decisionEventIds.add(id);
      actions.add(`content.hold comment:${comment}`);
      caseAccounts.add(account);
    } else if (i % 50 === 11) {
      const reported = `${prefix}-acct-${(i * 7) % 300}`;
      events.push({ id, type: "report.created", occurred_at, report: { id: `${prefix}-report-${i}`, reporter_id: account, target: { type: "account", id: reported }, reason: "synthetic report for a test", category: "child-safety" } });
      decisionEventIds.add(id);
      caseAccounts.add(reported);
    } else if (i % 10 === 9) {
      events.push({ id, type: "follow", occurred_at, follower_id: account, followee_id: `${prefix}-acct-${(i + 1) % 300}` });
    } else if (i % 10 === 8) {
      events.push({ id, type: "post.created", occurred_at, post: { id: post, author_id: account, text: `garden update ${i}`, media: [{ kind: "hashes", pdq: syntheticPdq(), quality: 90 }] } });
    } else {
      events.push({ id, type: "post.created", occurred_at, post: { id: post, author_id: account, text: `post number ${i} about teapots`, hashtags: ["#pottery"] } });
    }
  }
  return { events, expected: { decisionEventIds, actions, caseAccounts } };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;
const n = (v: unknown) => Number(v);

// Follows, unfollows and interactions are recorded as graph edges at ingest (src/network): they have no
// event row and no job, and count as processed once stored.
const graphOnlyEdges = sql<{ c: unknown }>`select count(*) as c from graph_edges where kind in ('follow', 'unfollow', 'like', 'share', 'message')`;

/** How far processing has got: processed events (graph edges included), and webhook/event jobs not yet finished. */
export async function progress(db: Db): Promise<{ processed: number; unfinishedJobs: number; dead: number; actions: number }> {
  const processedEvents = await sql<{ c: unknown }>`select count(*) as c from events where processed_at is not null`.execute(db);
  const processed = { rows: [{ c: n(processedEvents.rows[0]!.c) + n((await graphOnlyEdges.execute(db)).rows[0]!.c) }] };
  const jobs = await sql<{ state: string; c: unknown }>`select state, count(*) as c from jobs where queue in ('events', 'webhooks') group by state`.execute(db);
  const actions = await sql<{ c: unknown }>`select count(*) as c from actions`.execute(db);
  const by = (s: string) => n(jobs.rows.find((r) => r.state === s)?.c ?? 0);
  return { processed: n(processed.rows[0]!.c), unfinishedJobs: by("ready") + by("running"), dead: by("dead"), actions: n(actions.rows[0]!.c) };
}

/**
 * Stands in for the wait until a killed process's leases run out (a minute
 * for event jobs, `4 × LAPWING_WEBHOOK_TIMEOUT_MS + 10 s` for deliveries): the
 * process is dead, so its running jobs are claimable again. Call it only when
 * no server is running. Returns how many jobs it had in hand.
 */
export async function expireLeasesOfDeadWorkers(db: Db): Promise<number> {
  const result = await sql`update jobs set run_at = 0, locked_until = 0 where state = 'running' and queue in ('events', 'webhooks')`.execute(db);
  return n(result.numAffectedRows ?? 0);
}

/**
 * Everything the plan asks for happened exactly once in effect: every event
 * processed, one decision per event with a signal, each action stored once
 * per idempotency key and exactly the expected ones, every action delivered
 * (2xx) at least once with a valid signature, and no action delivered with
 * two different bodies.
 */
export async function assertExactlyOnce(db: Db, plan: LoadPlan, receiver: WebhookReceiver, total = plan.events.length): Promise<void> {
  const events = await sql<{ c: unknown; unprocessed: unknown }>`select count(*) as c, sum(case when processed_at is null then 1 else 0 end) as unprocessed from events`.execute(db);
  assert.equal(n(events.rows[0]!.c) + n((await graphOnlyEdges.execute(db)).rows[0]!.c), total, "every event stored (graph events as edges)");
  assert.equal(n(events.rows[0]!.unprocessed), 0, "every stored event processed");

  const decisions = await sql<{ event_id: string }>`select event_id from decisions`.execute(db);
  assert.equal(decisions.rows.length, plan.expected.decisionEventIds.size, "one decision per event with a signal, no more");
  assert.deepEqual(new Set(decisions.rows.map((r) => r.event_id)), plan.expected.decisionEventIds, "decisions for exactly the events with signals");

  const twice = await sql<{ idempotency_key: string; c: unknown }>`select idempotency_key, count(*) as c from actions group by idempotency_key having count(*) > 1`.execute(db);
  assert.deepEqual(twice.rows, [], "no idempotency key emitted twice");
  const stored = await sql<{ id: string; kind: string; target_type: string; target_id: string }>`select id, kind, target_type, target_id from actions`.execute(db);
  assert.equal(stored.rows.length, plan.expected.actions.size, "as many actions as a clean run of the same events");
  assert.deepEqual(new Set(stored.rows.map((a) => `${a.kind} ${a.target_type}:${a.target_id}`)), plan.expected.actions, "exactly the expected actions");

  const cases = await sql<{ account_id: string; c: unknown }>`select account_id, count(*) as c from cases where state <> 'decided' group by account_id`.execute(db);
  assert.deepEqual(new Set(cases.rows.map((r) => r.account_id)), plan.expected.caseAccounts, "a case for exactly the accounts with decisions");
  assert.ok(
    cases.rows.every((r) => n(r.c) === 1),
    "one undecided case per account",
  );

  const jobs = await sql<{ queue: string; state: string; c: unknown }>`select queue, state, count(*) as c from jobs where queue in ('events', 'webhooks') group by queue, state order by queue, state`.execute(db);
  const edgesOnly = n((await graphOnlyEdges.execute(db)).rows[0]!.c);
  assert.deepEqual(
    jobs.rows.map((r) => `${r.queue} ${r.state} ${n(r.c)}`),
    [`events done ${total - edgesOnly}`, `webhooks done ${plan.expected.actions.size}`],
    "every event and delivery job done, none dead",
  );

  const ids = new Set(stored.rows.map((a) => a.id));
  assert.deepEqual(receiver.acceptedIds(), ids, "every action delivered (answered 2xx) at least once, and nothing else");
  const undelivered = await sql<{ c: unknown }>`select count(*) as c from actions where delivered_at is null`.execute(db);
  assert.equal(n(undelivered.rows[0]!.c), 0, "every action marked delivered");
  for (const d of receiver.deliveries) {
    assert.ok(d.verified, `delivery ${d.n} (action ${d.action?.id}) carries a valid signature`);
    assert.equal(d.idempotencyKey, d.action?.id, "the idempotency key is the action id");
  }
  for (const [id, deliveries] of receiver.byActionId()) {
    const bodies = new Set(deliveries.map((d) => d.body));
    assert.equal(bodies.size, 1, `action ${id} was delivered ${deliveries.length} times with ${bodies.size} different bodies:\n${[...bodies].join("\n")}`);
  }
}
