/**
 * Console users: people who log in to Lapwing's console with a username and
 * password, each with one {@link Role}. Platforms use API keys (src/auth/)
 * instead; src/server/authenticate.ts accepts either.
 *
 * ## Passwords
 *
 * scrypt from node:crypto (N = 2^15, r = 8, p = 1, a 16-byte salt per user,
 * constant-time comparison); the parameters are stored with each hash and
 * upgraded at the next login when they change. No npm package is involved.
 *
 * ## Sessions
 *
 * A session token is 256 random bits, kept only in the `lapwing_session`
 * cookie (HttpOnly, SameSite=Strict); the database holds its SHA-256. A
 * session ends at its absolute expiry, after the idle limit, at logout, when
 * the user is disabled, or when the password changes. Its CSRF token is an
 * HMAC keyed by the session token, so it is never stored.
 *
 * @example
 * const users = createUserService(createUserRepository(store.db as Kysely<UserTables>), { audit, settings: config });
 * await users.create({ username: "alice", password: "a long passphrase", role: "moderator" }, auditActor.cli);
 * const { token, csrfToken } = await users.login("alice", "a long passphrase", { ip });
 * const session = await users.authenticate(token); // null once ended
 *
 * @packageDocumentation
 */
export { createUserService, type ActiveSession, type LoginResult, type SessionSettings, type User, type UserService, type UserServiceOptions } from "./service.js";
export { createUserRepository, type UserRepository } from "./repository.js";
export { createLoginLimiter, type LoginLimiter, type LoginLimiterOptions } from "./login-limiter.js";
export { csrfMatches } from "./session-token.js";
export { hashPassword, verifyPassword, maxPasswordChars, minPasswordChars, type ScryptCost } from "./password.js";
export { isRole, mayViewChildSafetyCases, roles, type Role } from "./roles.js";
export type { UserTables, LoginFailureTables } from "./tables.js";
