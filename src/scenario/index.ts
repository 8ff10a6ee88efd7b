/**
 * Synthetic scenarios for network detection (issue 8): a platform with
 * interest communities, schools, shops, reporters and a planted seller network,
 * written as platform events with the labels that say who is who, and the
 * evaluator that scores a ranking against them. A pure library: no database,
 * no HTTP. What is modelled and why: docs/scenario.md.
 */
export { generateScenario, type Scenario, type ScenarioEvent, type ScenarioSink, type ScenarioViewers } from "./generate.js";
export { scenarioScale, defaultScenarioAccounts, minScenarioAccounts, maxScenarioAccounts, maxNetworkSize, type ScenarioOptions, type ScenarioScale } from "./scale.js";
export { accountRoles, accountFlags, memberRoles, type AccountRole, type AccountFlag, type AccountLabel, type BackupPair, type KnownMediaPost, type ScenarioLabels } from "./labels.js";
export { scenarioStandIns } from "./texts.js";
export { FollowGraphBuilder, type FollowEdges } from "./follow-graph.js";
export { evaluateRanking, twoHopBaseline, followerCountBaseline, type RankingEvaluation, type BaselineScore } from "./evaluate.js";
