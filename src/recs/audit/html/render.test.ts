import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { loadChartAssets, pct, recordedSource, renderAuditHtml, runAudit, type AuditReport, type ChartAssets } from "../index.js";
import { jsonForScript, scriptForHtml } from "./escape.js";

const hostile = `<script>alert("x")</script>&"'`;

async function report(): Promise<AuditReport> {
  return runAudit({
    source: recordedSource({ recs: { t1: ["a", hostile], a: [hostile, "b"], f1: ["b"], b: ["a"] } }, "file </title><script>alert(2)</script>.json"),
    viewers: { teen: ["t1"], fresh: ["f1"], other: [] },
    networkAccounts: new Set([hostile]),
    surfaces: ["accounts"],
    guard: async (_v, _s, candidates) => ({ kept: candidates.filter((c) => c !== hostile && c !== "b"), removed: candidates.filter((c) => c === "b").map((id) => ({ id, reason: "<img src=x onerror=alert(3)>" })) }),
    guardDescription: "test guard",
    generatedAt: "2026-01-01T00:00:00.000Z",
    settings: { steps: 3, walksPerViewer: 4, topM: 2, seed: 5 },
  });
}

describe("recommender audit HTML report", () => {
  let assets: ChartAssets;
  let data: AuditReport;
  let html: string;
  before(async () => {
    assets = await loadChartAssets();
    data = await report();
    html = renderAuditHtml(data, assets);
  });

  it("embeds the report's data, which reads back exactly", () => {
    const block = /<script type="application\/json" id="audit-data">([\s\S]*?)<\/script>/.exec(html);
    assert.ok(block);
    assert.deepEqual(JSON.parse(block[1]!), data);
  });

  it("shows the numbers in words and tables, and the method", () => {
    const teen = data.results.find((r) => r.group === "teen")!;
    const reached = pct(teen.withoutGuard.shownWithin[2]!.share);
    assert.notEqual(reached, "0%", "the hand-made graph does lead teens to the network");
    assert.ok(html.includes(`<strong>Teenage accounts:</strong> ${reached} of ${teen.walks} simulated walks`), "the summary sentence");
    const filtering = data.overFiltering!;
    assert.ok(filtering.benignRemoved > 0);
    assert.ok(html.includes(`The guard removed ${pct(filtering.share)} of ordinary (non-network) suggestions (${filtering.benignRemoved} of ${filtering.benignSeen}): above the goal of at most 2%`));
    assert.match(html, /<h2>Method<\/h2>/);
    assert.match(html, /id="reach-accounts"/);
    assert.match(html, /id="exposure-accounts"/);
  });

  it("escapes a hostile account id and source name everywhere they appear", () => {
    // Exactly three script elements: the data, uPlot, the page's script.
    assert.equal(html.match(/<script/g)!.length, 3);
    assert.ok(!html.includes("alert(2)</script>"));
    assert.ok(!html.includes(`alert("x")</script>`));
    assert.ok(html.includes("<code>&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;&#38;&#34;&#39;</code>"), "the account id shown as text in the table");
    assert.ok(html.includes("file &#60;/title&#62;&#60;script&#62;alert(2)&#60;/script&#62;.json"));
    assert.ok(!html.includes("<img"));
    assert.ok(html.includes(`Its reasons for removing ordinary suggestions: &#60;img src=x onerror=alert(3)&#62; (${data.overFiltering!.benignRemoved}).`));
  });

  it("is self-contained: the chart library inline, nothing fetched", () => {
    assert.ok(html.includes(scriptForHtml(assets.chartLibraryJs)), "uPlot inline");
    assert.ok(html.includes(assets.pageJs));
    assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
    assert.doesNotMatch(html, /<[a-z][^>]*\s(src|href)=/i, "no element loads a script, a style or an image");
  });

  it("writes JSON and scripts so that no </script> or <!-- can end their element", () => {
    assert.equal(jsonForScript({ a: "</script><!--\u2028&" }), '{"a":"\\u003c/script\\u003e\\u003c!--\\u2028\\u0026"}');
    assert.deepEqual(JSON.parse(jsonForScript({ a: "</script><!--\u2028&" })), { a: "</script><!--\u2028&" });
    assert.equal(scriptForHtml('x = "</SCRIPT>"; y = /<!--/;'), 'x = "\\x3C/SCRIPT>"; y = /\\x3C!--/;');
  });
});
