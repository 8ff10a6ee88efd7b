import { useEffect, useState } from "react";
import { onSessionEnded } from "./api/http";
import { currentSession, logOut } from "./api/session";
import type { Session } from "./api/types";
import { Layout } from "./layout";
import { Login } from "./screens/login";
import { resetRestrictedWork } from "./restricted-timer";
import { findRoute } from "./routes";
import { useLocation } from "./router";
import { SessionContext } from "./session";

type State = { kind: "loading" } | { kind: "out"; notice?: string } | { kind: "in"; session: Session };

export function App() {
  const [state, setState] = useState<State>({ kind: "loading" });
  const { pathname } = useLocation();

  useEffect(() => {
    void currentSession().then((session) => setState(session ? { kind: "in", session } : { kind: "out" }));
    return onSessionEnded(() => setState({ kind: "out", notice: "Your session has ended. Log in again to go on where you were." }));
  }, []);

  const found = findRoute(pathname);
  useEffect(() => {
    document.title = found ? `${found.route.title} · Lapwing` : "Lapwing";
  }, [found?.route.title]);

  if (state.kind === "loading") return <p className="muted center">Loading…</p>;
  if (state.kind === "out")
    return (
      <Login
        notice={state.notice}
        onLoggedIn={(session) => {
          resetRestrictedWork();
          setState({ kind: "in", session });
        }}
      />
    );

  const { session } = state;
  const value = {
    session,
    async logOut() {
      await logOut();
      resetRestrictedWork();
      setState({ kind: "out", notice: "You are logged out." });
    },
  };
  const allowed = found && found.route.roles.includes(session.user.role);
  const Screen = found?.route.screen;
  return (
    <SessionContext.Provider value={value}>
      <Layout onRenew={() => void value.logOut()}>
        {!found || !Screen ? (
          <section className="empty" data-testid="not-found">
            <h1>No such screen</h1>
            <p>Nothing lives at {pathname}. Go back to the queue.</p>
          </section>
        ) : !allowed ? (
          <section className="empty" data-testid="forbidden">
            <h1>Not for your role</h1>
            <p>The {found.route.title.toLowerCase()} screen is open to {found.route.roles.join(", ")}.</p>
          </section>
        ) : (
          <Screen key={pathname} params={found.params} />
        )}
      </Layout>
    </SessionContext.Provider>
  );
}
