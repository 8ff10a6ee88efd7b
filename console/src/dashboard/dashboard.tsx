import { useState } from "react";
import { call } from "../api/http";
import { useAsync } from "../components/use-async";
import type { ScreenProps } from "../routes";
import { errorText, type PolicyHits } from "../admin/api";
import "../admin/admin.css";
import { TimeChart } from "./chart";

interface Point {
  start: string;
  count: number;
  p50Seconds: number | null;
  p99Seconds: number | null;
}
interface Dashboard {
  from: string;
  to: string;
  bucket: "hour" | "day";
  timeToAction: { automated: Point[]; reviewed: Point[] };
  backlog: Array<{ priority: string; open: number; claimed: number; escalated: number; total: number; restricted: number }>;
  decisions: { automated: Record<string, number>; reviewer: Record<string, number> };
  blockedSearches: { bySurface: Array<{ surface: string; blocked: number; suggestionsRemoved: number }>; series: Array<{ start: string; surface: string; blocked: number }> };
  policyHits: PolicyHits[];
  truncated: boolean;
}

const ranges = { "24h": { ms: 86_400_000, bucket: "hour" }, "7d": { ms: 7 * 86_400_000, bucket: "day" }, "30d": { ms: 30 * 86_400_000, bucket: "day" } } as const;
const surfaceColours: Record<string, string> = { search: "#1f4fa3", hashtag: "#b24a00", typeahead: "#7a4fb0" };

function seconds(value: number | null): string {
  if (value === null) return "–";
  return value < 120 ? `${value.toFixed(1)} s` : value < 7200 ? `${(value / 60).toFixed(1)} min` : `${(value / 3600).toFixed(1)} h`;
}

/** The trust-and-safety lead's view: how fast, how much is waiting, what was decided, what was blocked, what shadow policies would do. */
export default function DashboardScreen(_props: ScreenProps) {
  const [range, setRange] = useState<keyof typeof ranges>("7d");
  const board = useAsync(() => {
    const to = new Date();
    const from = new Date(to.getTime() - ranges[range].ms);
    return call<Dashboard>("dashboard", { query: { from: from.toISOString(), to: to.toISOString(), bucket: ranges[range].bucket } });
  }, [range]);
  const d = board.value;
  const x = (points: Array<{ start: string }>) => points.map((p) => Date.parse(p.start) / 1000);
  const surfaces = d ? [...new Set(d.blockedSearches.series.map((p) => p.surface))] : [];
  const starts = d ? d.timeToAction.automated.map((p) => p.start) : [];

  return (
    <section aria-labelledby="dashboard-title">
      <div className="toolbar">
        <h1 id="dashboard-title" style={{ margin: 0 }}>
          Dashboard
        </h1>
        <span className="spacer" />
        <label>
          Range
          <select value={range} onChange={(e) => setRange(e.target.value as keyof typeof ranges)} data-testid="dashboard-range">
            <option value="24h">last 24 hours (by hour)</option>
            <option value="7d">last 7 days (by day)</option>
            <option value="30d">last 30 days (by day)</option>
          </select>
        </label>
      </div>
      {board.status === "error" && <p className="banner error">{errorText(board.error)}</p>}
      {d?.truncated && <p className="banner warn">The range holds more rows than one answer reads; the figures cover its oldest part. Choose a shorter range.</p>}
      {!d ? (
        <p className="muted">Loading…</p>
      ) : (
        <div className="stat-grid">
          <div className="panel">
            <h2>Time to action</h2>
            <TimeChart
              testId="chart-time-to-action"
              title="Seconds from event to automated action (p50, p99)"
              x={x(d.timeToAction.automated)}
              series={[
                { label: "p50", values: d.timeToAction.automated.map((p) => p.p50Seconds), colour: "#1f4fa3" },
                { label: "p99", values: d.timeToAction.automated.map((p) => p.p99Seconds), colour: "#a32121" },
              ]}
            />
            <TimeChart
              title="Seconds from case opened to reviewer's decision (p50, p99)"
              x={x(d.timeToAction.reviewed)}
              series={[
                { label: "p50", values: d.timeToAction.reviewed.map((p) => p.p50Seconds), colour: "#1b6e3a" },
                { label: "p99", values: d.timeToAction.reviewed.map((p) => p.p99Seconds), colour: "#b24a00" },
              ]}
            />
            <p className="small muted">
              Whole range: automated {d.timeToAction.automated.reduce((n, p) => n + p.count, 0)} actions, reviewed {d.timeToAction.reviewed.reduce((n, p) => n + p.count, 0)} decisions; latest bucket
              p50 {seconds(d.timeToAction.automated.at(-1)?.p50Seconds ?? null)}, p99 {seconds(d.timeToAction.automated.at(-1)?.p99Seconds ?? null)}.
            </p>
          </div>
          <div className="panel">
            <h2>Backlog by priority (now)</h2>
            <table data-testid="backlog">
              <thead>
                <tr>
                  <th>Priority</th>
                  <th className="num">Open</th>
                  <th className="num">Claimed</th>
                  <th className="num">Escalated</th>
                  <th className="num">Total</th>
                  <th className="num">Child-safety</th>
                </tr>
              </thead>
              <tbody>
                {d.backlog.map((b) => (
                  <tr key={b.priority}>
                    <td>
                      <span className={`badge ${b.priority}`}>{b.priority}</span>
                    </td>
                    <td className="num">{b.open}</td>
                    <td className="num">{b.claimed}</td>
                    <td className="num">{b.escalated}</td>
                    <td className="num">
                      <strong>{b.total}</strong>
                    </td>
                    <td className="num">{b.restricted}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h2>Decisions</h2>
            <div className="grid2">
              <Counts title="Automated (enforced)" counts={d.decisions.automated} />
              <Counts title="Reviewers" counts={d.decisions.reviewer} />
            </div>
          </div>
          <div className="panel">
            <h2>Blocked searches</h2>
            <table data-testid="blocked-searches">
              <thead>
                <tr>
                  <th>Surface</th>
                  <th className="num">Blocked</th>
                  <th className="num">Suggestions removed</th>
                </tr>
              </thead>
              <tbody>
                {d.blockedSearches.bySurface.map((s) => (
                  <tr key={s.surface}>
                    <td>{s.surface}</td>
                    <td className="num">{s.blocked}</td>
                    <td className="num">{s.suggestionsRemoved}</td>
                  </tr>
                ))}
                {d.blockedSearches.bySurface.length === 0 && (
                  <tr>
                    <td colSpan={3} className="muted">
                      No search was blocked in this range.
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
            {surfaces.length > 0 && (
              <TimeChart
                title="Blocked searches per bucket"
                x={starts.map((s) => Date.parse(s) / 1000)}
                series={surfaces.map((surface) => ({
                  label: surface,
                  colour: surfaceColours[surface] ?? "#5d6878",
                  values: starts.map((start) => d.blockedSearches.series.find((p) => p.surface === surface && p.start === start)?.blocked ?? 0),
                }))}
              />
            )}
          </div>
          <div className="panel">
            <h2>Shadow policies</h2>
            <p className="small muted">What policies in shadow mode would have decided in this range; nothing was acted on.</p>
            <table data-testid="shadow-hits">
              <thead>
                <tr>
                  <th>Policy</th>
                  <th className="num">Hits</th>
                  <th>Would have decided</th>
                </tr>
              </thead>
              <tbody>
                {d.policyHits
                  .filter((p) => p.mode === "shadow")
                  .map((p) => (
                    <tr key={p.policyId}>
                      <td>{p.policyId}</td>
                      <td className="num">{p.hits}</td>
                      <td className="small">
                        {Object.entries(p.decisions)
                          .map(([k, n]) => `${k} ${n}`)
                          .join(", ")}
                      </td>
                    </tr>
                  ))}
                {!d.policyHits.some((p) => p.mode === "shadow") && (
                  <tr>
                    <td colSpan={3} className="muted">
                      No shadow-mode policy matched in this range.
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </section>
  );
}

function Counts({ title, counts }: { title: string; counts: Record<string, number> }) {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  return (
    <div>
      <h3>{title}</h3>
      {entries.length === 0 ? (
        <p className="muted small">None in this range.</p>
      ) : (
        <dl className="facts">
          {entries.map(([kind, n]) => (
            <div className="fact" key={kind}>
              <dt>{kind}</dt>
              <dd className="num">{n}</dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}
