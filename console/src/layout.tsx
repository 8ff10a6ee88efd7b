import { Suspense, type ReactNode } from "react";
import { routes } from "./routes";
import { Link, useLocation, matchPath } from "./router";
import { SessionExpiry, useSession } from "./session";
import { ShortcutBar, ShortcutListener } from "./shortcuts";
import { RestrictedTimer } from "./restricted-timer";

const roleNames: Record<string, string> = { admin: "admin", child_safety_reviewer: "child-safety reviewer", moderator: "moderator", viewer: "viewer" };

/** The frame around every screen: navigation for the user's role, who is logged in, the session's end, the shortcuts. */
export function Layout({ children, onRenew }: { children: ReactNode; onRenew(): void }) {
  const { session, logOut } = useSession();
  const { pathname } = useLocation();
  const nav = routes.filter((r) => r.nav && r.roles.includes(session.user.role));
  return (
    <div className="app">
      <header className="top">
        <Link to="/" className="brand">
          Lapwing
        </Link>
        <nav aria-label="Screens">
          {nav.map((r) => (
            <Link key={r.path} to={r.path} className={matchPath(r.path, pathname) ? "current" : undefined} aria-current={matchPath(r.path, pathname) ? "page" : undefined}>
              {r.title}
            </Link>
          ))}
        </nav>
        <div className="who">
          <RestrictedTimer />
          <span data-testid="who">
            {session.user.username} <small>({roleNames[session.user.role] ?? session.user.role})</small>
          </span>
          <button type="button" onClick={() => void logOut()} data-testid="logout">
            Log out
          </button>
        </div>
      </header>
      <SessionExpiry expiresAt={session.expiresAt} onRenew={onRenew} />
      <main>
        <Suspense fallback={<p className="muted">Loading…</p>}>{children}</Suspense>
      </main>
      <ShortcutListener />
      <ShortcutBar />
    </div>
  );
}
