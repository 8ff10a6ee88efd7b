import { splitScopedKey } from "../events/index.js";
import { buildCsr, EdgeBuffer, NodeIds, withoutEdges, type Csr } from "../graph/index.js";
import type { PairLink } from "../linking/index.js";
import { EdgeLog, follows, kindCode, TieFold, type FollowIndex } from "./affinity.js";
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
  /** Accounts with a profile (each has a node already). */
  accounts: number;
  /** Whether the node's bio or display name names another account (`@handle`): a possible "backup of @x". */
  mentionsAnother(node: number): boolean;
  /** Accounts the platform marks as minors, or whose profile reads as a child's. */
  minors: ReadonlySet<string>;
  seeds: ReadonlyMap<string, SeedInfo>;
  evidence: ReadonlyMap<string, ContentEvidence>;
  /** Accounts suspended by Lapwing's actions or by the platform itself, with who did it. */
  actioned: ReadonlyMap<string, string>;
  /** Content held, blocked or removed by actions in force (`post:<id>`, `comment:<id>`). */
  held: ReadonlySet<string>;
  /** Young people a safeguard decision protects (an `account.safeguard` action): kept from suspected accounts. */
  safeguarded?: ReadonlySet<string>;
  /**
   * Ban-evasion links among the given accounts (and of each to any other in
   * the set), and the handle to name each by. Built on a selection because
   * linking every profile of a large platform would cost more than everything
   * else together; the selection's profiles are read for it.
   */
  linksAmong(accounts: ReadonlySet<string>): Promise<{ linksOf(account: string): PairLink[]; handleOf(account: string): string }>;
}

export interface ModelSettings {
  /** Score at or above which an account counts as suspected (targets, signals, the guard). */
  memberScore: number;
  /**
   * Lower score at which the recommender guard already keeps an account out of suggestions (cheaper than a
   * case), when the account made a tie to the network itself or has evidence of its own (see `ScoreData.guarded`).
   */
  guardScore: number;
  /**
   * Suspected accounts an account follows and is followed back by that keep it out of suggestions whatever it
   * scores (see `ScoreData.guarded`): a reciprocated tie is both sides' act, which one-way follows are not.
   */
  guardMutualFollows: number;
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
  /** For the recommender guard: suspected, or scored at least the guard's lower threshold with an act of its own (`ScoreData.guarded`). */
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

/** A ban-evasion link of a scored account, as explanations and `show` list it. */
export interface LinkNote {
  account: string;
  /** `@handle` of the other account (its id when it has no handle), for explanations. */
  handle: string;
  strength: number;
  explanations: string[];
}

/**
 * What one scoring run computed, as plain data: typed arrays indexed by node
 * number plus a few small lists, so it crosses from the scoring thread to the
 * serving thread by transfer, not by copying an object per account.
 * {@link snapshotOf} turns it into the {@link NetworkSnapshot} everything reads.
 */
export interface ScoreData {
  builtAt: string;
  timings: Record<string, number>;
  edges: number;
  accounts: number;
  /** Node count (the arrays' length). */
  size: number;
  /** Scores at or above it keep an account out of suggestions (`ModelSettings.guardScore`), with `guarded`. */
  guardScore: number;
  /** Mutual follows with suspected accounts that keep an account out of suggestions (`ModelSettings.guardMutualFollows`). */
  guardMutualFollows: number;
  /** Scores at or above it are listed (`ModelSettings.listFloor`). */
  listFloor: number;
  score: Float64Array;
  graph: Float64Array;
  /** max(soft content evidence, proof), 0..1. */
  content: Float64Array;
  links: Float64Array;
  isSuspected: Uint8Array;
  /**
   * What the recommender guard keeps out of suggestions: the suspected, and accounts scored at least
   * `guardScore` that made a tie to an account at or above it themselves (followed, messaged, liked or
   * commented on it) or have content or ban-evasion evidence of their own. An account whose score comes only
   * from ties the network made to it (sellers following a shop, a friend, a teenager) is not kept out below
   * the suspicion threshold: being followed is the follower's act. And, whatever they score, accounts that
   * follow and are followed back by at least `guardMutualFollows` suspected accounts: a quiet member of a ring
   * far from every seed scores low, but its ties with the ring are reciprocated, which a buyer's, a reporter's
   * or a curious account's one-way follows are not.
   */
  guarded: Uint8Array;
  /** Minors (left out of the walk). */
  minor: Uint8Array;
  observers: Uint8Array;
  cluster: Int32Array;
  followOffsets: Uint32Array;
  followTargets: Uint32Array;
  followedBySuspected: Uint32Array;
  followedBySeed: Uint32Array;
  /** For content nodes, the author's node (-1 unknown); for accounts, themselves. */
  accountOf: Int32Array;
  /** Listed nodes, highest score first. */
  listed: Uint32Array;
  seedNodes: number[];
  dismissed: number[];
  seeds: [string, SeedInfo][];
  actioned: [string, string][];
  evidence: [string, ContentEvidence][];
  linkNotes: [number, LinkNote[]][];
  reportsOf: [number, number][];
  held: string[];
  /** Young people a safeguard decision protects: kept from suspected accounts. */
  safeguarded: string[];
  /** Minors the graph has no node for (an age band but no edge or profile event). */
  otherMinors: string[];
  targets: TargetedAccount[];
}

/** The typed arrays of a {@link ScoreData}, to transfer to another thread. */
export function transferablesOf(data: ScoreData): ArrayBuffer[] {
  const arrays = [data.score, data.graph, data.content, data.links, data.isSuspected, data.guarded, data.minor, data.observers, data.cluster, data.followOffsets, data.followTargets, data.followedBySuspected, data.followedBySeed, data.accountOf, data.listed];
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}

/** Maps node numbers to account ids and back: the scoring side's `NodeIds`, or the serving side's copy of it. */
export interface KeyLookup {
  get(key: string): number | undefined;
  key(node: number): string;
}

/** Room kept in the tie graph's and the follow index's arrays (a share of their entries) for the next rebuild to use. */
const rebuildSlack = 1 / 64;

/**
 * The in-memory graph of one process (or scoring thread): interned node
 * numbers and the ties folded from the edge store's feed. Every process
 * reading the same feed interns in the same order, so they all score alike.
 */
export class GraphModel {
  readonly ids = new NodeIds();
  /** One page of the feed, folded into `ties` as soon as it is read. */
  readonly page = new EdgeLog();
  readonly ties: TieFold;
  cursor = 0;
  /** Per node: itself for an account, its author for content (-1 while unknown). */
  #accountOf = new Int32Array(1024);
  readonly #resolve = (node: number) => this.#accountOf[node]!;
  /**
   * The graphs the last scoring built, kept while no pair changed (the tie
   * fold's version), nor the node count, the minors or the observers left
   * out: building them from ten million pairs is most of a re-scoring.
   */
  #built: BuiltGraphs | undefined;

  constructor(halfLifeDays: number) {
    this.ties = new TieFold(halfLifeDays);
  }

  /** Interns `key`, noting whether the node is an account or content. */
  intern(key: string): number {
    const before = this.ids.size;
    const v = this.ids.id(key);
    if (v === before) {
      if (v === this.#accountOf.length) {
        const grown = new Int32Array(this.#accountOf.length * 2);
        grown.set(this.#accountOf);
        this.#accountOf = grown;
      }
      this.#accountOf[v] = isContentKey(key) ? -1 : v;
    }
    return v;
  }

  /**
   * Appends edge rows read from the store (in feed order, as
   * `[seq, kind, src, dst, occurred_at]`) and folds them into the ties.
   */
  appendRows(rows: readonly (readonly [number | string | bigint, string, string, string, string])[]): void {
    const { page } = this;
    for (const row of rows) {
      const code = (kindCode as Record<string, number>)[row[1]];
      if (code !== undefined) page.append(this.intern(row[2]), this.intern(row[3]), code, utcSeconds(row[4]));
      const seq = Number(row[0]);
      if (seq > this.cursor) this.cursor = seq;
    }
    this.ties.fold(page, this.#resolve);
    page.clear();
  }

  /** Content nodes (`post:…`, `comment:…`) from node `from` on whose author is not yet known. */
  contentKeys(from = 0): string[] {
    const keys: string[] = [];
    for (let v = from; v < this.ids.size; v++) if (this.#accountOf[v] === -1) keys.push(this.ids.key(v));
    return keys;
  }

  /** Records content authors found since, and folds the edges that were waiting for them. */
  resolveAuthors(authors: ReadonlyMap<string, string>): void {
    let found = false;
    for (const [key, author] of authors) {
      const v = this.ids.get(key);
      if (v === undefined || this.#accountOf[v] !== -1) continue;
      this.#accountOf[v] = this.intern(author);
      found = true;
    }
    if (found) this.ties.foldPending(this.#resolve);
  }

  #isCurrent(size: number, excluded: Uint8Array): boolean {
    const kept = this.#built;
    return kept !== undefined && kept.version === this.ties.version && kept.graph.nodeCount === size && sameBytes(kept.excluded, excluded);
  }

  /** The tie graph without the minors, the follow index and the reports: kept from the last scoring when still current. */
  #graphsFor(size: number, excluded: Uint8Array): BuiltGraphs {
    if (this.#isCurrent(size, excluded)) return this.#built!;
    // Nothing else holds the previous graph and follow index (the reply copies what it sends): the next ones are
    // built in their storage, as scratch space, with room kept for the next follows. Fresh scratch arrays beside the
    // old ones, which the garbage collector frees only when it runs, were the scoring process's peak at 1M accounts.
    const previousGraph = this.#built?.graph;
    const previousFollows = this.#built?.follows;
    this.#built = undefined;
    this.ties.trim();
    const graph = buildCsr(size, this.ties.tieEdges({ excluded, undirected: true }), { symmetric: true, recycle: previousGraph, slack: rebuildSlack });
    const follows = this.ties.followIndex(size, { recycle: previousFollows, slack: rebuildSlack });
    this.#built = { version: this.ties.version, excluded: excluded.slice(), graph, follows, reports: this.ties.reports() };
    return this.#built;
  }

  /**
   * The tie graph without the observers' own ties as well: the other's
   * weights with those ties taken out (observers are few; the structure is
   * shared), kept while the observers are the same.
   */
  #observedGraph(built: BuiltGraphs, observers: Uint8Array): Csr {
    if (!built.observed || !sameBytes(built.observed.observers, observers)) {
      const ties = this.ties.tieEdges({ excluded: built.excluded });
      const theirs = new EdgeBuffer(1024);
      for (let k = 0; k < ties.sources.length; k++) if (observers[ties.sources[k]!] === 1 && ties.weights[k]! > 0) theirs.add(ties.sources[k]!, ties.targets[k]!, ties.weights[k]!);
      built.observed = { observers: observers.slice(), graph: withoutEdges(built.graph, theirs) };
    }
    return built.observed.graph;
  }

  /** Scores every account from the folded ties and the world; computation but for reading the selection's profiles to link them. */
  async score(world: ScoringWorld, settings: ModelSettings, now: Date): Promise<ScoreData> {
    // Seeds with no edge or profile still get a node, so show and the guard know them (accounts with a profile have one).
    for (const account of world.seeds.keys()) this.intern(account);
    const { ids } = this;
    const size = ids.size;
    const accountOf = this.#accountOf.slice(0, size);
    const excluded = new Uint8Array(size);
    const otherMinors: string[] = [];
    for (const account of world.minors) {
      const v = ids.get(account);
      if (v === undefined) otherMinors.push(account);
      else if (accountOf[v] === v) excluded[v] = 1;
    }
    const isContent = (v: number) => accountOf[v] !== v;

    const timings: Record<string, number> = {};
    let lap = performance.now();
    const stage = (name: string) => {
      const now = performance.now();
      timings[name] = Math.round(now - lap) / 1000;
      lap = now;
    };
    const built = this.#graphsFor(size, excluded);
    const { graph, follows: followIndex, reports } = built;
    stage("buildGraph");

    const seeds: number[] = [];
    const dismissed = new Set<number>();
    for (const [account, info] of world.seeds) {
      const node = ids.get(account)!;
      if (info.polarity === "seed" && excluded[node] !== 1) seeds.push(node);
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
    // Seeded or actioned: suspected whatever they score (looked up by node, not by key, in the loops over every node).
    const pinned = new Uint8Array(size);
    for (const [account, info] of world.seeds) if (info.polarity === "seed") pinned[ids.get(account)!] = 1;
    for (const account of world.actioned.keys()) {
      const node = ids.get(account);
      if (node !== undefined) pinned[node] = 1;
    }
    const suspected = (node: number) => first.score[node]! >= settings.memberScore || pinned[node] === 1;
    const observers = new Uint8Array(size);
    const reportsOf = new Map<number, number>();
    for (let k = 0; k < reports.length; k++) {
      const reporter = reports.sources[k]!;
      if (!suspected(reports.targets[k]!) || suspected(reporter)) continue;
      observers[reporter] = 1;
      reportsOf.set(reporter, (reportsOf.get(reporter) ?? 0) + 1);
    }
    // Without an observer's ties the walk runs again, from where the first ended.
    const observedGraph = reportsOf.size > 0 ? this.#observedGraph(built, observers) : graph;

    const selection = new Set<string>();
    for (let v = 0; v < size; v++) {
      if (isContent(v) || observers[v] === 1) continue;
      if (first.score[v]! >= settings.linkFloor || pinned[v] === 1 || world.mentionsAnother(v)) selection.add(ids.key(v));
    }
    stage("selection");
    const { linksOf, handleOf } = await world.linksAmong(selection);
    stage("linking");
    const links = new Float64Array(size);
    const linkNotes = new Map<number, LinkNote[]>();
    for (const account of selection) {
      const node = ids.get(account)!;
      const found: LinkNote[] = [];
      let best = 0;
      for (const pair of linksOf(account)) {
        const other = ids.get(pair.other);
        if (other === undefined || !suspected(other)) continue;
        // A link is evidence in proportion to how sure we are about the other end.
        const otherWeight = world.actioned.has(pair.other) || isSeed(pair.other) ? 1 : first.score[other]!;
        best = Math.max(best, pair.strength * otherWeight);
        found.push({ account: pair.other, handle: handleOf(pair.other), strength: pair.strength, explanations: pair.links.map((l) => l.explanation) });
      }
      if (found.length > 0) {
        links[node] = best;
        linkNotes.set(node, found);
      }
    }
    const walkAgain = observedGraph !== graph;
    const scores =
      linkNotes.size > 0 || walkAgain
        ? scoreAccounts({ graph: observedGraph, seeds, dismissed, content, proof, links, ...(walkAgain ? { warmStart: first.ppr } : { reuse: first }) }, settings.scoring)
        : first;
    stage("score");

    const isSuspected = new Uint8Array(size);
    for (let v = 0; v < size; v++) if (!isContent(v) && (scores.score[v]! >= settings.memberScore || pinned[v] === 1)) isSuspected[v] = 1;

    // The guard's margin: between guardScore and the suspicion threshold, only accounts with an act of their own.
    const guarded = Uint8Array.from(isSuspected);
    const nearNetwork = (v: number) => isSuspected[v] === 1 || scores.score[v]! >= settings.guardScore;
    const madeTie = new Uint8Array(size);
    // Directed: a tie counts for the account that made it (a follow or an interaction it gave); observers' say nothing.
    const made = this.ties.tieEdges({ excluded, observers });
    for (let k = 0; k < made.sources.length; k++) if (made.weights[k]! > 0 && nearNetwork(made.targets[k]!)) madeTie[made.sources[k]!] = 1;
    for (let v = 0; v < size; v++) {
      if (guarded[v] === 1 || isContent(v) || scores.score[v]! < settings.guardScore) continue;
      if (madeTie[v] === 1 || content[v]! > 0 || proof[v]! > 0 || links[v]! > 0) guarded[v] = 1;
    }
    // Whatever the score: accounts in reciprocated follows with several suspected accounts (minors excepted:
    // they are protected as targets; observers' follows say nothing).
    const mutualWithSuspected = mutualFollowsWithSuspected(followIndex, isSuspected, (v) => excluded[v] === 1 || observers[v] === 1 || isContent(v));
    for (let v = 0; v < size; v++) if (mutualWithSuspected[v]! >= settings.guardMutualFollows) guarded[v] = 1;

    // Who follows whom among the suspected, for explanations, targets and the guard.
    const seedSet = new Set(seeds);
    const followedBySuspected = new Uint32Array(size);
    const followedBySeed = new Uint32Array(size);
    const minorsFollowed = new Map<number, number[]>();
    const { offsets, targets } = followIndex;
    for (let s = 0; s < size; s++) {
      if (isSuspected[s] !== 1) continue;
      for (let k = offsets[s]!; k < offsets[s + 1]!; k++) {
        const t = targets[k]!;
        followedBySuspected[t]! += 1;
        if (seedSet.has(s)) followedBySeed[t]! += 1;
        if (excluded[t] === 1) minorsFollowed.set(t, [...(minorsFollowed.get(t) ?? []), s]);
      }
    }

    // Minors followed by many suspected accounts are targets: surfaced for safeguarding, never members.
    const targetsFound: TargetedAccount[] = [];
    for (const [v, followers] of minorsFollowed) {
      if (followers.length >= settings.targetedFollowers) targetsFound.push({ account: ids.key(v), suspectedFollowers: followers.map((s) => ids.key(s)) });
    }
    targetsFound.sort((a, b) => b.suspectedFollowers.length - a.suspectedFollowers.length || (a.account < b.account ? -1 : 1));

    const listed: number[] = [];
    for (let v = 0; v < size; v++) if (!isContent(v) && scores.score[v]! >= settings.listFloor) listed.push(v);
    listed.sort((a, b) => scores.score[b]! - scores.score[a]! || a - b);

    const clusterMembers = listed.filter((v) => isSuspected[v] === 1);
    const { cluster } = clusterCandidates(observedGraph, clusterMembers);
    stage("clusters");

    const contentScore = new Float64Array(size);
    for (let v = 0; v < size; v++) contentScore[v] = Math.max(content[v]!, proof[v]!);
    const heldContent = [...world.held];
    return {
      builtAt: now.toISOString(),
      timings,
      edges: this.ties.edges,
      accounts: world.accounts,
      size,
      guardScore: settings.guardScore,
      guardMutualFollows: settings.guardMutualFollows,
      listFloor: settings.listFloor,
      score: scores.score,
      graph: scores.graph,
      content: contentScore,
      links,
      isSuspected,
      guarded,
      minor: excluded,
      observers,
      cluster,
      // Copies: the reply's arrays are transferred to the serving thread, and the model keeps its own.
      followOffsets: offsets.slice(),
      followTargets: targets.slice(),
      followedBySuspected,
      followedBySeed,
      accountOf,
      listed: Uint32Array.from(listed),
      seedNodes: seeds,
      dismissed: [...dismissed],
      seeds: [...world.seeds],
      actioned: [...world.actioned],
      evidence: [...world.evidence],
      linkNotes: [...linkNotes],
      reportsOf: [...reportsOf],
      held: heldContent,
      safeguarded: [...(world.safeguarded ?? [])],
      otherMinors,
      targets: targetsFound,
    };
  }
}

/**
 * The snapshot rank, show, clusters and the guard read, built from one
 * scoring run's data: explanations for the listed accounts (a linear pass over
 * their follows) and lookups by account id. Cheap next to scoring, so the
 * serving thread can afford it.
 */
export function snapshotOf(data: ScoreData, ids: KeyLookup): NetworkSnapshot {
  const { size, score: scoreOf, isSuspected, cluster, minor, observers, followedBySuspected, followedBySeed } = data;
  const followIndex: FollowIndex = { offsets: data.followOffsets, targets: data.followTargets };
  const { offsets, targets } = followIndex;
  const seeds = new Map(data.seeds);
  const actioned = new Map(data.actioned);
  const evidence = new Map(data.evidence);
  const linkNotes = new Map(data.linkNotes);
  const reportsOf = new Map(data.reportsOf);
  const held = new Set(data.held);
  const safeguarded = new Set(data.safeguarded);
  const otherMinors = new Set(data.otherMinors);
  const seedSet = new Set(data.seedNodes);
  const dismissed = new Set(data.dismissed);
  const seedCount = data.seedNodes.length;
  const isContent = (v: number) => data.accountOf[v] !== v;

  const clusterSeeds = new Map<number, number>();
  const clusterSizes = new Map<number, number>();
  const clusterMembers: number[] = [];
  for (const v of data.listed) {
    if (isSuspected[v] !== 1) continue;
    clusterMembers.push(v);
    const c = cluster[v]!;
    clusterSizes.set(c, (clusterSizes.get(c) ?? 0) + 1);
    if (seedSet.has(v)) clusterSeeds.set(c, (clusterSeeds.get(c) ?? 0) + 1);
  }

  const explain = (v: number): string[] => {
    const key = ids.key(v);
    const out: string[] = [];
    const seed = seeds.get(key);
    if (seed) out.push(seed.polarity === "seed" ? `seed: ${seed.why}` : `cleared: ${seed.why}`);
    const actionedBy = actioned.get(key);
    if (actionedBy) out.push(`suspended by ${actionedBy}`);
    let toSeeds = 0;
    let toSuspected = 0;
    let mutual = 0;
    for (let k = offsets[v]!; k < offsets[v + 1]!; k++) {
      const t = targets[k]!;
      if (isSuspected[t] !== 1) continue;
      toSuspected += 1;
      if (seedSet.has(t)) toSeeds += 1;
      if (follows(followIndex, t, v)) mutual += 1;
    }
    if (toSuspected > 0) out.push(`follows ${counted(toSuspected, "suspected account")} (${ofThemSeeds(toSeeds)}), ${mutual} of them mutual`);
    if (isSuspected[v] !== 1 && mutual >= data.guardMutualFollows && data.guarded[v] === 1) out.push(`kept out of recommendations: ${mutual} suspected accounts it follows follow it back`);
    if (followedBySuspected[v]! > 0) out.push(`followed by ${counted(followedBySuspected[v]!, "suspected account")} (${ofThemSeeds(followedBySeed[v]!)})`);
    const e = evidence.get(key);
    if (e) out.push(...describeEvidence(e));
    for (const link of linkNotes.get(v) ?? []) out.push(`linked to ${link.handle} (${link.strength.toFixed(2)}): ${link.explanations[0] ?? "ban-evasion link"}`);
    const c = cluster[v]!;
    if (c >= 0) out.push(`in cluster ${c} with ${counted(clusterSeeds.get(c) ?? 0, "seed")} among ${counted(clusterSizes.get(c) ?? 0, "suspected account")}`);
    if (!seed) out.push(`graph score ${data.graph[v]!.toFixed(3)} from a walk from ${seedCount} seed${seedCount === 1 ? "" : "s"}`);
    if (dismissed.has(v)) out.push("a reviewer dismissed a case about it: graph score reduced");
    if (observers[v] === 1) out.push(`reported ${reportsOf.get(v)} suspected account${reportsOf.get(v) === 1 ? "" : "s"}: its own ties are not counted (an observer, not a member)`);
    return out;
  };

  const ranked: RankedAccount[] = Array.from(data.listed, (v) => ({ account: ids.key(v), score: round(scoreOf[v]!), cluster: cluster[v]! >= 0 ? cluster[v]! : null, explanation: explain(v) }));

  const clusters: ClusterSummary[] = [...clusterSizes.keys()]
    .sort((a, b) => a - b)
    .map((c) => {
      const members = clusterMembers.filter((v) => cluster[v] === c).map((v) => ({ account: ids.key(v), score: round(scoreOf[v]!) }));
      return { id: c, size: members.length, seeds: clusterSeeds.get(c) ?? 0, members };
    });

  const isTarget = new Set(data.targets.map((t) => t.account));
  const node = (account: string) => {
    const v = ids.get(account);
    return v !== undefined && v < size ? v : undefined;
  };
  const isSeed = (account: string) => seeds.get(account)?.polarity === "seed";
  const detail = (account: string): AccountDetail | undefined => {
    const v = node(account);
    if (v === undefined || isContent(v)) return undefined;
    const seed = seeds.get(account);
    const role: AccountDetail["role"] = seed?.polarity === "seed" ? "seed" : seed ? "cleared" : isTarget.has(account) ? "target" : isSuspected[v] === 1 ? "suspected" : scoreOf[v]! >= data.listFloor ? "candidate" : "account";
    const followsOut: AccountDetail["neighbourhood"]["follows"] = [];
    for (let k = offsets[v]!; k < offsets[v + 1]! && followsOut.length < 50; k++) {
      const t = targets[k]!;
      if (isSuspected[t] === 1) followsOut.push({ account: ids.key(t), score: round(scoreOf[t]!), mutual: follows(followIndex, t, v) });
    }
    const followedBy: AccountDetail["neighbourhood"]["followedBy"] = [];
    if (followedBySuspected[v]! > 0) {
      for (let s = 0; s < size && followedBy.length < Math.min(50, followedBySuspected[v]!); s++) {
        if (isSuspected[s] === 1 && follows(followIndex, s, v)) followedBy.push({ account: ids.key(s), score: round(scoreOf[s]!) });
      }
    }
    const explanation = explain(v);
    if (isTarget.has(account)) explanation.unshift(`targeted: a minor followed by ${followedBySuspected[v]} suspected accounts (surfaced for safeguarding, not scored as a member)`);
    return {
      account,
      score: round(scoreOf[v]!),
      cluster: cluster[v]! >= 0 ? cluster[v]! : null,
      explanation,
      role,
      graphScore: round(data.graph[v]!),
      contentScore: round(data.content[v]!),
      linkScore: round(data.links[v]!),
      isMinor: minor[v] === 1,
      links: (linkNotes.get(v) ?? []).map(({ account: other, strength, explanations }) => ({ account: other, strength, explanations })),
      neighbourhood: { follows: followsOut, followedBy },
    };
  };

  return {
    builtAt: data.builtAt,
    timings: data.timings,
    edges: data.edges,
    accounts: data.accounts,
    seeds: seedCount,
    ranked,
    clusters,
    targets: data.targets,
    detail,
    isSuspected: (account) => {
      const v = node(account);
      return v !== undefined ? isSuspected[v] === 1 : actioned.has(account) || isSeed(account);
    },
    isGuarded: (account) => {
      const v = node(account);
      if (v === undefined) return actioned.has(account) || isSeed(account);
      return data.guarded[v] === 1;
    },
    scoreOf: (account) => {
      const v = node(account);
      return v !== undefined ? scoreOf[v]! : 0;
    },
    isMinor: (account) => {
      const v = node(account);
      return v !== undefined ? minor[v] === 1 : otherMinors.has(account);
    },
    connected: (a, b) => {
      const x = node(a);
      const y = node(b);
      if (x === undefined || y === undefined) return false;
      return follows(followIndex, x, y) || follows(followIndex, y, x);
    },
    authorOf: (contentKey) => {
      const v = node(contentKey);
      const author = v === undefined ? -1 : data.accountOf[v]!;
      return author >= 0 && author !== v ? ids.key(author) : undefined;
    },
    isHeld: (contentKey) => held.has(contentKey),
    isSafeguarded: (account) => safeguarded.has(account),
  };
}

/** Graphs built from the tie fold at one version (see `GraphModel.#built`). */
interface BuiltGraphs {
  version: number;
  excluded: Uint8Array;
  /** Symmetric tie graph, minors left out. */
  graph: Csr;
  follows: FollowIndex;
  reports: EdgeBuffer;
  /** The same without the observers' own ties, for the observers it was built for. */
  observed?: { observers: Uint8Array; graph: Csr };
}

/**
 * Per node, how many suspected accounts it follows that follow it back; 0 for
 * suspected nodes and for those `skip` names. One pass over the suspected
 * accounts' follows, with a binary search for each follow back.
 */
export function mutualFollowsWithSuspected(index: FollowIndex, isSuspected: Uint8Array, skip: (node: number) => boolean): Uint32Array {
  const { offsets, targets } = index;
  const size = isSuspected.length;
  const counts = new Uint32Array(size);
  for (let s = 0; s < size && s + 1 < offsets.length; s++) {
    if (isSuspected[s] !== 1) continue;
    for (let k = offsets[s]!; k < offsets[s + 1]!; k++) {
      const t = targets[k]!;
      if (t < size && isSuspected[t] !== 1 && !skip(t) && follows(index, t, s)) counts[t]! += 1;
    }
  }
  return counts;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether a node key (scoped by platform, src/events/tenancy.ts) names content (`post:<id>`, `comment:<id>`), not an account. */
export function isContentKey(key: string): boolean {
  const { id } = splitScopedKey(key);
  return id.startsWith("post:") || id.startsWith("comment:");
}

/** Graph arrays as the bench and tests see them. */
export type { Csr, FollowIndex };

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

const dayStart = new Map<string, number>();

/**
 * Seconds since the epoch of a stored time. Stored times are UTC with
 * milliseconds (`2026-03-01T10:00:00.000Z`, see `utcTimestamp`): those are
 * read field by field with the day looked up once, ten million of them in well
 * under a second; anything else goes through `Date.parse`.
 */
export function utcSeconds(text: string): number {
  if (text.length === 24 && text.charCodeAt(10) === 84 /* T */ && text.charCodeAt(23) === 90 /* Z */) {
    const day = text.slice(0, 10);
    let base = dayStart.get(day);
    if (base === undefined) {
      base = Date.parse(`${day}T00:00:00.000Z`) / 1000;
      if (dayStart.size > 100_000) dayStart.clear();
      dayStart.set(day, base);
    }
    const digit = (i: number) => text.charCodeAt(i) - 48;
    const seconds = (digit(11) * 10 + digit(12)) * 3600 + (digit(14) * 10 + digit(15)) * 60 + digit(17) * 10 + digit(18) + (digit(20) * 100 + digit(21) * 10 + digit(22)) / 1000;
    if (Number.isFinite(base) && seconds >= 0) return base + seconds;
  }
  return Date.parse(text) / 1000;
}

/** "1 seed", "3 seeds": explanations are read by reviewers, so they agree in number. */
function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** "none of them seeds", "1 of them a seed", "2 of them seeds". */
function ofThemSeeds(n: number): string {
  return n === 0 ? "none of them seeds" : n === 1 ? "1 of them a seed" : `${n} of them seeds`;
}
