import { listReports } from "../api/reports";
import { reportStates, type ReportState } from "../api/types";
import { formatAge } from "../components/badges";
import { ReportError, ReportNotice, ReportStateBadge } from "../components/case-reports";
import { useAsync } from "../components/use-async";
import type { ScreenProps } from "../routes";
import { Link, navigate, useLocation } from "../router";
import { errorText } from "../admin/api";

const pageSize = 200;

/** Every CyberTipline report, newest first, filtered by state (`?state=failed`), each linking to its case. */
export default function Reports(_props: ScreenProps) {
  const { search } = useLocation();
  const state = search.get("state") ?? "";
  const states = (reportStates as readonly string[]).includes(state) ? [state as ReportState] : [];
  const loaded = useAsync(() => listReports(states, { limit: pageSize }), [state]);
  const reports = loaded.value ?? [];
  const now = Date.now();
  return (
    <section aria-labelledby="reports-list-title">
      <header className="toolbar">
        <h1 id="reports-list-title">CyberTipline reports</h1>
        <label>
          State
          <select value={state} onChange={(e) => navigate(e.target.value ? `/reports?state=${e.target.value}` : "/reports", { replace: true })} data-testid="report-state-filter">
            <option value="">any</option>
            {reportStates.map((s) => (
              <option key={s} value={s}>
                {s.replace(/_/g, " ")}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={loaded.reload}>
          Refresh
        </button>
      </header>
      {loaded.status === "error" && <p className="banner error">{errorText(loaded.error)}</p>}
      {loaded.value && reports.length === 0 && <p className="muted" data-testid="reports-empty">No report{state ? ` is ${state.replace(/_/g, " ")}` : " yet"}.</p>}
      {reports.length > 0 && (
        <table data-testid="reports">
          <thead>
            <tr>
              <th>State</th>
              <th>Case</th>
              <th>Category</th>
              <th>NCMEC report</th>
              <th>Progress</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody>
            {reports.map((r) => (
              <tr key={r.id} data-testid="report-row" data-report-id={r.id}>
                <td>
                  <ReportStateBadge state={r.state} />
                </td>
                <td>
                  <Link to={`/cases/${encodeURIComponent(r.caseId)}`}>
                    <code>{r.accountId}</code>
                  </Link>
                  {r.platformId !== undefined && <span className="muted small"> on {r.platformId}</span>}
                </td>
                <td>{r.category}</td>
                <td>{r.ncmecReportId ? <code>{r.ncmecReportId}</code> : <span className="muted">—</span>}</td>
                <td className="small">
                  {r.progress}
                  <ReportError report={r} />
                  <ReportNotice report={r} />
                </td>
                <td className="small">{formatAge(Math.max(0, Math.round((now - Date.parse(r.updatedAt)) / 1000)))} ago</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {reports.length === pageSize && <p className="muted small">The newest {pageSize} are shown; filter by state to find older ones.</p>}
    </section>
  );
}
