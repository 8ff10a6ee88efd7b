/**
 * Network detection: the social graph's edge store (written at ingest), seeds,
 * scoring (personalised PageRank with degree normalisation, content evidence,
 * ban-evasion links), clusters, targeted minors, signals for the policies, and
 * the recommender guard. docs/network.md explains the method.
 *
 * @packageDocumentation
 */
export { createNetworkService, defaultNetworkSettings, type NetworkService, type NetworkSettings, type SeedResult } from "./service.js";
export { createNetworkRepository, type NetworkRepository } from "./repository.js";
export { filterRecommendations, recommendationSurfaces, removalReasons, type FilterRequest, type FilterResult, type RecommendationSurface, type RemovalReason } from "./guard.js";
export { isContentKey, type AccountDetail, type ClusterSummary, type NetworkSnapshot, type RankedAccount, type TargetedAccount } from "./model.js";
export { edgeOf, graphOnlyEventTypes } from "./edges-from-events.js";
export type { NetworkTables } from "./tables.js";
export { shownCluster, shownDetail, shownRanked, shownSeed, shownSeedResult, shownTarget, type ShownAccount } from "./shown.js";
