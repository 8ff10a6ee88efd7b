import { useEffect, useState, type ReactNode } from "react";
import { call } from "../api/http";
import { useAsync } from "../components/use-async";
import type { ScreenProps } from "../routes";
import { errorText, type LexiconEntry, type LexiconInfo, type TextHitView, type TryOutReport } from "./api";
import { AdminTabs } from "./tabs";

/**
 * Lexicons: edit one as JSON entries, test a text against it live as you
 * type, see what the change would match on ordinary sample texts (and texts
 * you paste) before storing it.
 */
export default function Lexicons(_props: ScreenProps) {
  const list = useAsync(() => call<{ lexicons: LexiconInfo[] }>("listLexicons"), []);
  const [name, setName] = useState("");
  const [draft, setDraft] = useState("");
  // The lexicon's names allow-list is not edited here, but kept: storing the entries must not drop it.
  const [names, setNames] = useState<string[] | undefined>(undefined);
  const [sample, setSample] = useState("");
  const [text, setText] = useState("");
  const [hits, setHits] = useState<TextHitView[]>([]);
  const [report, setReport] = useState<TryOutReport | null>(null);
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);

  useEffect(() => {
    if (!name) return;
    setNames(undefined);
    void call<{ entries: LexiconEntry[]; names?: string[] }>("getLexicon", { params: { name } }).then(
      (l) => {
        setDraft(JSON.stringify(l.entries, null, 2));
        setNames(l.names);
      },
      (error: unknown) => setMessage({ kind: "error", text: errorText(error) }),
    );
    setReport(null);
  }, [name]);

  const entries = (): unknown[] | null => {
    try {
      const parsed = JSON.parse(draft);
      return Array.isArray(parsed) ? parsed : null;
    } catch {
      return null;
    }
  };

  // Live: every edit of the text or the draft tests again, against the draft's entries.
  useEffect(() => {
    const draftEntries = entries();
    if (!text || !draftEntries) return setHits([]);
    const timer = setTimeout(() => {
      void call<{ hits: TextHitView[] }>("testLexicon", { body: { text, entries: draftEntries, names } }).then(
        (r) => setHits(r.hits),
        () => setHits([]),
      );
    }, 200);
    return () => clearTimeout(timer);
  }, [text, draft, names]);

  const tryIt = async () => {
    const draftEntries = entries();
    if (!draftEntries) return setMessage({ kind: "error", text: "The entries are not a JSON array." });
    try {
      setReport(await call<TryOutReport>("tryLexicon", { params: { name }, body: { entries: draftEntries, names, texts: sample.split("\n").filter((l) => l.trim()) } }));
      setMessage(null);
    } catch (error) {
      setMessage({ kind: "error", text: errorText(error) });
    }
  };
  const store = async () => {
    try {
      const stored = await call<{ entryCount: number }>("putLexicon", { params: { name }, body: { entries: entries() ?? [], names } });
      setMessage({ kind: "ok", text: `Stored "${name}" with ${stored.entryCount} entries; every server uses it within a second.` });
      list.reload();
    } catch (error) {
      setMessage({ kind: "error", text: errorText(error) });
    }
  };

  return (
    <section aria-labelledby="lexicons-title">
      <AdminTabs />
      <h1 id="lexicons-title">Lexicons</h1>
      {message && <p className={message.kind === "ok" ? "ok-note" : "problem"} role="status">{message.text}</p>}
      <div className="toolbar">
        <label>
          Lexicon
          <select value={name} onChange={(e) => setName(e.target.value)} data-testid="lexicon-name">
            <option value="">choose…</option>
            {(list.value?.lexicons ?? []).map((l) => (
              <option key={l.name} value={l.name}>
                {l.name} ({l.entryCount} terms{l.builtIn ? ", built in" : ""})
              </option>
            ))}
          </select>
        </label>
      </div>
      {name && (
        <div className="grid2">
          <div className="panel">
            <h2>Entries</h2>
            <textarea aria-label="Lexicon entries (JSON)" rows={16} style={{ width: "100%", fontFamily: "monospace" }} value={draft} onChange={(e) => setDraft(e.target.value)} spellCheck={false} />
            {entries() === null && <p className="problem">Not a JSON array of entries yet.</p>}
            <h2>What would this change match?</h2>
            <label>
              Your own sample texts, one per line (besides the built-in ordinary texts)
              <textarea rows={4} style={{ width: "100%" }} value={sample} onChange={(e) => setSample(e.target.value)} />
            </label>
            <div className="toolbar" style={{ marginTop: ".5rem" }}>
              <button type="button" onClick={() => void tryIt()} data-testid="lexicon-try">
                Try on the sample
              </button>
              <button type="button" className="primary" onClick={() => void store()}>
                Store
              </button>
            </div>
            {report && (
              <div data-testid="lexicon-report">
                <p>
                  Of {report.texts} texts, the change newly matches <strong>{report.newlyMatched}</strong> and no longer matches <strong>{report.noLongerMatched}</strong>.
                  {report.breadth.isTooBroad ? " Some terms are too broad to store without force:" : ""}
                </p>
                <ul>
                  {report.breadth.terms
                    .filter((t) => t.problems.length)
                    .map((t) => (
                      <li key={t.term}>
                        <code>{t.term}</code>: {t.problems.join("; ")}
                      </li>
                    ))}
                </ul>
                <table>
                  <thead>
                    <tr>
                      <th>Text</th>
                      <th>From</th>
                      <th>Before</th>
                      <th>After</th>
                    </tr>
                  </thead>
                  <tbody>
                    {report.changes.map((c, i) => (
                      <tr key={i}>
                        <td>{c.text}</td>
                        <td>{c.source}</td>
                        <td>{c.before.join(", ") || "–"}</td>
                        <td>{c.after.join(", ") || "–"}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </div>
          <div className="panel">
            <h2>Test a text (live, against the entries on the left)</h2>
            <textarea aria-label="Text to test" rows={4} style={{ width: "100%" }} value={text} onChange={(e) => setText(e.target.value)} data-testid="lexicon-text" />
            <p className="quote" data-testid="lexicon-highlight">
              {highlight(text, hits)}
            </p>
            <ul data-testid="lexicon-hits">
              {hits.map((h, i) => (
                <li key={i}>
                  <code>{h.term}</code> ({h.category}, {h.severity}) matched “{h.matched}” {h.how !== "exact" ? `(${h.how})` : ""}
                </li>
              ))}
              {text && hits.length === 0 && <li className="muted">No term matches.</li>}
            </ul>
          </div>
        </div>
      )}
    </section>
  );
}

/** The text with each hit's span marked, in the original characters. */
function highlight(text: string, hits: readonly TextHitView[]) {
  const parts: ReactNode[] = [];
  let at = 0;
  for (const [i, h] of [...hits].sort((a, b) => a.start - b.start).entries()) {
    if (h.start < at) continue;
    parts.push(text.slice(at, h.start), <mark key={i}>{text.slice(h.start, h.end)}</mark>);
    at = h.end;
  }
  parts.push(text.slice(at));
  return parts;
}
