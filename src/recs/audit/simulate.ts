import { seededRandom } from "../../random/index.js";
import type { RecommendationSurface } from "../../network/index.js";
import { mapWithConcurrency } from "./concurrency.js";
import { auditInputError } from "./errors.js";
import { combineFiltering, summarizeFiltering, summarizeWalks } from "./stats.js";
import { auditDefaults, viewerGroups, walkChoices, type AuditInput, type AuditReport, type AuditSettings, type GroupSurfaceReport, type OverFiltering, type ViewerGroup } from "./types.js";
import { walk, type WalkTrace } from "./walk.js";

interface WalkJob {
  group: ViewerGroup;
  surface: RecommendationSurface;
  origin: string;
  index: number;
}

/**
 * Runs the recommender audit: from every simulated account of every group,
 * `walksPerViewer` seeded walks of K steps on every surface, each walked once
 * as the platform's recommender answers and, with a guard, once more with
 * the guard in between (the same random stream, so the two walks differ only
 * where the guard changed what was shown). See `walk` for one walk.
 *
 * ## Determinism
 * Each walk draws from its own generator seeded from (seed, surface, account,
 * walk number), so the report depends on the seed and the inputs only, not on
 * concurrency or on the order answers arrive in.
 *
 * @example
 * const report = await runAudit({
 *   source: recordedSource({ recs: { teen1: ["a", "b"], a: ["net1"] } }),
 *   viewers: { teen: ["teen1"], fresh: [], other: [] },
 *   networkAccounts: new Set(["net1"]),
 *   surfaces: ["accounts"],
 *   generatedAt: new Date().toISOString(),
 *   settings: { steps: 3, seed: 7 },
 * });
 * report.results[0].withoutGuard.shownWithin; // [{k: 1, ...}, {k: 2, ...}, {k: 3, ...}]
 */
export async function runAudit(input: AuditInput): Promise<AuditReport> {
  const settings = validateSettings({ ...auditDefaults, ...input.settings });
  if (input.surfaces.length === 0) throw auditInputError("Name at least one surface to audit.", "/surfaces");
  const sampled = Object.fromEntries(viewerGroups.map((g) => [g, sample(input.viewers[g] ?? [], settings.maxViewersPerGroup, settings.seed)])) as Record<ViewerGroup, string[]>;
  if (viewerGroups.every((g) => sampled[g].length === 0)) {
    throw auditInputError('No simulated accounts: the viewers list has none in "teen", "fresh" or "other".', "/viewers");
  }

  const jobs: WalkJob[] = [];
  for (const surface of input.surfaces) {
    for (const group of viewerGroups) {
      for (const origin of sampled[group]) for (let index = 0; index < settings.walksPerViewer; index++) jobs.push({ group, surface, origin, index });
    }
  }
  const runWalk = (job: WalkJob, guarded: boolean) =>
    walk({
      origin: job.origin,
      surface: job.surface,
      source: input.source,
      guard: guarded ? input.guard : undefined,
      networkAccounts: input.networkAccounts,
      steps: settings.steps,
      topM: settings.topM,
      choice: settings.choice,
      random: seededRandom(walkSeed(settings.seed, job)),
    });
  const traces = await mapWithConcurrency(jobs, settings.concurrency, async (job) => ({
    plain: await runWalk(job, false),
    guarded: input.guard ? await runWalk(job, true) : undefined,
  }));

  const results: GroupSurfaceReport[] = [];
  const filteringParts: OverFiltering[] = [];
  for (const surface of input.surfaces) {
    for (const group of viewerGroups) {
      const mine = traces.filter((_, i) => jobs[i]!.surface === surface && jobs[i]!.group === group);
      const guarded = mine.map((t) => t.guarded).filter((t): t is WalkTrace => t !== undefined);
      const overFiltering = summarizeFiltering(guarded);
      if (input.guard) filteringParts.push(overFiltering);
      results.push({
        group,
        surface,
        viewers: sampled[group].length,
        walks: mine.length,
        withoutGuard: summarizeWalks(mine.map((t) => t.plain), settings.steps),
        withGuard: input.guard ? { ...summarizeWalks(guarded, settings.steps), overFiltering } : null,
      });
    }
  }

  return {
    generatedAt: input.generatedAt,
    source: input.source.description,
    guard: input.guard ? (input.guardDescription ?? "an in-process guard") : null,
    settings,
    surfaces: [...input.surfaces],
    networkSize: input.networkAccounts.size,
    results,
    overFiltering: input.guard ? combineFiltering(filteringParts) : null,
    topNetworkAccounts: input.surfaces.flatMap((surface) =>
      mostShown(traces.filter((_, i) => jobs[i]!.surface === surface).map((t) => t.plain)).map(([id, timesShown]) => ({ surface, id, timesShown })),
    ),
  };
}

/** Checks the settings, each against its flag's name, so a CLI user sees which one is off. */
export function validateSettings(settings: AuditSettings): AuditSettings {
  const whole = (key: keyof AuditSettings, min: number, max: number) => {
    const value = settings[key];
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      throw auditInputError(`The audit setting ${key} must be a whole number from ${min} to ${max}; got ${JSON.stringify(value)}.`, `/settings/${key}`);
    }
  };
  whole("steps", 1, 100);
  whole("walksPerViewer", 1, 100_000);
  whole("topM", 1, 10_000);
  whole("seed", 0, 0xffffffff);
  whole("maxViewersPerGroup", 0, 10_000_000);
  whole("concurrency", 1, 1024);
  if (!(walkChoices as readonly string[]).includes(settings.choice)) {
    throw auditInputError(`The audit setting choice must be one of ${walkChoices.join(", ")}; got ${JSON.stringify(settings.choice)}.`, "/settings/choice");
  }
  return Object.freeze({ ...settings });
}

/** A seeded sample of at most `max` ids (all of them when max is 0), in their original order. */
function sample(ids: readonly string[], max: number, seed: number): string[] {
  const unique = [...new Set(ids)];
  if (max === 0 || unique.length <= max) return unique;
  const random = seededRandom(seed ^ 0x5bd1e995);
  const order = unique.map((_, i) => i);
  for (let i = 0; i < max; i++) {
    const j = i + Math.floor(random() * (order.length - i));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order
    .slice(0, max)
    .sort((a, b) => a - b)
    .map((i) => unique[i]!);
}

/** FNV-1a over the walk's identity, mixed with the run's seed: one independent stream per walk. */
function walkSeed(seed: number, job: WalkJob): number {
  let hash = 0x811c9dc5 ^ seed;
  const key = `${job.surface}\u0000${job.origin}\u0000${job.index}`;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function mostShown(traces: readonly WalkTrace[], limit = 10): [string, number][] {
  const counts = new Map<string, number>();
  for (const t of traces) for (const id of t.networkShown) counts.set(id, (counts.get(id) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, limit);
}
