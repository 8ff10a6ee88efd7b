/**
 * The recommender audit (issue 8): simulated teenage, new and other accounts
 * follow a platform's suggestions for K steps, and the audit reports how soon
 * and how often the suggestions lead them to the network, per group and
 * surface, without and with Lapwing's guard, and what the guard removed that
 * it should not have. A library: suggestions come through a
 * `RecommendationSource` (a recorded file or a platform's HTTP endpoint), the
 * guard is an injected function, the network is a set of ids; no database.
 *
 * @example
 * ```ts
 * import { loadChartAssets, parseRecordedRecs, recordedSource, renderAuditHtml, runAudit } from "lapwing/recs/audit";
 *
 * const report = await runAudit({
 *   source: recordedSource(parseRecordedRecs(recsJson), "file recs.json"),
 *   viewers: { teen: ["t1", "t2"], fresh: ["f1"], other: [] },
 *   networkAccounts: new Set(["seller1", "seller2"]),
 *   surfaces: ["accounts"],
 *   guard: async (viewer, surface, candidates) => ({ kept: candidates.filter((id) => !id.startsWith("seller")) }),
 *   generatedAt: new Date().toISOString(),
 *   settings: { steps: 5, walksPerViewer: 20, seed: 7 },
 * });
 * report.results[0].withoutGuard.shownWithin.at(-1)?.share; // share of teen walks shown the network within 5 steps
 * const html = renderAuditHtml(report, await loadChartAssets()); // one self-contained file
 * ```
 *
 * ## Caveats
 * The walk continues from the account followed last (see `walk`); a live
 * endpoint is asked each URL once per run, so put `{origin}` in its template
 * when its answers depend on who asks. Accounts of the network missing from
 * the network list count as benign, in exposure and in over-filtering alike.
 */
export { runAudit, validateSettings } from "./simulate.js";
export { walk, type WalkTrace, type WalkParams } from "./walk.js";
export { parseRecordedRecs, recordedSource, type RecordedRecs } from "./recorded-source.js";
export { httpSource, type HttpSourceOptions } from "./http-source.js";
export { httpGuard, type HttpGuardOptions } from "./http-guard.js";
export { parseNetworkList, parseViewerGroups } from "./inputs.js";
export { RecsSourceError } from "./errors.js";
export { renderAuditHtml, overFilteringGoal, pct } from "./html/render.js";
export { loadChartAssets, type ChartAssets } from "./html/chart-assets.js";
export {
  auditDefaults,
  viewerGroups,
  walkChoices,
  type AuditInput,
  type AuditReport,
  type AuditSettings,
  type GuardAnswer,
  type GroupSurfaceReport,
  type OverFiltering,
  type ReachPoint,
  type RecommendationGuard,
  type RecommendationSource,
  type SuggestContext,
  type ViewerGroup,
  type ViewerGroups,
  type WalkChoice,
  type WalkStats,
} from "./types.js";
