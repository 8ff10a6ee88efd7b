import type { Kysely } from "kysely";
import type { AuditLog } from "../audit/index.js";
import type { AccountSignalsInput } from "../enforcement/index.js";
import { LapwingError } from "../errors/index.js";
import { eventParties, minorAgeBands, type GraphEdgeSink, type PlatformEvent, type StoredEvent } from "../events/index.js";
import { EvasionLinker, type AccountProfile } from "../linking/index.js";
import type { Signal } from "../policy/index.js";
import type { QueryExecutor } from "../queue/index.js";
import { allocateSeq } from "../store/index.js";
import { kindCode } from "./affinity.js";
import { filterRecommendations, type FilterRequest, type FilterResult } from "./guard.js";
import { edgeOf, eventOfEdge, graphOnlyEventTypes, type EdgeInput } from "./edges-from-events.js";
import { addEvidence, childSafetyCategories, emptyEvidence, type ContentEvidence } from "./evidence.js";
import { looksLikeMinor } from "./minors.js";
import { GraphModel, isContentKey, type ModelSettings, type NetworkSnapshot, type ScoringWorld, type SeedInfo } from "./model.js";
import type { NetworkRepository } from "./repository.js";
import { defaultScoringOptions } from "./scoring.js";
import type { NetworkTables } from "./tables.js";

export interface NetworkSettings {
  /** Score at or above which an account is suspected and becomes a `network-score` signal. */
  signalScore: number;
  /** Score at or above which the recommender guard keeps an account out of suggestions. */
  guardScore: number;
  /** Distinct suspected followers that make a minor a target (`network.targeted`). */
  targetedFollowers: number;
  /** Half-life of a tie's weight, in days. */
  halfLifeDays: number;
}

export const defaultNetworkSettings: NetworkSettings = { signalScore: 0.5, guardScore: 0.3, targetedFollowers: 3, halfLifeDays: 90 };

export interface NetworkDeps {
  audit: AuditLog;
  /** Turns findings into policy decisions, cases and actions (src/enforcement). */
  enforcer?: { enforceAccountSignals(input: AccountSignalsInput): Promise<unknown> };
  /** Whether the search gate blocks a hashtag (the guard passes hashtags through it). */
  isBlockedHashtag: (tag: string) => boolean;
  clock?: () => Date;
  settings?: Partial<NetworkSettings>;
}

/** What the seed commands and routes report for each account named. */
export interface SeedResult {
  account: string;
  changed: boolean;
}

const feedPage = 50_000;
const profilePage = 20_000;
const postsPerAccount = 5;

/**
 * Network detection. Owns the edge store (written at ingest through
 * {@link NetworkService.edgeSink}), the seeds, and the in-memory graph of this
 * process: `refresh()` reads new edges from the feed, and scores again when
 * edges, seeds, reviews, decisions or actions changed. Scores, clusters,
 * targets and the recommender guard read the latest snapshot.
 *
 * @example
 * const network = createNetworkService(createNetworkRepository(store.db), { audit, enforcer, isBlockedHashtag });
 * const snapshot = await network.refresh();
 * snapshot.ranked.slice(0, 10); // → [{ account, score, cluster, explanation }, ...]
 */
export function createNetworkService(repo: NetworkRepository, deps: NetworkDeps) {
  const clock = deps.clock ?? (() => new Date());
  const settings: NetworkSettings = { ...defaultNetworkSettings, ...deps.settings };
  const modelSettings: ModelSettings = {
    memberScore: settings.signalScore,
    guardScore: Math.min(settings.guardScore, settings.signalScore),
    targetedFollowers: settings.targetedFollowers,
    halfLifeDays: settings.halfLifeDays,
    scoring: defaultScoringOptions,
    listFloor: 0.01,
    linkFloor: 0.05,
  };
  const model = new GraphModel();
  const authors = new Map<string, string>();
  let snapshot: NetworkSnapshot | undefined;
  let fingerprint = "";
  let scoredEdges = -1;
  let running: Promise<NetworkSnapshot> | undefined;

  const edgeSink: GraphEdgeSink<EdgeInput> = {
    edgeOf,
    graphOnlyTypes: graphOnlyEventTypes,
    async record(trx: QueryExecutor, edges: readonly EdgeInput[]): Promise<string[]> {
      const rows = edges.map((edge) => ({ event_id: edge.eventId, kind: edge.kind, src: edge.src, dst: edge.dst, occurred_at: edge.occurredAt }));
      return repo.insertEdges(trx as unknown as Kysely<NetworkTables>, rows);
    },
    async find(eventId: string): Promise<StoredEvent | undefined> {
      const row = await repo.findEdge(eventId);
      const event = row && eventOfEdge(row);
      if (!row || !event) return undefined;
      const { subjectId, actorId } = eventParties(event);
      // The edge keeps no arrival time: the event is shown as processed when it happened.
      return { id: row.event_id, type: event.type, platformId: null, subjectId, actorId, occurredAt: row.occurred_at, receivedAt: row.occurred_at, state: "processed", processedAt: row.occurred_at, signals: [], event };
    },
  };

  /** Reads new edges; scores again if anything scoring reads has changed. Concurrent callers share one run. */
  function refresh(options: { force?: boolean } = {}): Promise<NetworkSnapshot> {
    running ??= (async () => {
      try {
        let started = performance.now();
        for (;;) {
          const rows = await repo.edgesAfter(model.cursor, feedPage);
          model.append(rows, kindCode);
          if (rows.length < feedPage) break;
        }
        const readFeed = (performance.now() - started) / 1000;
        const now = await repo.evidenceFingerprint();
        if (snapshot && !options.force && now === fingerprint && scoredEdges === model.log.length) return snapshot;
        started = performance.now();
        const world = await loadWorld();
        const loadWorldSeconds = (performance.now() - started) / 1000;
        snapshot = model.score(world, modelSettings, clock());
        snapshot.timings = { readFeed: round3(readFeed), loadWorld: round3(loadWorldSeconds), ...snapshot.timings };
        fingerprint = now;
        scoredEdges = model.log.length;
        return snapshot;
      } finally {
        running = undefined;
      }
    })();
    return running;
  }

  async function loadWorld(): Promise<ScoringWorld> {
    const profiles = new Map<string, ProfileState>();
    const actioned = new Map<string, string>();
    const platformSuspended = new Map<string, { at: string; suspended: boolean }>();
    for (let after = ""; ; ) {
      const page = await repo.profileEvents(after, profilePage);
      for (const row of page) foldProfileEvent(row, profiles, platformSuspended);
      if (page.length < profilePage) break;
      after = page[page.length - 1]!.id;
    }
    for (const [account, state] of platformSuspended) if (state.suspended) actioned.set(account, "the platform");
    const held = await repo.actionsInForce();
    const heldContent = new Set<string>();
    const safeguarded = new Set<string>();
    for (const action of held) {
      if (action.kind === "account.suspend") actioned.set(action.account_id, "Lapwing");
      else if (action.kind === "account.safeguard") safeguarded.add(action.account_id);
      else heldContent.add(`${action.target_type}:${action.target_id}`);
    }

    const minors = new Set<string>();
    const year = clock().getUTCFullYear();
    for (const row of await repo.ageBands()) if (row.age_band && minorAgeBands.has(row.age_band)) minors.add(row.id);
    for (const [account, profile] of profiles) {
      if ((profile.ageBand && minorAgeBands.has(profile.ageBand)) || looksLikeMinor(profile.bio, year)) minors.add(account);
    }

    const seeds = new Map<string, SeedInfo>();
    // Cases about content whose author Lapwing never saw are filed under `post:<id>`: not an account to score.
    for (const row of (await repo.reviewedAccounts()).filter((r) => !isContentKey(r.account_id))) {
      if (row.outcome === "confirm" && row.outcome_category && childSafetyCategories.has(row.outcome_category)) seeds.set(row.account_id, { polarity: "seed", why: `confirmed by a reviewer (${row.outcome_category})` });
      else if (row.outcome === "dismiss") seeds.set(row.account_id, { polarity: "negative", why: "dismissed by a reviewer" });
    }
    // What an operator said last overrides what the reviews imply.
    for (const row of await repo.seeds()) seeds.set(row.account_id, { polarity: row.polarity === "negative" ? "negative" : "seed", why: `named by an operator: ${row.reason}` });

    const evidence = new Map<string, ContentEvidence>();
    for (const row of await repo.decisionSignals()) {
      if (isContentKey(row.account_id) || /^(network|targeted|evasion):/.test(row.event_id)) continue;
      const signals = JSON.parse(row.signals) as Signal[];
      const e = evidence.get(row.account_id) ?? emptyEvidence();
      addEvidence(e, signals);
      if (e.strength > 0 || e.proof > 0 || e.childSafetyReports > 0) evidence.set(row.account_id, e);
    }

    const unresolved = model.contentKeys().filter((key) => !authors.has(key));
    if (unresolved.length > 0) for (const [key, author] of await repo.authorsOf(unresolved)) authors.set(key, author);

    // Posts are read for the accounts with any evidence: where a "backup of @x" is most likely to be said.
    const withPosts = new Set<string>([...seeds.keys(), ...actioned.keys(), ...evidence.keys()]);
    const posts = await repo.recentPosts([...withPosts], postsPerAccount);
    const linksAmong = (accounts: ReadonlySet<string>) => {
      const linker = new EvasionLinker();
      for (const account of accounts) {
        const profile = profiles.get(account);
        if (profile) linker.upsert({ ...profile, texts: posts.get(account) ?? profile.texts });
      }
      return (account: string) => (linker.has(account) ? linker.pairsFor(account) : []);
    };
    return { profiles, minors, seeds, evidence, actioned, authors, held: heldContent, safeguarded, linksAmong };
  }

  /**
   * Turns the snapshot into policy signals: a `network-score` for each
   * suspected account (again when it crosses 0.8 and 0.95), a
   * `ban-evasion-link` for each strong link to a seeded or actioned account.
   * Keyed per account and level, so repeated runs and several processes
   * decide each finding once.
   */
  async function emitSignals(current: NetworkSnapshot): Promise<{ signals: number }> {
    if (!deps.enforcer) return { signals: 0 };
    let sent = 0;
    const at = clock().toISOString();
    for (const ranked of current.ranked) {
      if (ranked.score < settings.signalScore) break;
      const detail = current.detail(ranked.account);
      if (!detail || detail.role === "seed" || detail.role === "cleared") continue;
      // A score carried by the account's own content alone is the content policies' business, not a network finding.
      if (1 - (1 - detail.graphScore) * (1 - detail.linkScore) < settings.signalScore / 2) continue;
      const level = ranked.score >= 0.95 ? "0.95" : ranked.score >= 0.8 ? "0.8" : String(settings.signalScore);
      const signals: Signal[] = [
        {
          type: "network-score",
          score: ranked.score,
          cluster: ranked.cluster === null ? "none" : String(ranked.cluster),
          strength: ranked.score,
          reason: `Network score ${ranked.score.toFixed(2)}: ${ranked.explanation.slice(0, 3).join("; ")}`,
          evidence: { ids: [`account:${ranked.account}`, ...detail.neighbourhood.follows.slice(0, 5).map((f) => `account:${f.account}`)] },
        },
      ];
      for (const link of detail.links) {
        // Only towards an account seeded, actioned or suspected itself: never one a reviewer cleared.
        if (link.strength >= 0.9 && current.isSuspected(link.account)) {
          signals.push({
            type: "ban-evasion-link",
            linkedAccount: link.account,
            score: link.strength,
            strength: link.strength,
            reason: `Likely the same operator as ${link.account}: ${link.explanations[0] ?? "linked"}`,
            evidence: { ids: [`account:${ranked.account}`, `account:${link.account}`] },
          });
        }
      }
      await deps.enforcer.enforceAccountSignals({ sourceId: `network:${ranked.account}:${level}`, accountId: ranked.account, signals, receivedAt: at });
      sent += signals.length;
    }
    for (const target of current.targets) {
      const strength = Math.min(1, target.suspectedFollowers.length / (2 * settings.targetedFollowers));
      const signal: Signal = {
        type: "network.targeted",
        account: target.account,
        strength,
        reason: `A minor followed by ${target.suspectedFollowers.length} suspected accounts: ${target.suspectedFollowers.slice(0, 5).join(", ")}${target.suspectedFollowers.length > 5 ? ", …" : ""}`,
        evidence: { ids: [`account:${target.account}`, ...target.suspectedFollowers.slice(0, 10).map((a) => `account:${a}`)] },
      };
      // Keyed by how many follow it, so a growing number of followers raises the case again.
      await deps.enforcer.enforceAccountSignals({ sourceId: `targeted:${target.account}:${target.suspectedFollowers.length}`, accountId: target.account, signals: [signal], receivedAt: at });
      sent += 1;
    }
    return { signals: sent };
  }

  /**
   * Brings the graph up to date and hands its findings to the policies, but
   * only when scoring produced a new snapshot: an unchanged one was handed over
   * already. For the background refresh and `worker --until-idle`.
   */
  let emitted: NetworkSnapshot | undefined;
  async function settle(): Promise<void> {
    const latest = await refresh();
    if (latest === emitted) return;
    await emitSignals(latest);
    emitted = latest;
  }

  async function current(): Promise<NetworkSnapshot> {
    return snapshot ?? refresh();
  }

  async function setSeeds(accounts: readonly string[], polarity: "seed" | "negative", reason: string, actor: string): Promise<SeedResult[]> {
    if (accounts.length === 0) throw new LapwingError("VALIDATION_FAILED", "Name at least one account.", { pointer: "/accounts" });
    const content = accounts.find(isContentKey);
    if (content !== undefined) throw new LapwingError("VALIDATION_FAILED", `"${content}" names content, not an account: seed the account that posted it.`, { pointer: "/accounts" });
    const trimmed = reason.trim();
    if (trimmed === "") throw new LapwingError("VALIDATION_FAILED", "Give a reason (--reason): it is what a reviewer reads in the explanation.", { pointer: "/reason" });
    return repo.transaction(async (trx) => {
      const now = clock().toISOString();
      const results: SeedResult[] = [];
      for (const account of accounts) {
        const existing = await repo.findSeed(trx, account);
        // Saying the same thing twice changes nothing and is not audited again.
        if (existing && existing.polarity === polarity && existing.reason === trimmed) {
          results.push({ account, changed: false });
          continue;
        }
        const seq = await allocateSeq(trx as unknown as Kysely<unknown>);
        await repo.upsertSeed(trx, { account_id: account, polarity, reason: trimmed, actor, created_at: now, seq });
        await deps.audit.record(trx as unknown as Kysely<unknown>, { actor, action: polarity === "seed" ? "network.seed" : "network.clear", target: { type: "account", id: account }, details: { reason: trimmed } });
        results.push({ account, changed: true });
      }
      return results;
    });
  }

  async function unseed(accounts: readonly string[], actor: string): Promise<SeedResult[]> {
    if (accounts.length === 0) throw new LapwingError("VALIDATION_FAILED", "Name at least one account.", { pointer: "/accounts" });
    return repo.transaction(async (trx) => {
      const results: SeedResult[] = [];
      for (const account of accounts) {
        const changed = await repo.deleteSeed(trx, account);
        if (changed) await deps.audit.record(trx as unknown as Kysely<unknown>, { actor, action: "network.unseed", target: { type: "account", id: account } });
        results.push({ account, changed });
      }
      return results;
    });
  }

  /** The recommender guard on a snapshot (the caller says which: the hot path passes the current one): see {@link filterRecommendations}. */
  function guard(request: FilterRequest, on: NetworkSnapshot): FilterResult {
    return filterRecommendations({ snapshot: on, isBlockedHashtag: deps.isBlockedHashtag }, request);
  }

  return {
    edgeSink,
    guard,
    refresh,
    current,
    emitSignals,
    settle,
    seed: (accounts: readonly string[], reason: string, actor: string) => setSeeds(accounts, "seed", reason, actor),
    clear: (accounts: readonly string[], reason: string, actor: string) => setSeeds(accounts, "negative", reason, actor),
    unseed,
    listSeeds: async () => (await repo.seeds()).map((row) => ({ account: row.account_id, polarity: row.polarity, reason: row.reason, actor: row.actor, createdAt: row.created_at })),
  };
}

export type NetworkService = ReturnType<typeof createNetworkService>;

function round3(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}

/** A profile as folded from account events, with the platform's age band. */
type ProfileState = AccountProfile & { updatedAt: string; ageBand?: string };

/** Folds one profile or moderation event into the account's profile (newer events win; earlier handles kept). */
function foldProfileEvent(
  row: { type: string; subject_id: string | null; occurred_at: string; payload: string },
  profiles: Map<string, ProfileState>,
  suspended: Map<string, { at: string; suspended: boolean }>,
): void {
  const event = JSON.parse(row.payload) as PlatformEvent;
  if (event.type === "moderation.outcome") {
    const { target, action } = event.outcome;
    if (target.type !== "account" || (action !== "suspended" && action !== "unsuspended")) return;
    const last = suspended.get(target.id);
    if (!last || last.at <= row.occurred_at) suspended.set(target.id, { at: row.occurred_at, suspended: action === "suspended" });
    return;
  }
  if (event.type !== "account.created" && event.type !== "account.updated") return;
  const { account } = event;
  const profile = profiles.get(account.id) ?? { id: account.id, handles: [], updatedAt: "" };
  const newer = row.occurred_at >= profile.updatedAt;
  if (account.handle) {
    const handle = account.handle;
    if (!profile.handles.includes(handle)) {
      if (newer) profile.handles.unshift(handle);
      else profile.handles.push(handle);
    } else if (newer) profile.handles = [handle, ...profile.handles.filter((h) => h !== handle)];
  }
  if (newer) {
    if (account.display_name !== undefined) profile.displayName = account.display_name;
    if (account.bio !== undefined) profile.bio = account.bio;
    if (account.avatar?.kind === "hashes" && account.avatar.pdq) profile.avatarPdq = account.avatar.pdq;
    if (account.age_band) profile.ageBand = account.age_band.value;
    profile.updatedAt = row.occurred_at;
  }
  if (event.type === "account.created") profile.createdAt = row.occurred_at;
  profiles.set(account.id, profile);
}
