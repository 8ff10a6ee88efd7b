import { buildCsr, NodeIds, type Csr } from "../graph/index.js";
import type { AccountProfile, PairLink } from "../linking/index.js";
import { buildAffinity, EdgeLog, follows, type FollowIndex } from "./affinity.js";
import { describeEvidence, type ContentEvidence } from "./evidence.js";
import { clusterCandidates, scoreAccounts, type ScoringOptions } from "./scoring.js";

/** Why an account is a seed, or was cleared. */
export interface SeedInfo {
  polarity: "seed" | "negative";
  /** "confirmed by a reviewer (csam)", "named by an operator: …". */
  why: string;
}

/** Everything scoring reads besides the edge log, loaded fresh for each scoring run. */
export interface ScoringWorld {
  profiles: ReadonlyMap<string, AccountProfile>;
  /** Accounts the platform marks as minors, or whose profile reads as a child's. */
  minors: ReadonlySet<string>;
  seeds: ReadonlyMap<string, SeedInfo>;
  evidence: ReadonlyMap<string, ContentEvidence>;
  /** Accounts suspended by Lapwing's actions or by the platform itself, with who did it. */
  actioned: ReadonlyMap<string, string>;
  /** For content nodes (`post:<id>`, `comment:<id>`): the author, when known. */
  authors: ReadonlyMap<string, string>;
  /** Content held, blocked or removed by actions in force (`post:<id>`, `comment:<id>`). */
  held: ReadonlySet<string>;
  /** Young people a safeguard decision protects (an `account.safeguard` action): kept from suspected accounts. */
  safeguarded?: ReadonlySet<string>;
  /**
   * Ban-evasion links among the given accounts (and of each to any other in
   * the set). Built on a selection because linking every profile of a large
   * platform would cost more than everything else together.
   */
  linksAmong(accounts: ReadonlySet<string>): (account: string) => PairLink[];
}

export interface ModelSettings {
  /** Score at or above which an account counts as suspected (targets, signals, the guard). */
  memberScore: number;
  /** Lower score at which the recommender guard already keeps an account out of suggestions (cheaper than a case). */
  guardScore: number;
  /** Distinct suspected followers that make a minor a target. */
  targetedFollowers: number;
  halfLifeDays: number;
  scoring: ScoringOptions;
  /** Accounts scored below this are not listed. */
  listFloor: number;
  /** Accounts scored at least this in the first pass are looked at for ban-evasion links. */
  linkFloor: number;
}

export interface RankedAccount {
  account: string;
  score: number;
  cluster: number | null;
  explanation: string[];
}

export interface AccountDetail extends RankedAccount {
  role: "seed" | "cleared" | "suspected" | "candidate" | "target" | "account";
  graphScore: number;
  contentScore: number;
  linkScore: number;
  isMinor: boolean;
  links: { account: string; strength: number; explanations: string[] }[];
  /** Suspected or seeded accounts it follows, and that follow it. */
  neighbourhood: { follows: { account: string; score: number; mutual: boolean }[]; followedBy: { account: string; score: number }[] };
}

export interface ClusterSummary {
  id: number;
  size: number;
  seeds: number;
  /** Members, highest score first. */
  members: { account: string; score: number }[];
}

export interface TargetedAccount {
  account: string;
  /** Suspected accounts that follow it. */
  suspectedFollowers: string[];
}

/** The result of one scoring run: what rank, show, clusters and the guard read. */
export interface NetworkSnapshot {
  builtAt: string;
  /** Seconds each stage of the last scoring took (the service adds reading the feed and the world). */
  timings: Record<string, number>;
  edges: number;
  accounts: number;
  seeds: number;
  ranked: RankedAccount[];
  clusters: ClusterSummary[];
  targets: TargetedAccount[];
  detail(account: string): AccountDetail | undefined;
  /** For the recommender guard: is the account suspected (seeded, actioned, or scored at least memberScore)? */
  isSuspected(account: string): boolean;
  /** For the recommender guard: suspected, or scored at least the guard's lower threshold. */
  isGuarded(account: string): boolean;
  /** Score of an account, 0 when unknown. */
  scoreOf(account: string): number;
  isMinor(account: string): boolean;
  /** Whether either account follows the other now. */
  connected(a: string, b: string): boolean;
  /** Author of a post or comment id, when the graph knows it. */
  authorOf(contentKey: string): string | undefined;
  /** Whether the content (`post:<id>`) is held, blocked or removed by an action in force. */
  isHeld(contentKey: string): boolean;
  /** Whether a safeguard decision protects the account from suspected accounts. */
  isSafeguarded(account: string): boolean;
}

/**
 * The in-memory graph of one process: interned node numbers and the typed-array
 * edge log, appended to from the edge store's feed. Every process reading the
 * same feed interns in the same order, so they all score alike.
 */
export class GraphModel {
  readonly ids = new NodeIds();
  readonly log = new EdgeLog();
  cursor = 0;

  /** Appends edge rows read from the store (in feed order). */
  append(rows: readonly { seq: number | string; kind: string; src: string; dst: string; occurred_at: string }[], kindCode: Readonly<Record<string, number>>): void {
    for (const row of rows) {
      const code = kindCode[row.kind];
      if (code !== undefined) this.log.append(this.ids.id(row.src), this.ids.id(row.dst), code, Date.parse(row.occurred_at) / 1000);
      this.cursor = Math.max(this.cursor, Number(row.seq));
    }
  }

  /** Content nodes (`post:…`, `comment:…`) whose author is not yet known. */
  contentKeys(): string[] {
    const keys: string[] = [];
    for (let v = 0; v < this.ids.size; v++) {
      const key = this.ids.key(v);
      if (isContentKey(key)) keys.push(key);
    }
    return keys;
  }

  /** Scores every account from the log and the world; pure computation, no I/O. */
  score(world: ScoringWorld, settings: ModelSettings, now: Date): NetworkSnapshot {
    const { ids } = this;
    // Accounts with a profile but no edge still get a node, so show and the guard know them.
    for (const account of world.profiles.keys()) ids.id(account);
    for (const account of world.seeds.keys()) ids.id(account);
    const n = ids.size;

    const accountOf = new Int32Array(n);
    const excluded = new Uint8Array(n);
    for (let v = 0; v < n; v++) {
      const key = ids.key(v);
      if (isContentKey(key)) {
        const author = world.authors.get(key);
        accountOf[v] = author === undefined ? -1 : ids.id(author);
      } else {
        accountOf[v] = v;
        if (world.minors.has(key)) excluded[v] = 1;
      }
    }
    // Authors interned above may have grown the id space; they are accounts and map to themselves.
    const size = ids.size;
    const accountOfAll = size === n ? accountOf : growInt32(accountOf, size, (v) => v);
    const excludedAll = size === n ? excluded : growUint8(excluded, size);

    const timings: Record<string, number> = {};
    let lap = performance.now();
    const stage = (name: string) => {
      const now = performance.now();
      timings[name] = Math.round(now - lap) / 1000;
      lap = now;
    };
    let affinity = buildAffinity(this.log, { nodeCount: size, accountOf: accountOfAll, excluded: excludedAll, halfLifeDays: settings.halfLifeDays });
    let graph = buildCsr(size, affinity.ties, { symmetric: true });
    stage("buildGraph");

    const seeds: number[] = [];
    const dismissed = new Set<number>();
    for (const [account, info] of world.seeds) {
      const node = ids.get(account)!;
      if (info.polarity === "seed" && excludedAll[node] !== 1) seeds.push(node);
      else if (info.polarity === "negative") dismissed.add(node);
    }
    seeds.sort((a, b) => a - b);
    const content = new Float64Array(size);
    const proof = new Float64Array(size);
    for (const [account, e] of world.evidence) {
      const node = ids.get(account);
      if (node === undefined) continue;
      content[node] = e.strength;
      proof[node] = e.proof;
    }

    // Pass 1 without links, to know which accounts are suspected: links count only towards those, and
    // an account that reported suspected accounts is an observer whose ties say nothing.
    const noLinks = new Float64Array(size);
    const first = scoreAccounts({ graph, seeds, dismissed, content, proof, links: noLinks }, settings.scoring);
    stage("firstPass");
    const isSeed = (key: string) => world.seeds.get(key)?.polarity === "seed";
    const suspected = (node: number) => first.score[node]! >= settings.memberScore || world.actioned.has(ids.key(node)) || isSeed(ids.key(node));
    const observers = new Uint8Array(size);
    const reportsOf = new Map<number, number>();
    const { reports } = affinity;
    for (let k = 0; k < reports.length; k++) {
      const reporter = reports.sources[k]!;
      if (!suspected(reports.targets[k]!) || suspected(reporter)) continue;
      observers[reporter] = 1;
      reportsOf.set(reporter, (reportsOf.get(reporter) ?? 0) + 1);
    }
    if (reportsOf.size > 0) {
      affinity = buildAffinity(this.log, { nodeCount: size, accountOf: accountOfAll, excluded: excludedAll, observers, halfLifeDays: settings.halfLifeDays });
      graph = buildCsr(size, affinity.ties, { symmetric: true });
    }

    const selection = new Set<string>();
    for (let v = 0; v < size; v++) {
      const key = ids.key(v);
      if (isContentKey(key) || observers[v] === 1) continue;
      const profile = world.profiles.get(key);
      if (first.score[v]! >= settings.linkFloor || world.actioned.has(key) || isSeed(key) || (profile && mentionsAnother(profile))) selection.add(key);
    }
    const linksOf = world.linksAmong(selection);
    stage("linking");
    const links = new Float64Array(size);
    const linkNotes = new Map<number, { account: string; strength: number; explanations: string[] }[]>();
    for (const account of selection) {
      const node = ids.get(account)!;
      const found: { account: string; strength: number; explanations: string[] }[] = [];
      let best = 0;
      for (const pair of linksOf(account)) {
        const other = ids.get(pair.other);
        if (other === undefined || !suspected(other)) continue;
        // A link is evidence in proportion to how sure we are about the other end.
        const otherWeight = world.actioned.has(pair.other) || isSeed(pair.other) ? 1 : first.score[other]!;
        best = Math.max(best, pair.strength * otherWeight);
        found.push({ account: pair.other, strength: pair.strength, explanations: pair.links.map((l) => l.explanation) });
      }
      if (found.length > 0) {
        links[node] = best;
        linkNotes.set(node, found);
      }
    }
    const scores = linkNotes.size > 0 || reportsOf.size > 0 ? scoreAccounts({ graph, seeds, dismissed, content, proof, links }, settings.scoring) : first;
    stage("score");

    const isSuspected = new Uint8Array(size);
    for (let v = 0; v < size; v++) {
      const key = ids.key(v);
      if (isContentKey(key)) continue;
      if (scores.score[v]! >= settings.memberScore || world.actioned.has(key) || world.seeds.get(key)?.polarity === "seed") isSuspected[v] = 1;
    }

    // Who follows whom among the suspected, for explanations, targets and the guard.
    const seedSet = new Set(seeds);
    const followedBySuspected = new Uint32Array(size);
    const followedBySeed = new Uint32Array(size);
    const minorsFollowed = new Map<number, number[]>();
    const { offsets, targets } = affinity.follows;
    for (let s = 0; s < size; s++) {
      if (isSuspected[s] !== 1) continue;
      for (let k = offsets[s]!; k < offsets[s + 1]!; k++) {
        const t = targets[k]!;
        followedBySuspected[t]! += 1;
        if (seedSet.has(s)) followedBySeed[t]! += 1;
        if (excludedAll[t] === 1) minorsFollowed.set(t, [...(minorsFollowed.get(t) ?? []), s]);
      }
    }

    // Minors followed by many suspected accounts are targets: surfaced for safeguarding, never members.
    const targetsFound: TargetedAccount[] = [];
    for (const [v, followers] of minorsFollowed) {
      if (followers.length >= settings.targetedFollowers) targetsFound.push({ account: ids.key(v), suspectedFollowers: followers.map((s) => ids.key(s)) });
    }
    targetsFound.sort((a, b) => b.suspectedFollowers.length - a.suspectedFollowers.length || (a.account < b.account ? -1 : 1));

    const listed: number[] = [];
    for (let v = 0; v < size; v++) if (!isContentKey(ids.key(v)) && scores.score[v]! >= settings.listFloor) listed.push(v);
    listed.sort((a, b) => scores.score[b]! - scores.score[a]! || a - b);

    const clusterMembers = listed.filter((v) => isSuspected[v] === 1);
    const { cluster } = clusterCandidates(graph, clusterMembers);
    const clusterSeeds = new Map<number, number>();
    const clusterSizes = new Map<number, number>();
    for (const v of clusterMembers) {
      const c = cluster[v]!;
      clusterSizes.set(c, (clusterSizes.get(c) ?? 0) + 1);
      if (seedSet.has(v)) clusterSeeds.set(c, (clusterSeeds.get(c) ?? 0) + 1);
    }

    stage("clusters");
    const handleOf = (node: number) => {
      const key = ids.key(node);
      const handle = world.profiles.get(key)?.handles[0];
      return handle ? `@${handle.replace(/^@/, "")}` : key;
    };
    const explain = (v: number): string[] => {
      const key = ids.key(v);
      const out: string[] = [];
      const seed = world.seeds.get(key);
      if (seed) out.push(seed.polarity === "seed" ? `seed: ${seed.why}` : `cleared: ${seed.why}`);
      const actionedBy = world.actioned.get(key);
      if (actionedBy) out.push(`suspended by ${actionedBy}`);
      let toSeeds = 0;
      let toSuspected = 0;
      let mutual = 0;
      for (let k = offsets[v]!; k < offsets[v + 1]!; k++) {
        const t = targets[k]!;
        if (isSuspected[t] !== 1) continue;
        toSuspected += 1;
        if (seedSet.has(t)) toSeeds += 1;
        if (follows(affinity.follows, t, v)) mutual += 1;
      }
      if (toSuspected > 0) out.push(`follows ${toSuspected} suspected account${toSuspected === 1 ? "" : "s"} (${toSeeds} of them seeds), ${mutual} of them mutual`);
      if (followedBySuspected[v]! > 0) out.push(`followed by ${followedBySuspected[v]} suspected account${followedBySuspected[v] === 1 ? "" : "s"} (${followedBySeed[v]} of them seeds)`);
      const evidence = world.evidence.get(key);
      if (evidence) out.push(...describeEvidence(evidence));
      for (const link of linkNotes.get(v) ?? []) out.push(`linked to ${handleOf(ids.get(link.account)!)} (${link.strength.toFixed(2)}): ${link.explanations[0] ?? "ban-evasion link"}`);
      const c = cluster[v]!;
      if (c >= 0) out.push(`in cluster ${c} with ${clusterSeeds.get(c) ?? 0} seeds among ${clusterSizes.get(c)} suspected accounts`);
      if (!seed) out.push(`graph score ${scores.graph[v]!.toFixed(3)} from a walk from ${seeds.length} seed${seeds.length === 1 ? "" : "s"}`);
      if (dismissed.has(v)) out.push("a reviewer dismissed a case about it: graph score reduced");
      if (observers[v] === 1) out.push(`reported ${reportsOf.get(v)} suspected account${reportsOf.get(v) === 1 ? "" : "s"}: its own ties are not counted (an observer, not a member)`);
      return out;
    };

    const ranked: RankedAccount[] = listed.map((v) => ({ account: ids.key(v), score: round(scores.score[v]!), cluster: cluster[v]! >= 0 ? cluster[v]! : null, explanation: explain(v) }));
    stage("explain");

    const clusters: ClusterSummary[] = [...clusterSizes.keys()]
      .sort((a, b) => a - b)
      .map((c) => {
        const members = clusterMembers.filter((v) => cluster[v] === c).map((v) => ({ account: ids.key(v), score: round(scores.score[v]!) }));
        return { id: c, size: members.length, seeds: clusterSeeds.get(c) ?? 0, members };
      });

    const isTarget = new Set(targetsFound.map((t) => t.account));
    const detail = (account: string): AccountDetail | undefined => {
      const v = ids.get(account);
      if (v === undefined || isContentKey(account)) return undefined;
      const seed = world.seeds.get(account);
      const role: AccountDetail["role"] = seed?.polarity === "seed" ? "seed" : seed ? "cleared" : isTarget.has(account) ? "target" : isSuspected[v] === 1 ? "suspected" : scores.score[v]! >= settings.listFloor ? "candidate" : "account";
      const followsOut: AccountDetail["neighbourhood"]["follows"] = [];
      for (let k = offsets[v]!; k < offsets[v + 1]! && followsOut.length < 50; k++) {
        const t = targets[k]!;
        if (isSuspected[t] === 1) followsOut.push({ account: ids.key(t), score: round(scores.score[t]!), mutual: follows(affinity.follows, t, v) });
      }
      const followedBy: AccountDetail["neighbourhood"]["followedBy"] = [];
      if (followedBySuspected[v]! > 0) {
        for (let s = 0; s < size && followedBy.length < Math.min(50, followedBySuspected[v]!); s++) {
          if (isSuspected[s] === 1 && follows(affinity.follows, s, v)) followedBy.push({ account: ids.key(s), score: round(scores.score[s]!) });
        }
      }
      const explanation = explain(v);
      if (isTarget.has(account)) explanation.unshift(`targeted: a minor followed by ${followedBySuspected[v]} suspected accounts (surfaced for safeguarding, not scored as a member)`);
      return {
        account,
        score: round(scores.score[v]!),
        cluster: cluster[v]! >= 0 ? cluster[v]! : null,
        explanation,
        role,
        graphScore: round(scores.graph[v]!),
        contentScore: round(Math.max(content[v]!, proof[v]!)),
        linkScore: round(links[v]!),
        isMinor: excludedAll[v] === 1,
        links: linkNotes.get(v) ?? [],
        neighbourhood: { follows: followsOut, followedBy },
      };
    };

    return {
      builtAt: now.toISOString(),
      timings,
      edges: this.log.length,
      accounts: world.profiles.size,
      seeds: seeds.length,
      ranked,
      clusters,
      targets: targetsFound,
      detail,
      isSuspected: (account) => {
        const v = ids.get(account);
        return v !== undefined && v < size ? isSuspected[v] === 1 : world.actioned.has(account) || world.seeds.get(account)?.polarity === "seed";
      },
      isGuarded: (account) => {
        const v = ids.get(account);
        if (v === undefined || v >= size) return world.actioned.has(account) || world.seeds.get(account)?.polarity === "seed";
        return isSuspected[v] === 1 || scores.score[v]! >= settings.guardScore;
      },
      scoreOf: (account) => {
        const v = ids.get(account);
        return v !== undefined && v < size ? scores.score[v]! : 0;
      },
      isMinor: (account) => world.minors.has(account),
      connected: (a, b) => {
        const x = ids.get(a);
        const y = ids.get(b);
        if (x === undefined || y === undefined || x >= size || y >= size) return false;
        return follows(affinity.follows, x, y) || follows(affinity.follows, y, x);
      },
      authorOf: (contentKey) => world.authors.get(contentKey),
      isHeld: (contentKey) => world.held.has(contentKey),
      isSafeguarded: (account) => world.safeguarded?.has(account) ?? false,
    };
  }
}

/** Whether a bio or display name names another account (`@handle`): a possible "backup of @x". */
function mentionsAnother(profile: AccountProfile): boolean {
  return (profile.bio?.includes("@") ?? false) || (profile.displayName?.includes("@") ?? false);
}

export function isContentKey(key: string): boolean {
  return key.startsWith("post:") || key.startsWith("comment:");
}

/** Graph arrays as the bench and tests see them. */
export type { Csr, FollowIndex };

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function growInt32(array: Int32Array, size: number, fill: (index: number) => number): Int32Array {
  const grown = new Int32Array(size);
  grown.set(array);
  for (let i = array.length; i < size; i++) grown[i] = fill(i);
  return grown;
}

function growUint8(array: Uint8Array, size: number): Uint8Array {
  const grown = new Uint8Array(size);
  grown.set(array);
  return grown;
}
