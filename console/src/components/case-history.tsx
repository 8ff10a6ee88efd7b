import type { CaseDetail } from "../api/types";
import { actorName } from "./badges";

/** What Lapwing asked the platform to do for this case, and everything that happened to the case. */
export function CaseHistory({ detail, myId }: { detail: CaseDetail; myId: string }) {
  return (
    <section className="panel" aria-labelledby="history-title">
      <h2 id="history-title">Actions and history</h2>
      {detail.actions.length === 0 ? (
        <p className="muted small">No action was sent to the platform.</p>
      ) : (
        <table className="small" data-testid="case-actions">
          <thead>
            <tr>
              <th>Action</th>
              <th>Target</th>
              <th>Why</th>
              <th>Delivered</th>
            </tr>
          </thead>
          <tbody>
            {detail.actions.map((a) => (
              <tr key={a.id}>
                <td>
                  {a.kind}
                  {a.reverses && <span className="muted"> (reverses an earlier one)</span>}
                </td>
                <td>
                  {a.target.type} {a.target.id}
                </td>
                <td>{a.reason}</td>
                <td>{a.deliveredAt ? new Date(a.deliveredAt).toLocaleTimeString() : <span className="muted">not yet</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>History</h3>
      <ol className="small history">
        {detail.history.map((h, i) => (
          <li key={i}>
            <time dateTime={h.at}>{new Date(h.at).toLocaleString()}</time> · {actorName(h.actor, myId)} · {h.kind}
            {typeof h.details.reason === "string" && <span className="muted"> · {h.details.reason}</span>}
            {typeof h.details.note === "string" && <span className="muted"> · note: {h.details.note}</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}
