import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

// A session token is 256 random bits (base64url, 43 characters), sent only in
// the HttpOnly cookie. The database keeps its SHA-256 (the session id), so a
// copy of the database cannot be replayed as a login. SHA-256 suffices because
// the token is random, not chosen by a person.
const tokenPattern = /^[A-Za-z0-9_-]{43}$/;

export function newSessionToken(): string {
  return randomBytes(32).toString("base64url");
}

export function isSessionToken(value: string): boolean {
  return tokenPattern.test(value);
}

/** The stored id of a session: SHA-256 (hex) of its token. */
export function sessionIdOf(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * The session's CSRF token, derived from the session token (HMAC-SHA256 keyed
 * by it), so nothing more is stored and a reload can ask for it again. Knowing
 * it reveals nothing of the cookie; another site can neither read the cookie
 * nor this value (same-origin policy), so it cannot forge the header.
 */
export function csrfTokenFor(token: string): string {
  return createHmac("sha256", token).update("lapwing csrf v1").digest("base64url");
}

/** Constant-time check of a presented `x-csrf-token` against the session's. */
export function csrfMatches(token: string, presented: string | undefined): boolean {
  if (!presented) return false;
  const expected = Buffer.from(csrfTokenFor(token));
  const actual = Buffer.from(presented);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
