import { useState } from "react";
import { call } from "../api/http";
import { useAsync } from "../components/use-async";
import type { ScreenProps } from "../routes";
import { useSession } from "../session";
import { errorText, uploadBankFile, type Bank, type BankEntry } from "./api";
import { AdminTabs } from "./tabs";

/** Hash banks: create one, import a CSV file with progress (atomic: all rows or none), search a bank's entries. */
export default function Banks(_props: ScreenProps) {
  const { session } = useSession();
  const banks = useAsync(() => call<{ banks: Bank[] }>("listBanks"), []);
  const [name, setName] = useState("");
  const [verdict, setVerdict] = useState("review");
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<"lapwing" | "threatexchange">("lapwing");
  const [importBank, setImportBank] = useState("");
  const [sent, setSent] = useState<number | null>(null);
  const [selected, setSelected] = useState<string>("");
  const [search, setSearch] = useState({ signal: "", category: "", text: "" });
  const [entries, setEntries] = useState<BankEntry[] | null>(null);

  const create = async () => {
    try {
      await call("createBank", { body: { name, matchVerdict: verdict } });
      setMessage({ kind: "ok", text: `Bank "${name}" created.` });
      setName("");
      banks.reload();
    } catch (error) {
      setMessage({ kind: "error", text: errorText(error) });
    }
  };
  const upload = async () => {
    if (!file) return;
    setSent(0);
    try {
      const result = await uploadBankFile(file, { csrfToken: session.csrfToken, format, bank: importBank || undefined, onProgress: setSent });
      setMessage({ kind: "ok", text: `Imported: ${result.rowsRead} rows read, ${result.added} added, ${result.duplicates} duplicates, ${result.skipped} skipped${result.banksCreated.length ? `; banks created: ${result.banksCreated.join(", ")}` : ""}.` });
      banks.reload();
    } catch (error) {
      setMessage({ kind: "error", text: `Nothing was imported: ${errorText(error)}` });
    } finally {
      setSent(null);
    }
  };
  const find = async () => {
    try {
      const page = await call<{ entries: BankEntry[] }>("bankEntries", { params: { bank: selected }, query: { ...search, limit: 100 } });
      setEntries(page.entries);
    } catch (error) {
      setMessage({ kind: "error", text: errorText(error) });
    }
  };

  return (
    <section aria-labelledby="banks-title">
      <AdminTabs />
      <h1 id="banks-title">Hash banks</h1>
      {message && <p className={message.kind === "ok" ? "ok-note" : "problem"} role="status" data-testid="banks-message">{message.text}</p>}
      <div className="grid2">
        <div className="panel">
          <table data-testid="banks">
            <thead>
              <tr>
                <th>Bank</th>
                <th>Verdict</th>
                <th className="num">PDQ threshold</th>
                <th className="num">Entries</th>
                <th>Enabled</th>
              </tr>
            </thead>
            <tbody>
              {(banks.value?.banks ?? []).map((b) => (
                <tr key={b.id} className={`clickable${selected === b.name ? " selected" : ""}`} onClick={() => setSelected(b.name)}>
                  <td>{b.name}</td>
                  <td>{b.matchVerdict}</td>
                  <td className="num">{b.pdqThreshold}</td>
                  <td className="num">{b.entryCount}</td>
                  <td>{b.enabled ? "yes" : "no"}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Search entries</h2>
          <div className="toolbar">
            <label>
              Bank
              <select value={selected} onChange={(e) => setSelected(e.target.value)} data-testid="entries-bank">
                <option value="">choose…</option>
                {(banks.value?.banks ?? []).map((b) => (
                  <option key={b.id}>{b.name}</option>
                ))}
              </select>
            </label>
            <label>
              Hash starts with
              <input value={search.signal} onChange={(e) => setSearch({ ...search, signal: e.target.value })} placeholder="hex" size={12} />
            </label>
            <label>
              Category
              <input value={search.category} onChange={(e) => setSearch({ ...search, category: e.target.value })} size={10} />
            </label>
            <label>
              Note or source
              <input value={search.text} onChange={(e) => setSearch({ ...search, text: e.target.value })} size={14} />
            </label>
            <button type="button" onClick={() => void find()} disabled={!selected}>
              Search
            </button>
          </div>
          {entries && (
            <table data-testid="bank-entries">
              <thead>
                <tr>
                  <th>Type</th>
                  <th>Hash</th>
                  <th>Category</th>
                  <th>Note</th>
                  <th>Added</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => (
                  <tr key={e.id}>
                    <td>{e.signalType}</td>
                    <td>
                      <code>{e.signal.slice(0, 16)}…</code>
                    </td>
                    <td>{e.category}</td>
                    <td>{e.note}</td>
                    <td className="small">{new Date(e.addedAt).toLocaleString()}</td>
                  </tr>
                ))}
                {entries.length === 0 && (
                  <tr>
                    <td colSpan={5} className="muted">
                      No entry matches.
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          )}
        </div>
        <div>
          <div className="panel">
            <h2>New bank</h2>
            <label>
              Name
              <input value={name} onChange={(e) => setName(e.target.value)} data-testid="bank-name" />
            </label>
            <label>
              On a match
              <select value={verdict} onChange={(e) => setVerdict(e.target.value)}>
                <option value="review">review</option>
                <option value="hold">hold</option>
                <option value="block">block</option>
              </select>
            </label>
            <p>
              <button type="button" className="primary" onClick={() => void create()} disabled={!name}>
                Create
              </button>
            </p>
          </div>
          <div className="panel">
            <h2>Import a bank file</h2>
            <p className="small muted">CSV, `lapwing` or ThreatExchange layout (docs/banks.md). Atomic: every row lands, or none.</p>
            <input type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} data-testid="bank-file" />
            <label>
              Layout
              <select value={format} onChange={(e) => setFormat(e.target.value as "lapwing" | "threatexchange")}>
                <option value="lapwing">lapwing</option>
                <option value="threatexchange">threatexchange</option>
              </select>
            </label>
            <label>
              Bank for rows that name none
              <input value={importBank} onChange={(e) => setImportBank(e.target.value)} />
            </label>
            <p>
              <button type="button" className="primary" onClick={() => void upload()} disabled={!file || sent !== null}>
                Import
              </button>
            </p>
            {sent !== null && (
              <div role="status">
                <progress className="progress" value={sent} max={1} />
                <p className="small">{sent < 1 ? `Uploading: ${Math.round(sent * 100)}%` : "Uploaded; the server is publishing the rows…"}</p>
              </div>
            )}
          </div>
        </div>
      </div>
    </section>
  );
}
