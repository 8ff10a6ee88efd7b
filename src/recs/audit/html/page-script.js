// Draws the recommender audit's charts with uPlot from the report embedded in
// the page (the JSON block with id "audit-data"). Plain browser
// JavaScript, inlined into the report as it is: no build step, no network.
// Text reaches the page only through canvas drawing and textContent.
(function () {
  "use strict";
  var report = JSON.parse(document.getElementById("audit-data").textContent);
  var groupLabels = { teen: "Teenage accounts", fresh: "New accounts", other: "Other accounts" };
  var groupColors = { teen: "#c0392b", fresh: "#1f6fb2", other: "#6b6b6b" };
  var guardColor = "#2e8b57";
  var plainColor = "#e08a1e";
  var width = 520;
  var height = 300;

  function percent(value) {
    return value === null || value === undefined ? null : Math.round(value * 1000) / 10;
  }

  function percentAxis() {
    return {
      label: "% of walks",
      values: function (u, splits) {
        return splits.map(function (v) { return v + "%"; });
      },
    };
  }

  function reachChart(surface, target) {
    var rows = report.results.filter(function (r) { return r.surface === surface && r.walks > 0; });
    var ks = [];
    for (var k = 1; k <= report.settings.steps; k++) ks.push(k);
    var data = [ks];
    var series = [{ label: "k (steps)" }];
    rows.forEach(function (r) {
      data.push(r.withoutGuard.shownWithin.map(function (p) { return percent(p.share); }));
      series.push({ label: groupLabels[r.group], stroke: groupColors[r.group], width: 2.5, points: { size: 7 } });
      if (r.withGuard) {
        data.push(r.withGuard.shownWithin.map(function (p) { return percent(p.share); }));
        series.push({ label: groupLabels[r.group] + ", with guard", stroke: groupColors[r.group], dash: [6, 5], width: 2, points: { size: 5 } });
      }
    });
    // The y axis ends a little above the highest curve (at most 100%), so low reach still reads.
    var highest = Math.max.apply(null, [5].concat.apply([], data.slice(1)).map(function (v) { return v || 0; }));
    new uPlot(
      {
        width: width,
        height: height,
        legend: { live: false },
        cursor: { show: false },
        scales: { x: { time: false, range: report.settings.steps === 1 ? [0.5, 1.5] : [1, report.settings.steps] }, y: { range: [0, Math.min(100, Math.ceil((highest * 1.15) / 10) * 10)] } },
        axes: [
          { label: "within k steps", values: function (u, splits) { return splits.map(function (v) { return Number.isInteger(v) ? String(v) : ""; }); } },
          percentAxis(),
        ],
        series: series,
      },
      data,
      target,
    );
  }

  function exposureChart(surface, target) {
    var rows = report.results.filter(function (r) { return r.surface === surface && r.walks > 0; });
    var xs = rows.map(function (_, i) { return i; });
    var before = rows.map(function (r) { return percent(r.withoutGuard.exposure.share); });
    var hasGuard = rows.some(function (r) { return r.withGuard; });
    var after = rows.map(function (r) { return r.withGuard ? percent(r.withGuard.exposure.share) : null; });
    var top = Math.max.apply(null, before.concat(after, [1]).map(function (v) { return v || 0; }));
    var series = [
      { label: "group" },
      { label: "without guard", fill: plainColor, stroke: plainColor, paths: uPlot.paths.bars({ size: [0.36, 70], align: hasGuard ? -1 : 0 }), points: { show: false } },
    ];
    var data = [xs, before];
    if (hasGuard) {
      series.push({ label: "with guard", fill: guardColor, stroke: guardColor, paths: uPlot.paths.bars({ size: [0.36, 70], align: 1 }), points: { show: false } });
      data.push(after);
    }
    new uPlot(
      {
        width: width,
        height: height,
        legend: { live: false },
        cursor: { show: false },
        scales: { x: { time: false, range: [-0.6, rows.length - 0.4] }, y: { range: [0, Math.min(100, Math.ceil(top * 1.25))] } },
        axes: [
          { splits: function () { return xs; }, values: function (u, splits) { return splits.map(function (i) { return rows[i] ? groupLabels[rows[i].group] : ""; }); }, grid: { show: false } },
          { label: "% of suggestions", values: function (u, splits) { return splits.map(function (v) { return v + "%"; }); } },
        ],
        series: series,
        hooks: { draw: [labelBars] },
      },
      data,
      target,
    );
  }

  // Writes each bar's value above it, so the chart reads without hovering.
  function labelBars(u) {
    var ctx = u.ctx;
    ctx.save();
    ctx.font = Math.round(12 * devicePixelRatio) + "px sans-serif";
    ctx.fillStyle = "#222";
    ctx.textAlign = "center";
    var shown = u.series.length - 1;
    for (var s = 1; s < u.series.length; s++) {
      var values = u.data[s];
      for (var i = 0; i < values.length; i++) {
        if (values[i] === null) continue;
        var offset = shown === 1 ? 0 : (s === 1 ? -1 : 1) * 0.18;
        var x = u.valToPos(u.data[0][i] + offset, "x", true);
        var y = u.valToPos(values[i], "y", true) - 6 * devicePixelRatio;
        ctx.fillText(values[i] + "%", x, y);
      }
    }
    ctx.restore();
  }

  report.surfaces.forEach(function (surface) {
    var reach = document.getElementById("reach-" + surface);
    var exposure = document.getElementById("exposure-" + surface);
    if (reach) reachChart(surface, reach);
    if (exposure) exposureChart(surface, exposure);
  });
  document.documentElement.setAttribute("data-charts", "drawn");
})();
