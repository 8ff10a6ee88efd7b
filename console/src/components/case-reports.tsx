import { useState } from "react";
import { caseReports, getReport, reportXmlUrl, retryReport } from "../api/reports";
import type { ReportDetail, ReportSummary } from "../api/types";
import { errorText } from "../admin/api";
import { ConfirmDialog } from "./dialog";
import { useAsync } from "./use-async";

/** A report's state as a badge: failed ones stand out, finished ones are quiet. */
export function ReportStateBadge({ state }: { state: ReportSummary["state"] }) {
  const kind = state === "failed" || state === "account_details_failed" ? "urgent" : state === "finished" ? "low" : "normal";
  return (
    <span className={`badge ${kind}`} data-testid="report-state">
      {state.replace(/_/g, " ")}
    </span>
  );
}

/** The last error with NCMEC's (or Lapwing's) code and the hint of what to do, as the API words it. */
export function ReportError({ report }: { report: ReportSummary }) {
  if (!report.lastError) return null;
  return (
    <p className="banner error small" data-testid="report-error">
      {report.lastError}
      {report.lastErrorCode ? ` (${report.lastErrorCode})` : ""}
      {report.hint && (
        <>
          <br />
          <strong>What to do:</strong> <span data-testid="report-hint">{report.hint}</span>
        </>
      )}
    </p>
  );
}

/** Something a reviewer should know that is not an error: a lost submit answer, and what NCMEC does with what it may have opened. */
export function ReportNotice({ report }: { report: ReportSummary }) {
  if (!report.notice) return null;
  return (
    <p className="banner info small" data-testid="report-notice">
      {report.notice}
    </p>
  );
}

/**
 * The CyberTipline reports of a case, each with its files and the way out of
 * a failure. Only mounted for the roles that may read reports: the server
 * refuses the others, and a moderator must not even ask.
 */
export function CaseReports({ caseId }: { caseId: string }) {
  // The case's list has no files; each report's detail has them.
  const loaded = useAsync(async () => Promise.all((await caseReports(caseId)).map((r) => getReport(r.id))), [caseId]);
  const [retrying, setRetrying] = useState<ReportDetail | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: "info" | "error"; text: string } | null>(null);
  const reports = loaded.value ?? [];

  const retry = async (report: ReportDetail) => {
    setBusy(true);
    try {
      const after = await retryReport(report.id);
      setMessage({ kind: "info", text: `Report ${report.id} is ${after.state.replace(/_/g, " ")}: the worker sends it again.` });
    } catch (error) {
      setMessage({ kind: "error", text: errorText(error) });
    } finally {
      setBusy(false);
      setRetrying(null);
      loaded.reload();
    }
  };

  return (
    <section className="panel" aria-labelledby="reports-title" data-testid="case-reports">
      <h2 id="reports-title">CyberTipline reports</h2>
      {message && (
        <p className={`banner ${message.kind}`} role={message.kind === "error" ? "alert" : "status"} data-testid="report-message">
          {message.text}
        </p>
      )}
      {loaded.status === "error" && <p className="banner error">{errorText(loaded.error)}</p>}
      {loaded.status === "loading" && !loaded.value && <p className="muted small">Loading the reports…</p>}
      {loaded.value && reports.length === 0 && <p className="muted small">No report for this case.</p>}
      {reports.map((r) => (
        <div key={r.id} className="decision" data-testid="case-report" data-report-id={r.id}>
          <h3>
            <ReportStateBadge state={r.state} /> {r.category}{" "}
            <span className="muted small">
              {r.environment} · NCMEC report {r.ncmecReportId ? <code data-testid="ncmec-report-id">{r.ncmecReportId}</code> : "not opened yet"} · {r.progress}
              {r.attempts > 0 ? ` · ${r.attempts} failed attempt${r.attempts === 1 ? "" : "s"}` : ""}
              {r.restarts > 0 ? ` · restarted ${r.restarts}×` : ""}
            </span>
          </h3>
          <ReportError report={r} />
          <ReportNotice report={r} />
          {r.files.length > 0 ? (
            <table className="small" data-testid="report-files">
              <thead>
                <tr>
                  <th className="num">#</th>
                  <th>File</th>
                  <th>State</th>
                  <th>NCMEC file id</th>
                </tr>
              </thead>
              <tbody>
                {r.files.map((f) => (
                  <tr key={f.position}>
                    <td className="num">{f.position}</td>
                    <td>{f.fileName}</td>
                    <td>{f.state}</td>
                    <td>{f.ncmecFileId ? <code>{f.ncmecFileId}</code> : "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted small">No file goes with this report.</p>
          )}
          {r.abandonedNcmecReportIds.length > 0 && <p className="muted small">Retracted or expired NCMEC reports: {r.abandonedNcmecReportIds.join(", ")}</p>}
          <p className="small">
            <a href={reportXmlUrl(r.id)} target="_blank" rel="noreferrer">
              The report's XML
            </a>
            {r.state === "failed" && (
              <>
                {" "}
                <button type="button" className="danger" onClick={() => setRetrying(r)} disabled={busy} data-testid="report-retry">
                  Retry…
                </button>
              </>
            )}
          </p>
        </div>
      ))}
      {retrying && (
        <ConfirmDialog title="Send this report again?" confirmLabel="Retry" danger busy={busy} onConfirm={() => void retry(retrying)} onCancel={() => setRetrying(null)}>
          <p>
            A failed report starts again from scratch: Lapwing fetches the account details again and opens a new report with NCMEC
            {retrying.ncmecReportId ? ` (report ${retrying.ncmecReportId} is left behind)` : ""}.
          </p>
          {retrying.hint && <p className="muted small">Did you act on the hint first? {retrying.hint}</p>}
        </ConfirmDialog>
      )}
    </section>
  );
}
