import type { Kysely } from "kysely";
import type { AuditLog } from "../audit/index.js";
import type { AccountSignalsInput } from "../enforcement/index.js";
import { LapwingError } from "../errors/index.js";
import { accountRefOf, describeAccount, eventParties, platformFieldOf, type GraphEdgeSink, type StoredEvent } from "../events/index.js";
import type { Signal } from "../policy/index.js";
import type { QueryExecutor } from "../queue/index.js";
import { allocateSeq } from "../store/index.js";
import { filterRecommendations, type FilterRequest, type FilterResult } from "./guard.js";
import { edgeOf, eventOfEdge, graphOnlyEventTypes, type EdgeInput } from "./edges-from-events.js";
import { isContentKey, snapshotOf, type ModelSettings, type NetworkSnapshot } from "./model.js";
import type { NetworkRepository } from "./repository.js";
import { inlineScorer, threadScorer, type Scorer } from "./scorer.js";
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

/** What scoring itself is told, from the service's settings. */
export function modelSettingsOf(settings: NetworkSettings): ModelSettings {
  return {
    memberScore: settings.signalScore,
    guardScore: Math.min(settings.guardScore, settings.signalScore),
    guardMutualFollows: 2,
    targetedFollowers: settings.targetedFollowers,
    halfLifeDays: settings.halfLifeDays,
    scoring: defaultScoringOptions,
    listFloor: 0.01,
    linkFloor: 0.05,
  };
}

export interface NetworkDeps {
  audit: AuditLog;
  /** Turns findings into policy decisions, cases and actions (src/enforcement). */
  enforcer?: { enforceAccountSignals(input: AccountSignalsInput): Promise<unknown> };
  /** Whether the search gate blocks a hashtag (the guard passes hashtags through it). */
  isBlockedHashtag: (tag: string) => boolean;
  clock?: () => Date;
  settings?: Partial<NetworkSettings>;
  /**
   * The database's URL (password included; never logged): scoring then runs
   * in a thread of its own that opens the database again, so this process
   * keeps answering while it scores. Without it (or for an in-memory SQLite)
   * scoring runs in this thread.
   */
  databaseUrl?: string;
}

/** What the seed commands and routes report for each account named. */
export interface SeedResult {
  account: string;
  changed: boolean;
}

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
  const modelSettings = modelSettingsOf(settings);
  const scorer: Scorer = deps.databaseUrl && !/^sqlite:(:memory:)?$/.test(deps.databaseUrl) ? threadScorer({ url: deps.databaseUrl, halfLifeDays: settings.halfLifeDays }) : inlineScorer(repo, settings.halfLifeDays);
  let snapshot: NetworkSnapshot | undefined;
  let running: Promise<NetworkSnapshot> | undefined;

  const edgeSink: GraphEdgeSink<EdgeInput> = {
    edgeOf,
    graphOnlyTypes: graphOnlyEventTypes,
    async record(trx: QueryExecutor, edges: readonly EdgeInput[]): Promise<string[]> {
      const rows = edges.map((edge) => ({ event_id: edge.eventId, kind: edge.kind, src: edge.src, dst: edge.dst, occurred_at: edge.occurredAt }));
      return repo.insertEdges(trx as unknown as Kysely<NetworkTables>, rows);
    },
    async find(eventKey: string): Promise<StoredEvent | undefined> {
      const row = await repo.findEdge(eventKey);
      const event = row && eventOfEdge(row);
      if (!row || !event) return undefined;
      const { subjectId, actorId } = eventParties(event);
      // The edge keeps no arrival time: the event is shown as processed when it happened.
      return { id: event.id, type: event.type, platformId: event.platform_id ?? null, subjectId, actorId, occurredAt: row.occurred_at, receivedAt: row.occurred_at, state: "processed", processedAt: row.occurred_at, signals: [], event };
    },
  };

  /**
   * Reads new edges; scores again if anything scoring reads has changed.
   * Concurrent callers share one run. The reading and scoring happen in the
   * scoring thread (see scorer.ts): this thread only builds the snapshot's
   * explanations and lookups from the arrays it is handed.
   */
  function refresh(options: { force?: boolean } = {}): Promise<NetworkSnapshot> {
    running ??= (async () => {
      try {
        const { reply, lookup } = await scorer.score({ force: options.force === true || snapshot === undefined, now: clock().toISOString(), settings: modelSettings });
        if (reply.kind === "unchanged" && snapshot) return snapshot;
        if (reply.kind === "unchanged") throw new Error("the scoring thread had nothing new for a service without a snapshot");
        const started = performance.now();
        const next = snapshotOf(reply.data, lookup);
        next.timings = { ...next.timings, snapshot: round3((performance.now() - started) / 1000) };
        snapshot = next;
        return next;
      } finally {
        running = undefined;
      }
    })();
    return running;
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
            reason: `Likely the same operator as ${describeAccount(link.account)}: ${link.explanations[0] ?? "linked"}`,
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
        reason: `A minor followed by ${target.suspectedFollowers.length} suspected accounts: ${target.suspectedFollowers.slice(0, 5).map(describeAccount).join(", ")}${target.suspectedFollowers.length > 5 ? ", …" : ""}`,
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
        await deps.audit.record(trx as unknown as Kysely<unknown>, { actor, action: polarity === "seed" ? "network.seed" : "network.clear", target: { type: "account", id: accountRefOf(account).id }, details: { reason: trimmed, ...platformFieldOf(account) } });
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
        if (changed) await deps.audit.record(trx as unknown as Kysely<unknown>, { actor, action: "network.unseed", target: { type: "account", id: accountRefOf(account).id }, details: platformFieldOf(account) });
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
    /** Stops the scoring thread. */
    close: () => scorer.close(),
    listSeeds: async () => (await repo.seeds()).map((row) => ({ account: row.account_id, polarity: row.polarity, reason: row.reason, actor: row.actor, createdAt: row.created_at })),
  };
}

export type NetworkService = ReturnType<typeof createNetworkService>;

function round3(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
