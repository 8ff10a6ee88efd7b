import { createContext, useContext, useEffect, useState } from "react";
import type { Session } from "./api/types";

export interface SessionState {
  session: Session;
  logOut(): Promise<void>;
}

export const SessionContext = createContext<SessionState | null>(null);

/** The logged-in session; only screens inside the layout use it, where one always exists. */
export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error("useSession outside a logged-in layout");
  return state;
}

/** True when the user's role is one of `roles`. */
export function useHasRole(roles: readonly string[]): boolean {
  return roles.includes(useSession().session.user.role);
}

/** The current time, ticking every `everyMs` (for countdowns). */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** "4 min 05 s", "1 h 02 min": a duration a tired reader takes in at once. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, "0")} min`;
  if (m > 0) return `${m} min ${String(s).padStart(2, "0")} s`;
  return `${s} s`;
}

/** How long before the session's end the console starts warning. */
export const expiryWarningMs = 5 * 60_000;

/** The banner that warns before the session ends, counting down, with a way to log in again first. */
export function SessionExpiry({ expiresAt, onRenew }: { expiresAt: string; onRenew(): void }) {
  const now = useNow();
  const leftMs = Date.parse(expiresAt) - now;
  if (leftMs > expiryWarningMs) return null;
  return (
    <div className="banner warn" role="alert" data-testid="session-expiry">
      {leftMs > 0 ? (
        <>
          Your session ends in <strong>{formatDuration(leftMs)}</strong> (at {new Date(expiresAt).toLocaleTimeString()}). Finish the case in hand, then{" "}
          <button type="button" onClick={onRenew}>
            log in again
          </button>
          .
        </>
      ) : (
        <>Your session has ended. <button type="button" onClick={onRenew}>Log in again</button></>
      )}
    </div>
  );
}
