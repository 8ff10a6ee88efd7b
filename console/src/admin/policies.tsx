import { useEffect, useRef, useState } from "react";
import { call } from "../api/http";
import { useAsync } from "../components/use-async";
import type { ScreenProps } from "../routes";
import { errorText, type PolicyHits, type PolicyProblem } from "./api";
import { AdminTabs } from "./tabs";

interface ActiveSet {
  version: number;
  isBuiltIn: boolean;
  content: { version: number; policies: Array<{ id: string; mode: string; description: string }> };
}

/**
 * The policy set as text: edited whole, checked by the server
 * (POST /v1/policies/validate) and refused with its message at its line;
 * saved as a new version only when valid. Beside it, each policy's decisions
 * over the last 7 days, shadow-mode policies first: what they would have done.
 */
export default function Policies(_props: ScreenProps) {
  const active = useAsync(() => call<ActiveSet>("activePolicies"), []);
  const hits = useAsync(() => call<{ policies: PolicyHits[] }>("policyHits"), []);
  const [text, setText] = useState<string | null>(null);
  const [problem, setProblem] = useState<PolicyProblem | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (active.status === "ok" && text === null) setText(JSON.stringify(active.value.content, null, 2));
  }, [active.status]);

  const check = async (): Promise<boolean> => {
    const result = await call<{ valid: boolean; policies?: number; problems: PolicyProblem[] }>("validatePolicies", { body: { text: text ?? "" } });
    const first = result.problems[0] ?? null;
    setProblem(first);
    if (first && area.current) {
      // Put the caret on the bad value and scroll its line into view, a few lines from the top.
      area.current.focus({ preventScroll: true });
      area.current.setSelectionRange(first.offset, first.offset);
      const lineHeight = parseFloat(getComputedStyle(area.current).lineHeight) || 19.5;
      requestAnimationFrame(() => box.current && (box.current.scrollTop = Math.max(0, (first.line - 4) * lineHeight)));
    }
    setNote(result.valid ? `Valid: ${result.policies} policies.` : null);
    return result.valid;
  };

  const save = async () => {
    setBusy(true);
    try {
      if (!(await check())) return;
      const stored = await call<{ version: number }>("putPolicies", { body: JSON.parse(text ?? "") });
      setNote(`Saved as version ${stored.version}; it is active now.`);
      active.reload();
    } catch (error) {
      setNote(null);
      setProblem({ message: errorText(error), pointer: "", line: 1, column: 1, offset: 0 });
    } finally {
      setBusy(false);
    }
  };

  const lines = (text ?? "").split("\n").length;
  return (
    <section aria-labelledby="policies-title">
      <AdminTabs />
      <h1 id="policies-title">Policies</h1>
      {active.status === "error" && <p className="banner error">{errorText(active.error)}</p>}
      <div className="grid2">
        <div>
          <p className="muted small">
            Active: version {active.value?.version ?? "…"}
            {active.value?.isBuiltIn ? " (the built-in set)" : ""}. Edit the whole set; it is checked before it is stored, and a set with a problem is never stored. Format: docs/policies.md.
          </p>
          <div className="editor" ref={box}>
            <div className="gutter" aria-hidden="true">
              {Array.from({ length: lines }, (_, i) => (
                <div key={i} className={problem && problem.line === i + 1 ? "bad" : undefined}>
                  {i + 1}
                </div>
              ))}
            </div>
            <textarea
              ref={area}
              aria-label="Policy set (JSON)"
              data-testid="policy-text"
              spellCheck={false}
              rows={lines}
              value={text ?? ""}
              onChange={(e) => {
                setText(e.target.value);
                setNote(null);
              }}
            />
          </div>
          <div className="toolbar" style={{ marginTop: ".5rem" }}>
            <button type="button" onClick={() => void check().catch((e: unknown) => setNote(errorText(e)))} disabled={busy || text === null}>
              Check
            </button>
            <button type="button" className="primary" onClick={() => void save()} disabled={busy || text === null} data-testid="policy-save">
              Save as a new version
            </button>
          </div>
          {problem && (
            <div className="problem" role="alert" data-testid="policy-problem">
              <strong>
                Line {problem.line}, column {problem.column}
              </strong>
              {problem.pointer ? <code> {problem.pointer}</code> : null}: {problem.message}
            </div>
          )}
          {note && (
            <p className="ok-note" role="status" data-testid="policy-note">
              {note}
            </p>
          )}
        </div>
        <div className="panel">
          <h2>Decisions per policy, last 7 days</h2>
          <p className="muted small">Shadow-mode policies decide nothing; these are the decisions they would have made.</p>
          {hits.status === "error" && <p className="banner error">{errorText(hits.error)}</p>}
          <table data-testid="policy-hits">
            <thead>
              <tr>
                <th>Policy</th>
                <th>Mode</th>
                <th className="num">Hits</th>
                <th>Decisions</th>
              </tr>
            </thead>
            <tbody>
              {(hits.value?.policies ?? []).map((p) => (
                <tr key={`${p.mode} ${p.policyId}`}>
                  <td>{p.policyId}</td>
                  <td>{p.mode === "shadow" ? <span className="badge normal">shadow</span> : "enforce"}</td>
                  <td className="num">{p.hits}</td>
                  <td className="small">
                    {Object.entries(p.decisions)
                      .map(([k, n]) => `${k} ${n}`)
                      .join(", ")}
                  </td>
                </tr>
              ))}
              {hits.status === "ok" && hits.value.policies.length === 0 && (
                <tr>
                  <td colSpan={4} className="muted">
                    No decisions in the last 7 days.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}
