import type { RecommendationSurface } from "../../../network/index.js";
import type { AuditReport, GroupSurfaceReport, OverFiltering, ViewerGroup } from "../types.js";
import type { ChartAssets } from "./chart-assets.js";
import { escapeHtml, jsonForScript, scriptForHtml } from "./escape.js";

/** The over-filtering goal of issue 8: the guard may remove at most this share of benign suggestions. */
export const overFilteringGoal = 0.02;

const groupNames: Record<ViewerGroup, { plural: string; lower: string }> = {
  teen: { plural: "Teenage accounts", lower: "teenage accounts" },
  fresh: { plural: "New accounts", lower: "new accounts" },
  other: { plural: "Other accounts", lower: "other accounts" },
};

const surfaceNames: Record<RecommendationSurface, string> = {
  accounts: "Suggested accounts",
  posts: "Suggested posts",
  hashtags: "Suggested hashtags",
  groups: "Suggested groups",
};

/**
 * Renders the audit as one self-contained HTML page: a plain-language
 * summary, per surface a reach-within-k chart (each group without the guard,
 * and dashed with it) and an exposure bar chart, the numbers in tables (which
 * also read without JavaScript), the network accounts shown most often, and
 * the method. The chart library and the data are inlined, and a Content
 * Security Policy forbids every fetch, so the page opens on a closed network.
 *
 * ## Escaping
 * Every value from the report (account ids, the source's URL) is escaped:
 * text through `escapeHtml`, the embedded data through `jsonForScript`; the
 * page's script writes only to canvases and `textContent`.
 */
export function renderAuditHtml(report: AuditReport, assets: ChartAssets): string {
  const e = escapeHtml;
  const k = report.settings.steps;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Recommender audit, ${e(report.generatedAt)}</title>
<style>${assets.chartLibraryCss.replace(/<\/style/gi, "<\\/style")}
${pageCss}</style>
</head>
<body>
<header>
<h1>Recommender audit</h1>
<p class="meta">Generated ${e(report.generatedAt)} by Lapwing. Suggestions from ${e(report.source)}. Guard: ${report.guard ? e(report.guard) : "none in this run"}.
Network list: ${accountsText(report.networkSize)}. ${stepsText(k)} per walk, ${report.settings.walksPerViewer} walks per simulated account, seed ${report.settings.seed}.</p>
</header>
<main>
<section id="summary">
<h2>Summary</h2>
${summaryHtml(report)}
</section>
${report.surfaces.map((surface) => surfaceHtml(report, surface)).join("\n")}
${topAccountsHtml(report)}
<section id="method">
<h2>Method</h2>
${methodHtml(report)}
</section>
</main>
<script type="application/json" id="audit-data">${jsonForScript(report)}</script>
<script>${scriptForHtml(assets.chartLibraryJs)}</script>
<script>${scriptForHtml(assets.pageJs)}</script>
</body>
</html>
`;
}

function summaryHtml(report: AuditReport): string {
  const k = report.settings.steps;
  const items: string[] = [];
  for (const surface of report.surfaces) {
    const prefix = report.surfaces.length > 1 ? `<strong>${escapeHtml(surfaceNames[surface])}.</strong> ` : "";
    for (const r of report.results.filter((x) => x.surface === surface && x.walks > 0)) {
      const name = groupNames[r.group];
      const before = r.withoutGuard;
      const firstStep = before.stepsToFirst.median === null ? "" : ` (for half of those, by step ${formatNumber(before.stepsToFirst.median)})`;
      let text = `${prefix}<strong>${name.plural}:</strong> ${pct(lastShare(before.shownWithin))} of ${r.walks} simulated walks were shown at least one network account within ${stepsText(k)} of following suggestions${firstStep}; ${per100(before.exposure.share)} of every 100 suggestions shown were network accounts.`;
      if (r.withGuard) {
        text += ` With the guard: ${pct(lastShare(r.withGuard.shownWithin))} of walks, ${per100(r.withGuard.exposure.share)} in 100 suggestions.`;
      }
      const isBad = (lastShare(r.withGuard?.shownWithin ?? before.shownWithin) ?? 0) > 0;
      items.push(`<li class="${isBad ? "bad" : "good"}">${text}</li>`);
    }
  }
  const filtering = report.overFiltering;
  let guardLine: string;
  if (!filtering) {
    guardLine = `<p class="note">No guard was applied in this run. Run the audit again with Lapwing's guard (<code>--guard-url</code>) to see how much of this exposure it removes, and what it costs.</p>`;
  } else {
    const withinGoal = filtering.share === null || filtering.share <= overFilteringGoal;
    guardLine = `<p class="${withinGoal ? "good" : "bad"} callout">The guard removed ${pct(filtering.share)} of ordinary (non-network) suggestions (${filtering.benignRemoved} of ${filtering.benignSeen}): ${withinGoal ? "within" : "above"} the goal of at most ${pct(overFilteringGoal)}. It removed ${pct(filtering.networkRemovedShare)} of the network suggestions it saw (${filtering.networkRemoved} of ${filtering.networkSeen}).${reasonsText(filtering.benignRemovedByReason)}</p>`;
  }
  return `<p>Lapwing played the part of new and teenage users who follow what the platform suggests, and counted how quickly the suggestions led to accounts on the network list.</p>
${headlineHtml(report)}
<ul class="findings">${items.join("\n")}</ul>
${guardLine}`;
}

/** One sentence on the accounts most at risk (teenage and new), the worst surface first: what a reader takes away. */
function headlineHtml(report: AuditReport): string {
  const atRisk = report.results.filter((r) => (r.group === "teen" || r.group === "fresh") && r.walks > 0);
  if (atRisk.length === 0) return "";
  const worst = (pick: (r: GroupSurfaceReport) => number | null) => Math.max(...atRisk.map((r) => pick(r) ?? 0));
  const k = report.settings.steps;
  const before = worst((r) => lastShare(r.withoutGuard.shownWithin));
  let text = `In short: following the platform's suggestions, up to ${pct(before)} of the walks of teenage and new accounts were shown a network account within ${stepsText(k)}.`;
  if (report.guard !== null) text += ` With Lapwing's guard: at most ${pct(worst((r) => (r.withGuard ? lastShare(r.withGuard.shownWithin) : null)))}.`;
  return `<p class="headline">${text}</p>`;
}

/** The guard's reasons for removing ordinary suggestions, the most frequent first: where to look when it over-filters. */
function reasonsText(reasons: OverFiltering["benignRemovedByReason"]): string {
  if (reasons.length === 0) return "";
  const shown = reasons.slice(0, 5).map((r) => `${escapeHtml(r.reason)} (${r.removed})`);
  return ` Its reasons for removing ordinary suggestions: ${shown.join("; ")}${reasons.length > 5 ? "; and others" : ""}.`;
}

function surfaceHtml(report: AuditReport, surface: RecommendationSurface): string {
  const rows = report.results.filter((r) => r.surface === surface);
  const k = report.settings.steps;
  const hasGuard = report.guard !== null;
  return `<section class="surface" id="surface-${escapeHtml(surface)}">
<h2>${escapeHtml(surfaceNames[surface])}</h2>
<div class="charts">
<figure><figcaption>Share of walks shown a network account within k steps${hasGuard ? " (dashed: with the guard)" : ""}</figcaption><div class="chart" id="reach-${escapeHtml(surface)}"></div></figure>
<figure><figcaption>Exposure: share of all suggestions shown that were network accounts</figcaption><div class="chart" id="exposure-${escapeHtml(surface)}"></div></figure>
</div>
<table>
<thead><tr><th>group</th><th>simulated accounts</th><th>walks</th><th>shown the network within ${stepsText(k)}</th><th>followed a network account within ${stepsText(k)}</th><th>steps to the first (mean / median)</th><th>exposure</th>${hasGuard ? "<th>benign suggestions removed by the guard</th>" : ""}</tr></thead>
<tbody>
${rows.map((r) => rowHtml(r, hasGuard)).join("\n")}
</tbody>
</table>
${reachTableHtml(rows, k)}
</section>`;
}

function rowHtml(r: GroupSurfaceReport, hasGuard: boolean): string {
  const both = (pick: (s: GroupSurfaceReport["withoutGuard"]) => string) => (r.withGuard ? `${pick(r.withoutGuard)} → <b>${pick(r.withGuard)}</b>` : pick(r.withoutGuard));
  const steps = (s: GroupSurfaceReport["withoutGuard"]) => (s.stepsToFirst.reached === 0 ? "never" : `${formatNumber(s.stepsToFirst.mean)} / ${formatNumber(s.stepsToFirst.median)}`);
  return `<tr><th scope="row">${groupNames[r.group].plural}</th><td>${r.viewers}</td><td>${r.walks}</td><td>${both((s) => pct(lastShare(s.shownWithin)))}</td><td>${both((s) => pct(lastShare(s.followedWithin)))}</td><td>${both(steps)}</td><td>${both((s) => pct(s.exposure.share))}</td>${hasGuard ? `<td>${r.withGuard ? `${pct(r.withGuard.overFiltering.share)} (${r.withGuard.overFiltering.benignRemoved} of ${r.withGuard.overFiltering.benignSeen})` : "–"}</td>` : ""}</tr>`;
}

/** The reach curves as numbers, so they read without the chart (and without JavaScript). */
function reachTableHtml(rows: GroupSurfaceReport[], k: number): string {
  const ks = Array.from({ length: k }, (_, i) => i + 1);
  const lines = rows
    .filter((r) => r.walks > 0)
    .flatMap((r) => {
      const out = [`<tr><th scope="row">${groupNames[r.group].plural}</th>${r.withoutGuard.shownWithin.map((p) => `<td>${pct(p.share)}</td>`).join("")}</tr>`];
      if (r.withGuard) out.push(`<tr><th scope="row">${groupNames[r.group].plural}, with guard</th>${r.withGuard.shownWithin.map((p) => `<td>${pct(p.share)}</td>`).join("")}</tr>`);
      return out;
    });
  return `<details><summary>Reach within k steps, as numbers</summary>
<table class="reach"><thead><tr><th>group</th>${ks.map((x) => `<th>k = ${x}</th>`).join("")}</tr></thead><tbody>
${lines.join("\n")}
</tbody></table></details>`;
}

function topAccountsHtml(report: AuditReport): string {
  if (report.topNetworkAccounts.length === 0) return `<section id="top-accounts"><h2>Network accounts shown most often</h2><p>No network account was shown.</p></section>`;
  return `<section id="top-accounts">
<h2>Network accounts shown most often</h2>
<p>Without the guard: the accounts on the network list that the platform's suggestions showed most often across all walks. These are the first to look at.</p>
<table><thead><tr><th>surface</th><th>account</th><th>times shown</th></tr></thead><tbody>
${report.topNetworkAccounts.map((a) => `<tr><td>${escapeHtml(a.surface)}</td><td><code>${escapeHtml(a.id)}</code></td><td>${a.timesShown}</td></tr>`).join("\n")}
</tbody></table>
</section>`;
}

function methodHtml(report: AuditReport): string {
  const s = report.settings;
  return `<p>Each simulated account (a teenage, new or other account of the platform, as listed in the viewers file) makes ${s.walksPerViewer} independent <em>walks</em> of ${stepsText(s.steps)} on each surface. At each step it asks the platform for suggestions (at step 1 for itself, afterwards for the account it followed last, which is how "suggested for you" follows what a user just followed), looks at them, and follows one of the first ${s.topM} it does not already follow, chosen ${s.choice === "rank" ? "with the first suggestion likeliest (weight 1/rank)" : "at random with equal chances"}. Choices come from a seeded generator (seed ${s.seed}), so the same inputs give the same report.</p>
<ul>
<li><strong>Shown the network within k steps</strong>: the share of walks in which at least one account on the network list was among the suggestions by step k.</li>
<li><strong>Followed a network account within k steps</strong>: the share of walks that followed one by step k.</li>
<li><strong>Steps to the first</strong>: over the walks that were shown a network account, the step at which it first happened.</li>
<li><strong>Exposure</strong>: of all suggestions shown along all walks, the share that were network accounts.</li>
<li><strong>With the guard</strong>: every walk is run again, with the same random choices, and the guard filters each suggestion list before the account sees it. <strong>Benign suggestions removed</strong> is the share of suggestions not on the network list that the guard removed: over-filtering is a failure too (goal: at most ${pct(overFilteringGoal)}).</li>
</ul>
<p>Limits: the audit measures the recommender only (not search or direct messages); the network list is what the operator supplied (${accountsText(report.networkSize)}), so accounts of the network missing from it count as benign; recorded suggestions are a snapshot of the recommender at the time they were recorded.</p>`;
}

const pageCss = `
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d1d1d; margin: 0; background: #fafafa; }
header, main { max-width: 1120px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 20px; }
h1 { margin: 0 0 4px; font-size: 26px; }
h2 { margin: 28px 0 10px; font-size: 20px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.meta { color: #555; font-size: 13px; margin: 0; }
.findings { padding-left: 0; list-style: none; }
.findings li { margin: 6px 0; padding: 8px 12px; border-left: 5px solid #999; background: #fff; }
.findings li.bad { border-color: #c0392b; }
.findings li.good { border-color: #2e8b57; }
.callout { padding: 8px 12px; background: #fff; border-left: 5px solid #999; }
.callout.good { border-color: #2e8b57; }
.callout.bad { border-color: #c0392b; }
.note { color: #444; font-style: italic; }
.headline { font-size: 17px; font-weight: 600; }
.charts { display: flex; flex-wrap: wrap; gap: 24px; }
figure { margin: 0; background: #fff; padding: 8px; border: 1px solid #e3e3e3; }
figcaption { font-weight: 600; font-size: 14px; margin-bottom: 4px; max-width: 520px; }
.chart { min-height: 300px; }
table { border-collapse: collapse; margin: 14px 0; background: #fff; font-size: 13px; }
th, td { border: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; }
thead th { background: #f0f0f0; }
code { font-size: 13px; word-break: break-all; }
details { margin-bottom: 10px; }
`;

function accountsText(n: number): string {
  return n === 1 ? "1 account" : `${n} accounts`;
}

function stepsText(k: number): string {
  return k === 1 ? "1 step" : `${k} steps`;
}

function lastShare(curve: { share: number | null }[]): number | null {
  return curve.length ? curve[curve.length - 1]!.share : null;
}

/** A share as a percentage a reader can take in at a glance: "62%", "1.5%", "0%", or "–" when undefined. */
export function pct(share: number | null): string {
  if (share === null) return "–";
  if (share === 0) return "0%";
  const value = share * 100;
  return `${value < 10 ? Number(value.toFixed(1)) : Math.round(value)}%`;
}

function per100(share: number | null): string {
  return share === null ? "–" : formatNumber(Math.round(share * 1000) / 10);
}

function formatNumber(value: number | null): string {
  return value === null ? "–" : String(Math.round(value * 10) / 10);
}
