import { useState, type FormEvent } from "react";
import { ApiError } from "../api/http";
import { logIn } from "../api/session";
import type { Session } from "../api/types";

export function Login({ notice, onLoggedIn }: { notice?: string; onLoggedIn(session: Session): void }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onLoggedIn(await logIn(username, password));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : "The server could not be reached; check that Lapwing is running.");
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">Lapwing review console</h1>
        {notice && <p className="banner info">{notice}</p>}
        <label>
          Username
          <input name="username" autoComplete="username" autoFocus value={username} onChange={(e) => setUsername(e.target.value)} required />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        {error && (
          <p className="banner error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Logging in…" : "Log in"}
        </button>
        <p className="muted small">Accounts are created by an admin (`lapwing users create`).</p>
      </form>
    </main>
  );
}
