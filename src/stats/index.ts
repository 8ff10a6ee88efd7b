/**
 * The dashboard's figures: time to action (p50/p99 per bucket), the backlog
 * by priority, decisions by kind and outcome, blocked searches by surface,
 * and decisions per policy (shadow-mode hits among them).
 *
 * @example
 * const stats = createStatsService(createStatsRepository(db), { blockedSearches: searchCounts });
 * const week = await stats.dashboard({ from: new Date(Date.now() - 7 * 86_400_000), to: new Date(), bucket: "day" });
 * week.timeToAction.automated[0]?.p99Seconds;
 */
export { createStatsService, statsBuckets, maxBuckets, maxRowsRead, type Dashboard, type DashboardQuery, type PolicyHits, type StatsBucket, type StatsService } from "./service.js";
export { createStatsRepository, type StatsRepository } from "./repository.js";
export { nearestRank } from "./percentiles.js";
export type { StatsTables } from "./tables.js";
