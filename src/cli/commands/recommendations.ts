import { readFile, writeFile } from "node:fs/promises";
import { Command, Option } from "commander";
import { LapwingError } from "../../errors/index.js";
import type { AuditReport, RecommendationGuard } from "../../recs/audit/index.js";
import { printJson, wholeNumber, withServices } from "../context.js";
import { auditDefaults, recommendationSurfaces, walkChoices, type RecommendationSurface, type WalkChoice } from "../vocabulary.js";
import { addRecommendationsFilter } from "./recommendations-filter.js";

/**
 * What `recommendations` takes from the rest of Lapwing. Both are optional:
 * without them (`auditCommand()`) the audit runs on files alone; the command
 * as shipped gets {@link lapwingRecommendationsHooks}, over the database.
 */
export interface RecommendationsHooks {
  /** Lapwing's own network candidates, used when `--network` is not given. */
  loadNetworkAccounts?: (command: Command) => Promise<Set<string>>;
  /** Runs `fn` with this Lapwing's guard in-process (adds the `--local-guard` option). */
  withLocalGuard?: <T>(command: Command, fn: (guard: RecommendationGuard, description: string) => Promise<T>) => Promise<T>;
}

/**
 * The hooks as Lapwing wires them, over the database of `--database`: the
 * accounts its network detection holds suspected (seeded, actioned or scored
 * high), and its guard run in this process.
 */
export const lapwingRecommendationsHooks: RecommendationsHooks = {
  loadNetworkAccounts: (command) =>
    withServices(command, async ({ network }) => {
      const snapshot = await network.refresh();
      const known = [...snapshot.ranked.map((r) => r.account), ...snapshot.clusters.flatMap((c) => c.members.map((m) => m.account)), ...(await network.listSeeds()).map((s) => s.account)];
      const suspected = new Set(known.filter((account) => snapshot.isSuspected(account)));
      if (suspected.size === 0) {
        throw usage("Lapwing's network detection holds no account suspected yet (no seeds, actions or high scores in this database): seed some with `lapwing network seed`, or give --network FILE.", "/network");
      }
      return suspected;
    }),
  withLocalGuard: (command, fn) =>
    withServices(command, async (services) => {
      const snapshot = await services.network.refresh();
      return fn(async (viewer, surface, candidates) => services.network.guard({ viewer, surface, candidates }, snapshot), "Lapwing's guard, in-process");
    }),
};

/** The `recommendations` command group: the guard's batch filter and the recommender audit. */
export function recommendationsCommand(hooks: RecommendationsHooks = lapwingRecommendationsHooks): Command {
  const recommendations = new Command("recommendations").description("Keep the network out of a platform's suggestions, and measure how exposed its recommender leaves teenagers and new accounts");
  addRecommendationsFilter(recommendations);
  recommendations.addCommand(auditCommand(hooks));
  return recommendations;
}

interface AuditOptions {
  recs?: string;
  endpoint?: string;
  endpointHeader: string[];
  viewers: string;
  network?: string;
  surface: RecommendationSurface[];
  steps: string;
  walks: string;
  top: string;
  choice: WalkChoice;
  seed: string;
  maxViewers: string;
  concurrency: string;
  timeoutMs: string;
  guardUrl?: string;
  key?: string;
  localGuard?: boolean;
  json?: boolean;
  html?: string;
}

/** `lapwing recommendations audit`: see docs/recommendations.md. */
export function auditCommand(hooks: RecommendationsHooks = {}): Command {
  const audit = new Command("audit")
    .description(
      "Simulate teenage, new and other accounts following a platform's suggestions for K steps (seeded random walks) and report how soon and how often they reach the network, per group and surface, without and with the guard (see docs/recommendations.md)",
    )
    .option("--recs <file>", 'recorded suggestions: {"recs": {"account": ["suggested id", ...]}}; a walk at X continues with recs[X]')
    .option("--endpoint <url>", "the platform's suggestion endpoint instead of --recs, with placeholders {viewer} (required), {surface}, {origin}, {step}; answers a JSON array of ids or {\"candidates\": [...]}")
    .option("--endpoint-header <header>", 'a header for every endpoint request, "Name: value" (repeatable)', collect, [])
    .requiredOption("--viewers <file>", 'the simulated accounts: {"teen": [...], "fresh": [...], "other": [...]}')
    .option("--network <file>", 'the network\'s accounts: a JSON array, a labels file with a "network" list, or one id per line' + (hooks.loadNetworkAccounts ? "; default: Lapwing's own network candidates" : ""))
    .option("--surface <surfaces>", `surfaces to audit, comma-separated, from ${recommendationSurfaces.join(", ")} (default: accounts)`, surfaceList, undefined)
    .option("--steps <k>", "K: steps per walk, and the longest reach curve", String(auditDefaults.steps))
    .option("--walks <n>", "walks from each simulated account", String(auditDefaults.walksPerViewer))
    .option("--top <m>", "a walk follows one of the first M suggestions it does not follow yet", String(auditDefaults.topM))
    .addOption(new Option("--choice <choice>", "how the walk picks among the top M: uniform, or rank (weight 1/rank)").choices([...walkChoices]).default(auditDefaults.choice))
    .option("--seed <n>", "seed of the walks' random choices (same seed and inputs, same report)", String(auditDefaults.seed))
    .option("--max-viewers <n>", "at most this many simulated accounts per group, a seeded sample (0: all)", String(auditDefaults.maxViewersPerGroup))
    .option("--concurrency <n>", "walks in flight at once, and so requests to the endpoint and to the guard", String(auditDefaults.concurrency))
    .option("--timeout-ms <ms>", "deadline of one request to the endpoint or the guard", "10000")
    .option("--guard-url <url>", "also run every walk through the guard of a running Lapwing (its address, e.g. http://127.0.0.1:7878); needs --key")
    .option("--key <key>", "an API key for --guard-url")
    .option("--json", "print the report as one JSON document")
    .option("--html <file>", "also write the report as one self-contained HTML page with charts");
  if (hooks.withLocalGuard) audit.option("--local-guard", "also run every walk through this Lapwing's guard, in this process (the database of --database)");

  return audit.action(async (o: AuditOptions, command: Command) => {
    const { httpGuard, httpSource, loadChartAssets, parseRecordedRecs, parseViewerGroups, recordedSource, renderAuditHtml, runAudit } = await import("../../recs/audit/index.js");
    if ((o.recs === undefined) === (o.endpoint === undefined)) throw usage("Give exactly one source of suggestions: --recs FILE or --endpoint URL.", "/recs");
    if (o.guardUrl !== undefined && !o.key) throw usage("--guard-url needs --key: an API key of that Lapwing.", "/key");
    if (o.guardUrl !== undefined && o.localGuard) throw usage("Give one guard: --guard-url or --local-guard.", "/guard-url");
    const timeoutMs = wholeNumber(o.timeoutMs, "--timeout-ms", { min: 1, max: 600_000 });
    const concurrency = wholeNumber(o.concurrency, "--concurrency", { min: 1, max: 1024 });
    const settings = {
      steps: wholeNumber(o.steps, "--steps", { min: 1, max: 100 }),
      walksPerViewer: wholeNumber(o.walks, "--walks", { min: 1, max: 100_000 }),
      topM: wholeNumber(o.top, "--top", { min: 1, max: 10_000 }),
      choice: o.choice,
      seed: wholeNumber(o.seed, "--seed", { max: 0xffffffff }),
      maxViewersPerGroup: wholeNumber(o.maxViewers, "--max-viewers"),
      concurrency,
    };
    const source = o.recs
      ? recordedSource(parseRecordedRecs(await readFile(o.recs, "utf8"), o.recs), `file ${o.recs}`)
      : httpSource({ template: o.endpoint!, timeoutMs, maxInFlight: concurrency, headers: headers(o.endpointHeader) });
    const viewers = parseViewerGroups(await readFile(o.viewers, "utf8"), o.viewers);
    const networkAccounts = await loadNetwork(o, command, hooks);

    const run = (guard?: RecommendationGuard, guardDescription?: string) =>
      runAudit({ source, viewers, networkAccounts, surfaces: o.surface ?? ["accounts"], guard, guardDescription, generatedAt: new Date().toISOString(), settings });
    let report: AuditReport;
    if (o.guardUrl !== undefined) {
      const remote = httpGuard({ url: o.guardUrl, apiKey: o.key!, timeoutMs, maxInFlight: concurrency });
      report = await run(remote.guard, remote.description);
    } else if (o.localGuard && hooks.withLocalGuard) {
      report = await hooks.withLocalGuard(command, (guard, description) => run(guard, description));
    } else {
      report = await run();
    }

    if (o.html) await writeFile(o.html, renderAuditHtml(report, await loadChartAssets()));
    if (o.json) printJson(report);
    else await printSummary(report);
    if (o.html) process.stderr.write(`wrote the HTML report to ${o.html}\n`);
  });
}

async function loadNetwork(o: AuditOptions, command: Command, hooks: RecommendationsHooks): Promise<Set<string>> {
  const { parseNetworkList } = await import("../../recs/audit/index.js");
  if (o.network !== undefined) return parseNetworkList(await readFile(o.network, "utf8"), o.network);
  if (hooks.loadNetworkAccounts) return hooks.loadNetworkAccounts(command);
  throw usage("Give the network's accounts with --network FILE (a JSON array, a labels file with a \"network\" list, or one id per line).", "/network");
}

async function printSummary(report: AuditReport): Promise<void> {
  const { pct } = await import("../../recs/audit/index.js");
  const k = report.settings.steps;
  const out: string[] = [`Recommender audit: ${report.source}; network list of ${report.networkSize}; ${k} steps, ${report.settings.walksPerViewer} walks per account, seed ${report.settings.seed}.`];
  for (const r of report.results) {
    if (r.walks === 0) continue;
    const shown = (s: typeof r.withoutGuard) => pct(s.shownWithin[k - 1]!.share);
    const guarded = r.withGuard ? ` → ${shown(r.withGuard)} with the guard` : "";
    const exposure = r.withGuard ? ` → ${pct(r.withGuard.exposure.share)}` : "";
    out.push(
      `  ${r.surface} / ${r.group}: ${r.walks} walks; shown the network within ${k} steps: ${shown(r.withoutGuard)}${guarded}; median steps to the first: ${r.withoutGuard.stepsToFirst.median ?? "–"}; exposure ${pct(r.withoutGuard.exposure.share)}${exposure}`,
    );
  }
  if (report.overFiltering) {
    const f = report.overFiltering;
    out.push(`  guard: removed ${pct(f.share)} of benign suggestions (${f.benignRemoved} of ${f.benignSeen}) and ${pct(f.networkRemovedShare)} of network suggestions (${f.networkRemoved} of ${f.networkSeen})`);
  }
  process.stdout.write(out.join("\n") + "\n");
}

function surfaceList(value: string, previous: RecommendationSurface[] | undefined): RecommendationSurface[] {
  const surfaces = value.split(",").map((s) => s.trim()).filter(Boolean);
  for (const s of surfaces) if (!(recommendationSurfaces as readonly string[]).includes(s)) throw usage(`Unknown surface "${s}"; use ${recommendationSurfaces.join(", ")}.`, "/surface");
  return [...new Set([...(previous ?? []), ...(surfaces as RecommendationSurface[])])];
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function headers(lines: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon <= 0) throw usage(`--endpoint-header takes "Name: value"; got "${line}".`, "/endpoint-header");
    out[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return out;
}

function usage(message: string, pointer: string): LapwingError {
  return new LapwingError("VALIDATION_FAILED", message, { pointer });
}
