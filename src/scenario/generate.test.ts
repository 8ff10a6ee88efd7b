import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { eventTypes, platformEvent } from "../events/index.js";
import {
  accountRoles,
  evaluateRanking,
  followerCountBaseline,
  generateScenario,
  scenarioScale,
  twoHopBaseline,
  type Scenario,
  type ScenarioEvent,
} from "./index.js";

interface Captured {
  scenario: Scenario;
  events: ScenarioEvent[];
  bank: string[];
  recs: Map<string, readonly string[]>;
  digest: string;
}

function capture(accounts: number, seed: number): Captured {
  const events: ScenarioEvent[] = [];
  const bank: string[] = [];
  const recs = new Map<string, readonly string[]>();
  const hash = createHash("sha256");
  const scenario = generateScenario(
    { accounts, seed },
    {
      event: (e) => {
        events.push(e);
        hash.update(JSON.stringify(e));
      },
      bankEntry: (e) => {
        bank.push(e.pdq);
        hash.update(e.pdq);
      },
      recommendations: (viewer, candidates) => {
        recs.set(viewer, candidates);
        hash.update(viewer + candidates.join(","));
      },
    },
  );
  hash.update(JSON.stringify(scenario.labels));
  return { scenario, events, bank, recs, digest: hash.digest("hex") };
}

function hamming(a: string, b: string): number {
  let bits = 0;
  for (let i = 0; i < a.length; i++) {
    let x = parseInt(a[i]!, 16) ^ parseInt(b[i]!, 16);
    for (; x; x &= x - 1) bits++;
  }
  return bits;
}

const small = capture(3000, 7);
const { labels } = small.scenario;

describe("scenario generator", () => {
  it("replays exactly for a seed, and differs for another seed", () => {
    assert.equal(capture(3000, 7).digest, small.digest);
    assert.notEqual(capture(3000, 8).digest, small.digest);
  });

  it("emits only events that the platform event schema accepts, of every type a platform sends", () => {
    const seen = new Set<string>();
    const kinds = new Set<string>();
    const ids = new Set<string>();
    for (const event of small.events) {
      const parsed = platformEvent.safeParse(event);
      assert.ok(parsed.success, `${event.type} ${event.id}: ${parsed.success ? "" : parsed.error.message}`);
      seen.add(event.type);
      if (event.type === "interaction") kinds.add(event.kind);
      assert.ok(!ids.has(event.id), `event id ${event.id} is unique`);
      ids.add(event.id);
      assert.ok(event.occurred_at >= labels.startsAt && event.occurred_at <= labels.endsAt, `${event.id} lies in the window`);
    }
    const notSent = ["post.updated", "post.deleted"];
    assert.deepEqual([...seen].sort(), eventTypes.filter((t) => !notSent.includes(t)).sort());
    assert.deepEqual([...kinds].sort(), ["like", "message", "share"]);
  });

  it("scales its knobs from the account count, with the network capped", () => {
    assert.equal(labels.accountCount, 3000);
    assert.equal(Object.keys(labels.accounts).length, 3000);
    const big = scenarioScale(1_000_000);
    assert.equal(big.sellers + big.sellerBackups, 1500, "capped at 1,500 members");
    const mid = scenarioScale(100_000);
    assert.equal(mid.sellers + mid.sellerBackups, 600, "0.6% of accounts");
    assert.throws(() => generateScenario({ accounts: 10 }, { event() {}, bankEntry() {}, recommendations() {} }), /accounts is a whole number from 1000/);
  });

  it("has consistent labels: members, seeds, backups, targets, known media, handle changes", () => {
    const accounts = labels.accounts;
    const created = new Map<string, { handle: string; bio: string }>();
    for (const e of small.events) if (e.type === "account.created") created.set(e.account.id, { handle: e.account.handle!, bio: e.account.bio ?? "" });
    assert.equal(created.size, 3000, "every account is created once");
    for (const id of Object.keys(accounts)) assert.ok(created.has(id), `${id} has an account.created event`);

    assert.equal(labels.network.size, labels.network.members.length);
    for (const m of labels.network.members) {
      assert.ok(["seller", "seller_backup"].includes(accounts[m]!.role), `${m} is a seller or a backup`);
      assert.ok(accounts[m]!.flags.includes("member"));
    }
    const memberCount = Object.values(accounts).filter((a) => a.flags.includes("member")).length;
    assert.equal(memberCount, labels.network.size, "only members carry the member flag");
    assert.equal(new Set(labels.network.seeds).size, 5);
    for (const s of labels.network.seeds) assert.equal(accounts[s]!.role, "seller");
    assert.deepEqual(labels.network.rings.flat().sort(), labels.network.members.filter((m) => accounts[m]!.role === "seller").sort());

    const handlesOf = new Map<string, Set<string>>();
    for (const [id, a] of created) handlesOf.set(id, new Set([a.handle]));
    for (const change of labels.handleChanges) {
      assert.ok(small.events.some((e) => e.type === "account.updated" && e.account.id === change.account && e.account.handle === change.to));
      handlesOf.get(change.account)!.add(change.to);
    }
    for (const pair of labels.backups) {
      const backup = accounts[pair.backup]!;
      const original = accounts[pair.original]!;
      if (pair.kind === "network") {
        assert.equal(backup.role, "seller_backup");
        assert.equal(original.role, "seller");
        if (pair.afterBan) assert.ok(original.flags.includes("suspended"), "a backup made after a ban has a banned original");
      } else {
        assert.equal(backup.role, "benign_backup");
        assert.equal(original.role, "benign_seller");
      }
      // The backup's bio names its original by one of the original's handles (the churn words around it may be disguised).
      const bio = created.get(pair.backup)!.bio;
      assert.ok([...handlesOf.get(pair.original)!].some((h) => bio.includes(`@${h}`)), `${pair.backup}'s bio names @${[...handlesOf.get(pair.original)!].join("/")}: ${bio}`);
    }
    for (const t of labels.targetedMinors) {
      assert.equal(accounts[t]!.role, "teen");
      assert.ok(accounts[t]!.flags.includes("targeted") && accounts[t]!.flags.includes("minor"));
    }
    const memberSet = new Set(labels.network.members);
    assert.ok(
      labels.targetedMinors.every((t) => small.scenario.graph.to.some((to, i) => small.scenario.graph.ids[to] === t && memberSet.has(small.scenario.graph.ids[small.scenario.graph.from[i]!]!))),
      "every targeted minor is followed by a member",
    );

    const posts = new Map<string, { author: string; pdq?: string }>();
    for (const e of small.events) if (e.type === "post.created") posts.set(e.post.id, { author: e.post.author_id, pdq: (e.post.media?.[0] as { pdq?: string } | undefined)?.pdq });
    assert.ok(labels.knownMedia.some((k) => k.match === "exact") && labels.knownMedia.some((k) => k.match === "reencoded"));
    for (const k of labels.knownMedia) {
      const post = posts.get(k.post)!;
      assert.equal(post.author, k.author);
      const nearest = Math.min(...small.bank.map((b) => hamming(b, post.pdq!)));
      assert.equal(nearest, k.distance, `${k.post} is ${k.distance} bits from the bank`);
      if (k.match === "reencoded") assert.ok(k.distance >= 10 && k.distance <= 20);
    }
    const suspended = Object.entries(accounts).filter(([, a]) => a.flags.includes("suspended")).map(([id]) => id);
    for (const id of suspended) {
      assert.ok(small.events.some((e) => e.type === "moderation.outcome" && e.outcome.target.id === id && e.outcome.action === "suspended"));
    }
    const reported = new Set(small.events.flatMap((e) => (e.type === "report.created" ? [e.report.target.author_id ?? e.report.target.id] : [])));
    for (const id of Object.keys(accounts).filter((a) => accounts[a]!.flags.includes("bio_cleaned"))) assert.ok(reported.has(id), `${id} was reported before it cleaned its bio`);
  });

  it("has every kind of account the issue lists", () => {
    const roles = new Set(Object.values(labels.accounts).map((a) => a.role));
    assert.deepEqual([...roles].sort(), [...accountRoles].sort());
    const flags = new Set(Object.values(labels.accounts).flatMap((a) => a.flags));
    for (const f of ["seed", "minor", "targeted", "fresh", "suspended", "handle_changed", "bio_cleaned", "quiet", "coach", "known_media", "touched_seller"]) {
      assert.ok(flags.has(f as never), `some account is ${f}`);
    }
  });

  it("is not trivially easy: the two-hop and follower-count baselines stay well below 0.9", () => {
    for (const { scenario } of [small, capture(20_000, 3)]) {
      const seeds = scenario.labels.network.seeds;
      const twoHop = evaluateRanking(scenario.labels, twoHopBaseline(scenario.graph, seeds).map((r) => r.account));
      const degree = evaluateRanking(scenario.labels, followerCountBaseline(scenario.graph, seeds).map((r) => r.account));
      console.log(`${scenario.labels.accountCount} accounts: two-hop precision@N ${twoHop.precisionAtN.toFixed(3)} (N=${twoHop.n}), follower count ${degree.precisionAtN.toFixed(3)}`);
      assert.ok(twoHop.precisionAtN < 0.9, `two-hop ${twoHop.precisionAtN}`);
      assert.ok(twoHop.precisionAtN > 0.2, "but the seeds do lead somewhere");
      assert.ok(degree.precisionAtN < 0.3, `follower count ${degree.precisionAtN}`);
      const wrong = twoHop.wrongInTopN;
      assert.ok(wrong.celebrity + wrong.teen + wrong.reporter > 0, "celebrities, targeted teens or reporters fool it");
    }
  });

  it("records suggestions that reproduce the investigation's failure: touch one seller, get shown others", () => {
    const members = new Set(labels.network.members);
    const { teen, fresh, other } = small.scenario.viewers;
    assert.equal(teen.length, Object.values(labels.accounts).filter((a) => a.role === "teen").length, "every teen is a viewer");
    assert.equal(fresh.length, Object.values(labels.accounts).filter((a) => a.role === "fresh").length, "every fresh account is a viewer");
    assert.ok(other.length >= 50);
    for (const viewer of [...teen, ...fresh, ...other]) assert.ok(small.recs.has(viewer));
    const touched = [...teen, ...fresh, ...other].filter((v) => labels.accounts[v]!.flags.includes("touched_seller"));
    const untouched = [...teen, ...fresh, ...other].filter((v) => !labels.accounts[v]!.flags.includes("touched_seller"));
    const exposed = (list: string[]) => list.filter((v) => small.recs.get(v)!.some((c) => members.has(c))).length / list.length;
    assert.ok(touched.length >= 10);
    assert.ok(exposed(touched) > 0.6, `viewers who follow a member are shown members: ${exposed(touched)}`);
    assert.ok(exposed(untouched) < exposed(touched) / 2, `others much less so: ${exposed(untouched)}`);
  });
});
