import { call, setCsrfToken } from "./http";
import type { Session, WhoAmI } from "./types";

export async function logIn(username: string, password: string): Promise<Session> {
  const session = await call<Session>("login", { body: { username, password }, quiet401: true });
  setCsrfToken(session.csrfToken);
  return session;
}

/** The current console session, or null when there is none (no cookie, expired). */
export async function currentSession(): Promise<Session | null> {
  try {
    const me = await call<WhoAmI>("whoAmI", { quiet401: true });
    if (!me.user || !me.csrfToken || !me.expiresAt) return null;
    setCsrfToken(me.csrfToken);
    return { user: me.user, csrfToken: me.csrfToken, expiresAt: me.expiresAt };
  } catch {
    return null;
  }
}

export async function logOut(): Promise<void> {
  try {
    await call<null>("logout", { quiet401: true });
  } finally {
    setCsrfToken(null);
  }
}
