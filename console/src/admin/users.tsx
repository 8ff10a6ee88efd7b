import { useState } from "react";
import { call } from "../api/http";
import { useAsync } from "../components/use-async";
import type { ScreenProps } from "../routes";
import { errorText, type ConsoleUser } from "./api";
import { AdminTabs } from "./tabs";

const roles = ["admin", "child_safety_reviewer", "moderator", "viewer"] as const;

/** Console users: create with a role, change a role, disable (ending their sessions) or re-enable. */
export default function Users(_props: ScreenProps) {
  const users = useAsync(() => call<{ users: ConsoleUser[] }>("listUsers"), []);
  const [form, setForm] = useState({ username: "", password: "", role: "moderator" });
  const [error, setError] = useState<string | null>(null);
  const act = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      setError(null);
      users.reload();
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <section aria-labelledby="users-title">
      <AdminTabs />
      <h1 id="users-title">Users and roles</h1>
      <p className="muted small">Only child-safety reviewers see child-safety cases and their media; admins run Lapwing; moderators work the rest of the queue; viewers read it.</p>
      {error && <p className="problem">{error}</p>}
      <div className="grid2">
        <table data-testid="users">
          <thead>
            <tr>
              <th>User</th>
              <th>Role</th>
              <th>State</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(users.value?.users ?? []).map((u) => (
              <tr key={u.id}>
                <td>{u.username}</td>
                <td>
                  <select value={u.role} onChange={(e) => void act(() => call("updateUser", { params: { user: u.id }, body: { role: e.target.value } }))} aria-label={`Role of ${u.username}`}>
                    {roles.map((r) => (
                      <option key={r}>{r}</option>
                    ))}
                  </select>
                </td>
                <td>{u.disabledAt ? "disabled" : "active"}</td>
                <td>
                  <button type="button" onClick={() => void act(() => call("updateUser", { params: { user: u.id }, body: { disabled: !u.disabledAt } }))}>
                    {u.disabledAt ? "Enable" : "Disable"}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="panel">
          <h2>New user</h2>
          <label>
            Username
            <input value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} />
          </label>
          <label>
            Initial password (12 characters or more)
            <input type="password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} autoComplete="new-password" />
          </label>
          <label>
            Role
            <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value })}>
              {roles.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          </label>
          <p>
            <button type="button" className="primary" disabled={!form.username || !form.password} onClick={() => void act(async () => (await call("createUser", { body: form }), setForm({ username: "", password: "", role: "moderator" })))}>
              Create
            </button>
          </p>
        </div>
      </div>
    </section>
  );
}
