import { useState } from "react";
import { call } from "../api/http";
import { useAsync } from "../components/use-async";
import type { ScreenProps } from "../routes";
import { errorText, type ApiKey } from "./api";
import { AdminTabs } from "./tabs";

const scopes = ["check", "ingest", "admin"] as const;

/** API keys: list (never their secrets), create (the secret shown once), revoke. */
export default function Keys(_props: ScreenProps) {
  const keys = useAsync(() => call<{ keys: ApiKey[] }>("listKeys"), []);
  const [name, setName] = useState("");
  const [chosen, setChosen] = useState<string[]>(["check"]);
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const create = async () => {
    try {
      const created = await call<{ secret: string }>("createKey", { body: { name, scopes: chosen } });
      setSecret(created.secret);
      setName("");
      setError(null);
      keys.reload();
    } catch (e) {
      setError(errorText(e));
    }
  };
  const revoke = async (key: ApiKey) => {
    if (!confirm(`Revoke the key "${key.name}"? Whatever uses it stops working at once.`)) return;
    try {
      await call("revokeKey", { params: { id: key.id } });
      keys.reload();
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <section aria-labelledby="keys-title">
      <AdminTabs />
      <h1 id="keys-title">API keys</h1>
      {error && <p className="problem">{error}</p>}
      {secret && (
        <div className="banner warn" role="status">
          The new key, shown this once (Lapwing keeps only its hash): <div className="secret">{secret}</div>
        </div>
      )}
      <div className="grid2">
        <table data-testid="keys">
          <thead>
            <tr>
              <th>Name</th>
              <th>Scopes</th>
              <th>Created</th>
              <th>Last used</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(keys.value?.keys ?? []).map((k) => (
              <tr key={k.id}>
                <td>{k.name}</td>
                <td>{k.scopes.join(", ")}</td>
                <td className="small">{new Date(k.createdAt).toLocaleString()}</td>
                <td className="small">{k.lastUsedAt ? new Date(k.lastUsedAt).toLocaleString() : "never"}</td>
                <td>{k.revokedAt ? <span className="muted">revoked</span> : <button type="button" className="danger" onClick={() => void revoke(k)}>Revoke</button>}</td>
              </tr>
            ))}
            {keys.status === "ok" && keys.value.keys.length === 0 && (
              <tr>
                <td colSpan={5} className="muted">
                  No API key yet: platforms need one to send events and ask for checks.
                </td>
              </tr>
            )}
          </tbody>
        </table>
        <div className="panel">
          <h2>New key</h2>
          <label>
            Name
            <input value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <p>
            {scopes.map((s) => (
              <label key={s} className="inline">
                <input type="checkbox" checked={chosen.includes(s)} onChange={(e) => setChosen(e.target.checked ? [...chosen, s] : chosen.filter((c) => c !== s))} /> {s}
              </label>
            ))}
          </p>
          <button type="button" className="primary" onClick={() => void create()} disabled={!name || chosen.length === 0}>
            Create
          </button>
        </div>
      </div>
    </section>
  );
}
