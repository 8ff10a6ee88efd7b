import type { z } from "zod";
import type { platformEvent } from "../events/index.js";
import { LapwingError } from "../errors/index.js";
import { writeAccounts, writeBank, writePosts, writeProfileUpdates } from "./content.js";
import { writeEngagement, writeReportsAndOutcomes } from "./engagement.js";
import type { Csr } from "../graph/index.js";
import { adjacency, followEdges, type FollowEdges } from "./follow-graph.js";
import { writeFollows } from "./follows.js";
import { accountFlags, accountRoles, type AccountLabel, type BackupPair, type ScenarioLabels } from "./labels.js";
import { planBenignTwins, planCommunities, planNetwork, planProfiles, planSchools } from "./plan.js";
import { suggestAccounts } from "./recommend.js";
import { defaultScenarioAccounts, maxScenarioAccounts, minScenarioAccounts, type ScenarioOptions, type ScenarioScale } from "./scale.js";
import { flag, role, ScenarioWorld, WINDOW } from "./world.js";

/** One platform event as written to `events.jsonl` (docs/events.md). */
export type ScenarioEvent = z.input<typeof platformEvent>;

/** Where a scenario goes as it is generated; each call can write a line and forget it. */
export interface ScenarioSink {
  event(event: ScenarioEvent): void;
  /** One entry of the synthetic hash bank (category `csam`, random hashes). */
  bankEntry(entry: { readonly pdq: string; readonly note: string }): void;
  /** One viewer's "suggested for you" list, best first. */
  recommendations(viewer: string, candidates: readonly string[]): void;
}

/** Viewers of the recorded suggestions, by group (the recommender audit's groups). */
export interface ScenarioViewers {
  readonly teen: readonly string[];
  readonly fresh: readonly string[];
  readonly other: readonly string[];
}

/** What {@link generateScenario} returns besides what it wrote to the sink. */
export interface Scenario {
  readonly scale: ScenarioScale;
  readonly labels: ScenarioLabels;
  readonly viewers: ScenarioViewers;
  /** The follow graph as it stands at the end (unfollows applied), for baselines. */
  readonly graph: FollowEdges;
  readonly counts: { readonly events: number; readonly follows: number; readonly bankEntries: number };
}

/**
 * Generates a synthetic platform with a planted seller network, streaming its
 * events, hash bank and recorded suggestions into `sink`, and returns the
 * labels. Same options, same output. What is modelled and why: docs/scenario.md.
 *
 * @example
 * ```ts
 * const events: ScenarioEvent[] = [];
 * const { labels } = generateScenario({ accounts: 3000, seed: 7 }, {
 *   event: (e) => events.push(e), bankEntry: () => {}, recommendations: () => {},
 * });
 * labels.network.seeds; // five confirmed sellers
 * ```
 */
export function generateScenario(options: ScenarioOptions, sink: ScenarioSink): Scenario {
  const accounts = options.accounts ?? defaultScenarioAccounts;
  const seed = options.seed ?? 1;
  if (!Number.isInteger(accounts) || accounts < minScenarioAccounts || accounts > maxScenarioAccounts) {
    throw new LapwingError("VALIDATION_FAILED", `accounts is a whole number from ${minScenarioAccounts} to ${maxScenarioAccounts}; got ${accounts}.`, { pointer: "/accounts" });
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new LapwingError("VALIDATION_FAILED", `seed is a whole number from 0 to ${0xffffffff}; got ${seed}.`, { pointer: "/seed" });
  }
  return runScenario(new ScenarioWorld(accounts, seed, sink));
}

function runScenario(w: ScenarioWorld): Scenario {
  planCommunities(w);
  planSchools(w);
  planNetwork(w);
  planBenignTwins(w);
  planProfiles(w);
  writeBank(w);
  writeAccounts(w);
  writeFollows(w);
  const graph = followEdges(w.edges, w.ids);
  const following = adjacency(graph, true);
  const followers = adjacency(graph, false);
  writeProfileUpdates(w);
  writePosts(w);
  writeEngagement(w, following);
  writeReportsAndOutcomes(w, following);
  const viewers = writeRecommendations(w, following, followers);
  return {
    scale: w.scale,
    labels: labels(w),
    viewers,
    graph,
    counts: { events: w.eventCount, follows: w.followCount, bankEntries: w.bank.length },
  };
}

function writeRecommendations(w: ScenarioWorld, following: Csr, followers: Csr): ScenarioViewers {
  const d = w.d;
  const teen: number[] = [...w.byRole.teen];
  const fresh: number[] = [...w.byRole.fresh];
  const other: number[] = [];
  const otherShare = Math.max(100, Math.round(w.n * 0.02)) / w.n;
  for (let a = 0; a < w.n; a++) {
    const r = w.role[a]!;
    if (r !== role.teen && r !== role.fresh && !(w.flags[a]! & flag.member) && (r === role.buyer || d.chance(otherShare))) other.push(a);
  }
  const viewers = Uint32Array.from([...teen, ...fresh, ...other]);
  suggestAccounts(following, followers, viewers, d, {}, (viewer, candidates) =>
    w.sink.recommendations(w.ids[viewer]!, candidates.map((c) => w.ids[c]!)),
  );
  const named = (list: number[]) => list.map((a) => w.ids[a]!);
  return { teen: named(teen), fresh: named(fresh), other: named(other) };
}

function labels(w: ScenarioWorld): ScenarioLabels {
  const ids = w.ids;
  const accounts: Record<string, AccountLabel> = {};
  for (let a = 0; a < w.n; a++) {
    const bits = w.flags[a]!;
    accounts[ids[a]!] = { role: accountRoles[w.role[a]!]!, flags: accountFlags.filter((f) => (bits & flag[f]) !== 0) };
  }
  const members = w.members().sort((x, y) => x - y);
  const backups: BackupPair[] = w.backups.map((b) => ({ backup: ids[b.backup]!, original: ids[b.original]!, kind: b.kind, afterBan: b.afterBan }));
  return {
    version: 1,
    seed: w.seed,
    accountCount: w.n,
    startsAt: w.iso(0),
    endsAt: w.iso(WINDOW),
    network: {
      size: members.length,
      members: members.map((a) => ids[a]!),
      seeds: w.seeds.map((a) => ids[a]!),
      rings: w.rings.map((ring) => ring.map((a) => ids[a]!)),
    },
    backups,
    targetedMinors: w.targeted.map((a) => ids[a]!),
    handleChanges: [...w.handleChange].map(([a, c]) => ({ account: ids[a]!, from: w.handles[a]!, to: c.to })),
    knownMedia: w.knownMedia,
    accounts,
  };
}
