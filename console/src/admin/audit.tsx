import { useState } from "react";
import { call } from "../api/http";
import { useAsync } from "../components/use-async";
import type { ScreenProps } from "../routes";
import { errorText, type AuditEntryView } from "./api";
import { AdminTabs } from "./tabs";

/** The audit log with filters (action, actor), and whether its hash chain verifies. */
export default function Audit(_props: ScreenProps) {
  const [filter, setFilter] = useState({ action: "", actor: "" });
  const [applied, setApplied] = useState(filter);
  const [after, setAfter] = useState<number | undefined>(undefined);
  const entries = useAsync(() => call<{ entries: AuditEntryView[] }>("auditList", { query: { ...applied, after, limit: 100 } }), [applied, after]);
  const verify = useAsync(() => call<{ ok: boolean; checked: number; head: string | null; firstBadPosition?: number; problem?: string }>("auditVerify"), []);
  const list = entries.value?.entries ?? [];
  return (
    <section aria-labelledby="audit-title">
      <AdminTabs />
      <h1 id="audit-title">Audit log</h1>
      <p data-testid="audit-verify">
        Chain:{" "}
        {verify.status === "loading" ? (
          "checking…"
        ) : verify.status === "error" ? (
          <span className="verify-bad">{errorText(verify.error)}</span>
        ) : verify.value.ok ? (
          <span className="verify-ok">verified ({verify.value.checked} entries; head {verify.value.head?.slice(0, 24)}…)</span>
        ) : (
          <span className="verify-bad">
            broken at position {verify.value.firstBadPosition}: {verify.value.problem}
          </span>
        )}{" "}
        <button type="button" className="link" onClick={verify.reload}>
          check again
        </button>
      </p>
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          setAfter(undefined);
          setApplied(filter);
        }}
      >
        <label>
          Action
          <input value={filter.action} onChange={(e) => setFilter({ ...filter, action: e.target.value })} placeholder="media.reveal" />
        </label>
        <label>
          Actor
          <input value={filter.actor} onChange={(e) => setFilter({ ...filter, actor: e.target.value })} placeholder="user:…" />
        </label>
        <button type="submit">Filter</button>
      </form>
      <table data-testid="audit-entries">
        <thead>
          <tr>
            <th className="num">#</th>
            <th>When</th>
            <th>Who</th>
            <th>What</th>
            <th>About</th>
            <th>Details</th>
          </tr>
        </thead>
        <tbody>
          {list.map((e) => (
            <tr key={e.position}>
              <td className="num">{e.position}</td>
              <td className="small">{new Date(e.at).toLocaleString()}</td>
              <td className="small">{e.actor}</td>
              <td>{e.action}</td>
              <td className="small">{e.redacted ? <span className="badge restricted">child-safety</span> : e.target ? `${e.target.type} ${e.target.id}` : ""}</td>
              <td className="small">
                <code>{e.redacted ? "" : JSON.stringify(e.details)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.length === 100 && (
        <p>
          <button type="button" onClick={() => setAfter(list[list.length - 1]!.position)}>
            Next 100
          </button>
        </p>
      )}
    </section>
  );
}
