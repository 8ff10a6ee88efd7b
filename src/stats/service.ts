import { LapwingError } from "../errors/index.js";
import { reviewPriorities } from "../policy/index.js";
import { summarise } from "./percentiles.js";
import type { StatsRepository } from "./repository.js";

export const statsBuckets = ["hour", "day"] as const;
export type StatsBucket = (typeof statsBuckets)[number];
const bucketMs: Record<StatsBucket, number> = { hour: 3_600_000, day: 86_400_000 };
/** Most buckets in one answer: a year of days, or six weeks of hours. */
export const maxBuckets = 1000;
/** Most rows read per source; past it the answer says `truncated` (narrow the range). */
export const maxRowsRead = 200_000;

export interface DashboardQuery {
  from: Date;
  to: Date;
  bucket: StatsBucket;
}

interface TimeSeriesPoint {
  start: string;
  count: number;
  p50Seconds: number | null;
  p99Seconds: number | null;
}

/** A policy's decisions in the range, enforced or shadow. */
export interface PolicyHits {
  policyId: string;
  mode: "enforce" | "shadow";
  hits: number;
  /** Per decision kind (`block`, `review`, …). */
  decisions: Record<string, number>;
}

export interface Dashboard {
  from: string;
  to: string;
  bucket: StatsBucket;
  /** From an event's arrival to the automated action on it, and from a case's opening to a reviewer's decision, per bucket. */
  timeToAction: { automated: TimeSeriesPoint[]; reviewed: TimeSeriesPoint[] };
  /** Undecided cases now, whatever the range. Restricted (child-safety) cases are counted, never named. */
  backlog: { priority: string; open: number; claimed: number; escalated: number; total: number; restricted: number }[];
  /** Automated decisions by kind (enforced), reviewer decisions by outcome. */
  decisions: { automated: Record<string, number>; reviewer: Record<string, number> };
  blockedSearches: { bySurface: { surface: string; blocked: number; suggestionsRemoved: number }[]; series: { start: string; surface: string; blocked: number }[] };
  /** Decisions per policy; shadow policies are the ones being tried without acting. */
  policyHits: PolicyHits[];
  /** A source had more than {@link maxRowsRead} rows in the range: its figures cover the oldest of them only. */
  truncated: boolean;
}

interface PolicyDecisionLike {
  policyId?: unknown;
  decision?: unknown;
}

/**
 * The trust-and-safety lead's dashboard: response times, backlog, decisions,
 * blocked searches and shadow-policy hits over a time range, from what the
 * enforcement spine already stores (no table of its own besides the search
 * gate's hourly counts).
 */
export function createStatsService(repo: StatsRepository, deps: { blockedSearches: { between(from: string, to: string): Promise<Array<{ hour: string; surface: string; blocked: number; suggestionsRemoved: number }>> }; clock?: () => Date }) {
  const clock = deps.clock ?? (() => new Date());

  function checkRange(query: DashboardQuery): void {
    const span = query.to.getTime() - query.from.getTime();
    if (!(span > 0)) throw new LapwingError("VALIDATION_FAILED", "`from` must be before `to`.", { pointer: "/from" });
    if (span / bucketMs[query.bucket] > maxBuckets) {
      throw new LapwingError("VALIDATION_FAILED", `The range holds more than ${maxBuckets} ${query.bucket}s; narrow it or use a larger bucket.`, { pointer: "/bucket" });
    }
  }

  /** The start of the bucket `at` falls in (UTC). */
  function bucketOf(at: string, bucket: StatsBucket): string {
    const ms = Date.parse(at);
    return new Date(ms - (ms % bucketMs[bucket])).toISOString();
  }

  function bucketStarts(query: DashboardQuery): string[] {
    const size = bucketMs[query.bucket];
    const starts: string[] = [];
    for (let t = query.from.getTime() - (query.from.getTime() % size); t < query.to.getTime(); t += size) starts.push(new Date(t).toISOString());
    return starts;
  }

  function series(starts: readonly string[], samples: ReadonlyMap<string, number[]>): TimeSeriesPoint[] {
    return starts.map((start) => ({ start, ...summarise(samples.get(start) ?? []) }));
  }

  function push(map: Map<string, number[]>, key: string, value: number): void {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  }

  /** Decisions per policy in [from, to). */
  async function policyHits(from: Date, to: Date): Promise<{ policies: PolicyHits[]; truncated: boolean }> {
    const rows = await repo.decisions(from.toISOString(), to.toISOString(), maxRowsRead);
    return { policies: countPolicies(rows).policies, truncated: rows.length === maxRowsRead };
  }

  function countPolicies(rows: ReadonlyArray<{ kinds: string; decisions: string; shadow: string }>) {
    const hits = new Map<string, PolicyHits>();
    const automated: Record<string, number> = {};
    const add = (list: PolicyDecisionLike[], mode: PolicyHits["mode"]) => {
      // One hit per policy per decision row, however many decisions the policy made there.
      const seen = new Set<string>();
      for (const d of list) {
        if (typeof d.policyId !== "string" || typeof d.decision !== "string") continue;
        const key = `${mode} ${d.policyId}`;
        const entry = hits.get(key) ?? { policyId: d.policyId, mode, hits: 0, decisions: {} };
        if (!seen.has(key)) entry.hits++;
        seen.add(key);
        entry.decisions[d.decision] = (entry.decisions[d.decision] ?? 0) + 1;
        hits.set(key, entry);
      }
    };
    for (const row of rows) {
      for (const kind of JSON.parse(row.kinds) as string[]) automated[kind] = (automated[kind] ?? 0) + 1;
      add(JSON.parse(row.decisions) as PolicyDecisionLike[], "enforce");
      add(JSON.parse(row.shadow) as PolicyDecisionLike[], "shadow");
    }
    const policies = [...hits.values()].sort((a, b) => (a.mode === b.mode ? b.hits - a.hits || a.policyId.localeCompare(b.policyId) : a.mode === "shadow" ? -1 : 1));
    return { policies, automated };
  }

  async function dashboard(query: DashboardQuery): Promise<Dashboard> {
    checkRange(query);
    const from = query.from.toISOString();
    const to = query.to.toISOString();
    const starts = bucketStarts(query);
    const [actionRows, decidedRows, decisionRows, backlogRows, searchRows] = await Promise.all([
      repo.actionTimes(from, to, maxRowsRead),
      repo.decidedCases(from, to, maxRowsRead),
      repo.decisions(from, to, maxRowsRead),
      repo.backlog(clock().toISOString()),
      deps.blockedSearches.between(bucketOf(from, "hour"), to),
    ]);

    const automatedTimes = new Map<string, number[]>();
    for (const row of actionRows) push(automatedTimes, bucketOf(row.created_at, query.bucket), Math.max(0, (Date.parse(row.created_at) - Date.parse(row.event_received_at!)) / 1000));
    const reviewedTimes = new Map<string, number[]>();
    const reviewer: Record<string, number> = {};
    for (const row of decidedRows) {
      push(reviewedTimes, bucketOf(row.decided_at!, query.bucket), Math.max(0, (Date.parse(row.decided_at!) - Date.parse(row.opened_at)) / 1000));
      if (row.outcome) reviewer[row.outcome] = (reviewer[row.outcome] ?? 0) + 1;
    }

    const { policies, automated } = countPolicies(decisionRows);

    const backlog = reviewPriorities.map((priority, rank) => {
      const rows = backlogRows.filter((r) => r.priorityRank === rank);
      const sum = (f: (r: (typeof rows)[number]) => number) => rows.reduce((n, r) => n + f(r), 0);
      const total = sum((r) => r.total);
      const claimed = sum((r) => r.claimed);
      const escalated = sum((r) => r.escalated);
      return { priority, open: total - claimed - escalated, claimed, escalated, total, restricted: sum((r) => (r.restricted ? r.total : 0)) };
    });

    const bySurface = new Map<string, { surface: string; blocked: number; suggestionsRemoved: number }>();
    const searchSeries = new Map<string, { start: string; surface: string; blocked: number }>();
    for (const row of searchRows) {
      const s = bySurface.get(row.surface) ?? { surface: row.surface, blocked: 0, suggestionsRemoved: 0 };
      s.blocked += row.blocked;
      s.suggestionsRemoved += row.suggestionsRemoved;
      bySurface.set(row.surface, s);
      const start = bucketOf(row.hour, query.bucket);
      const key = `${start} ${row.surface}`;
      const point = searchSeries.get(key) ?? { start, surface: row.surface, blocked: 0 };
      point.blocked += row.blocked;
      searchSeries.set(key, point);
    }

    return {
      from,
      to,
      bucket: query.bucket,
      timeToAction: { automated: series(starts, automatedTimes), reviewed: series(starts, reviewedTimes) },
      backlog,
      decisions: { automated, reviewer },
      blockedSearches: { bySurface: [...bySurface.values()].sort((a, b) => a.surface.localeCompare(b.surface)), series: [...searchSeries.values()] },
      policyHits: policies,
      truncated: [actionRows, decidedRows, decisionRows].some((rows) => rows.length === maxRowsRead),
    };
  }

  return { dashboard, policyHits };
}

export type StatsService = ReturnType<typeof createStatsService>;
