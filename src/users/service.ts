import type { Kysely } from "kysely";
import { auditActor, type AuditLog } from "../audit/index.js";
import { LapwingError } from "../errors/index.js";
import { newId } from "../store/index.js";
import { defaultScryptCost, hashPassword, maxPasswordChars, minPasswordChars, needsRehash, verifyPassword, type ScryptCost } from "./password.js";
import type { UserRepository, UserRow } from "./repository.js";
import { isRole, roles, type Role } from "./roles.js";
import { csrfTokenFor, isSessionToken, newSessionToken, sessionIdOf } from "./session-token.js";

/** A console user as shown to callers: never the password hash. */
export interface User {
  id: string;
  username: string;
  role: Role;
  createdAt: string;
  updatedAt: string;
  disabledAt: string | null;
}

/** A successful login: `token` goes in the cookie, `csrfToken` to the console's script. */
export interface LoginResult {
  user: User;
  token: string;
  csrfToken: string;
  expiresAt: string;
}

/** A live session found from its token. */
export interface ActiveSession {
  user: User;
  /** SHA-256 of the token (the stored id), safe to log. */
  sessionId: string;
  expiresAt: string;
  csrfToken: string;
}

export interface SessionSettings {
  /** Absolute session lifetime, in minutes (default 720: a working day). */
  sessionTtlMinutes: number;
  /** A session unused this long ends, in minutes (default 60). */
  sessionIdleMinutes: number;
}

export interface UserServiceOptions {
  audit?: AuditLog;
  clock?: () => Date;
  settings?: Partial<SessionSettings>;
  /** scrypt cost for new hashes (tests may lower it; stored hashes carry their own). */
  scryptCost?: ScryptCost;
}

const usernamePattern = /^[a-z0-9][a-z0-9._@+-]{1,99}$/;
const touchEveryMs = 60_000;
const loginFailed = () => new LapwingError("LOGIN_FAILED", "The username or password is wrong.");

/**
 * Console users, their passwords (scrypt, see password.ts) and sessions.
 *
 * Login fails the same way, in about the same time, for an unknown user, a
 * wrong password and a disabled user: an unknown name is checked against a
 * dummy hash so the scrypt work is always done. Every login and failed login
 * is audited, never with the password.
 */
export function createUserService(repo: UserRepository, options: UserServiceOptions = {}) {
  const clock = options.clock ?? (() => new Date());
  const audit = options.audit;
  const cost = options.scryptCost ?? defaultScryptCost;
  const ttlMs = (options.settings?.sessionTtlMinutes ?? 720) * 60_000;
  const idleMs = (options.settings?.sessionIdleMinutes ?? 60) * 60_000;
  // Made once, in the background, so an unknown username costs the same scrypt work.
  const dummyHash = hashPassword(newSessionToken(), cost);
  dummyHash.catch(() => {});

  const record = async (trx: unknown, entry: Parameters<AuditLog["record"]>[1]) => {
    await audit?.record(trx as Kysely<unknown>, entry);
  };

  async function create(input: { username: string; password: string; role: Role }, actor: string = auditActor.system): Promise<User> {
    const username = checkUsername(input.username);
    checkRole(input.role);
    checkPassword(input.password, username);
    const now = clock().toISOString();
    const row: UserRow = {
      id: newId(clock().getTime()),
      username,
      password_hash: await hashPassword(input.password, cost),
      role: input.role,
      created_at: now,
      updated_at: now,
      disabled_at: null,
    };
    await repo.transaction(async (trx) => {
      if (await repo.findUser(username, trx)) {
        throw new LapwingError("CONFLICT", `A user named "${username}" already exists.`, { pointer: "/username" });
      }
      await repo.insertUser(trx, row);
      await record(trx, { actor, action: "user.create", target: { type: "user", id: row.id }, details: { username, role: row.role } });
    });
    return toUser(row);
  }

  async function list(): Promise<User[]> {
    return (await repo.listUsers()).map(toUser);
  }

  async function get(idOrUsername: string): Promise<User> {
    return toUser(await mustFind(idOrUsername));
  }

  async function mustFind(idOrUsername: string, trx?: Parameters<UserRepository["findUser"]>[1]): Promise<UserRow> {
    // Ids are upper case and usernames lower case, so "Alice" still finds "alice".
    const key = idOrUsername.trim();
    const row = (await repo.findUser(key, trx)) ?? (key.toLowerCase() !== key ? await repo.findUser(key.toLowerCase(), trx) : undefined);
    if (!row) throw new LapwingError("NOT_FOUND", `No user has id or username "${idOrUsername}"; \`lapwing users list\` shows them.`);
    return row;
  }

  /** Refuses a change that would leave no active admin (nobody could manage users any more). */
  async function keepAnAdmin(trx: Parameters<UserRepository["countOtherActiveAdmins"]>[0], row: UserRow, what: string): Promise<void> {
    if (row.role !== "admin" || row.disabled_at) return;
    if ((await repo.countOtherActiveAdmins(trx, row.id)) === 0) {
      throw new LapwingError("CONFLICT", `Cannot ${what} "${row.username}": it is the only active admin. Create or enable another admin first.`);
    }
  }

  async function setRole(idOrUsername: string, role: Role, actor: string = auditActor.system): Promise<User> {
    checkRole(role);
    return repo.transaction(async (trx) => {
      const row = await mustFind(idOrUsername, trx);
      if (row.role === role) return toUser(row);
      if (role !== "admin") await keepAnAdmin(trx, row, "change the role of");
      const updatedAt = clock().toISOString();
      await repo.updateUser(trx, row.id, { role, updated_at: updatedAt });
      await record(trx, { actor, action: "user.role_change", target: { type: "user", id: row.id }, details: { username: row.username, from: row.role, to: role } });
      return toUser({ ...row, role, updated_at: updatedAt });
    });
  }

  /** Disables a user and ends all their sessions at once. */
  async function disable(idOrUsername: string, actor: string = auditActor.system): Promise<User> {
    return repo.transaction(async (trx) => {
      const row = await mustFind(idOrUsername, trx);
      if (row.disabled_at) return toUser(row);
      await keepAnAdmin(trx, row, "disable");
      const now = clock().toISOString();
      await repo.updateUser(trx, row.id, { disabled_at: now, updated_at: now });
      const ended = await repo.deleteUserSessions(trx, row.id);
      await record(trx, { actor, action: "user.disable", target: { type: "user", id: row.id }, details: { username: row.username, sessionsEnded: ended } });
      return toUser({ ...row, disabled_at: now, updated_at: now });
    });
  }

  async function enable(idOrUsername: string, actor: string = auditActor.system): Promise<User> {
    return repo.transaction(async (trx) => {
      const row = await mustFind(idOrUsername, trx);
      if (!row.disabled_at) return toUser(row);
      const now = clock().toISOString();
      await repo.updateUser(trx, row.id, { disabled_at: null, updated_at: now });
      await record(trx, { actor, action: "user.enable", target: { type: "user", id: row.id }, details: { username: row.username } });
      return toUser({ ...row, disabled_at: null, updated_at: now });
    });
  }

  /**
   * Sets a new password and ends every session of the user. With
   * `currentPassword` (a user changing their own), that must match first.
   */
  async function changePassword(idOrUsername: string, newPassword: string, actor: string = auditActor.system, check: { currentPassword?: string } = {}): Promise<User> {
    const row = await mustFind(idOrUsername);
    if (check.currentPassword !== undefined && !(await verifyPassword(check.currentPassword, row.password_hash))) {
      throw new LapwingError("VALIDATION_FAILED", "The current password is wrong.", { pointer: "/currentPassword" });
    }
    checkPassword(newPassword, row.username);
    const hash = await hashPassword(newPassword, cost);
    const now = clock().toISOString();
    await repo.transaction(async (trx) => {
      await repo.updateUser(trx, row.id, { password_hash: hash, updated_at: now });
      const ended = await repo.deleteUserSessions(trx, row.id);
      await record(trx, { actor, action: "user.password_change", target: { type: "user", id: row.id }, details: { username: row.username, sessionsEnded: ended } });
    });
    return toUser({ ...row, password_hash: hash, updated_at: now });
  }

  /**
   * Checks a username and password and opens a session. Throws `LOGIN_FAILED`
   * (the same message) for every kind of failure.
   */
  async function login(username: string, password: string, context: { ip?: string } = {}): Promise<LoginResult> {
    const normalized = typeof username === "string" ? username.trim().toLowerCase() : "";
    const row = usernamePattern.test(normalized) ? await repo.findByUsername(normalized) : undefined;
    const withinLength = typeof password === "string" && password.length <= maxPasswordChars;
    // Always one scrypt verification, against the dummy hash when there is no such user.
    const matches = await verifyPassword(withinLength ? password : "", row?.password_hash ?? (await dummyHash));
    const ip = context.ip ? { ip: context.ip.slice(0, 100) } : {};
    if (!row || !matches || !withinLength || row.disabled_at) {
      const reason = !row ? "unknown_user" : row.disabled_at ? "disabled" : "wrong_password";
      // The typed name is recorded only when it is a real user: a person who types
      // their password into the username box must not find it in the audit log.
      await repo.transaction((trx) =>
        record(trx, {
          actor: row ? auditActor.user(row.id) : auditActor.system,
          action: "user.login_failed",
          ...(row ? { target: { type: "user", id: row.id } } : {}),
          details: { reason, ...(row ? { username: row.username } : {}), ...ip },
        }),
      );
      throw loginFailed();
    }
    const now = clock();
    const token = newSessionToken();
    const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
    const upgraded = needsRehash(row.password_hash, cost) ? await hashPassword(password, cost) : undefined;
    await repo.transaction(async (trx) => {
      await repo.deleteExpiredSessions(trx, now.toISOString());
      if (upgraded) await repo.updateUser(trx, row.id, { password_hash: upgraded });
      await repo.insertSession(trx, { id: sessionIdOf(token), user_id: row.id, created_at: now.toISOString(), expires_at: expiresAt, last_seen_at: now.toISOString() });
      await record(trx, { actor: auditActor.user(row.id), action: "user.login", target: { type: "user", id: row.id }, details: { username: row.username, ...ip } });
    });
    return { user: toUser(row), token, csrfToken: csrfTokenFor(token), expiresAt };
  }

  /** The live session for a cookie's token, or null (unknown, expired, idle too long, or its user disabled). */
  async function authenticate(token: string): Promise<ActiveSession | null> {
    if (!isSessionToken(token)) return null;
    const id = sessionIdOf(token);
    const found = await repo.findSession(id);
    if (!found) return null;
    const now = clock().getTime();
    const { session, user } = found;
    if (user.disabled_at || Date.parse(session.expires_at) <= now || Date.parse(session.last_seen_at) + idleMs <= now) {
      await repo.transaction((trx) => repo.deleteSession(trx, id));
      return null;
    }
    // Written at most once a minute, so a busy console does not write on every request.
    if (now - Date.parse(session.last_seen_at) > touchEveryMs) await repo.touchSession(id, new Date(now).toISOString());
    return { user: toUser(user), sessionId: id, expiresAt: session.expires_at, csrfToken: csrfTokenFor(token) };
  }

  /** Ends the session of this token; a no-op for an unknown one. */
  async function logout(token: string): Promise<void> {
    if (!isSessionToken(token)) return;
    await repo.transaction(async (trx) => {
      const userId = await repo.deleteSession(trx, sessionIdOf(token));
      if (userId) await record(trx, { actor: auditActor.user(userId), action: "user.logout", target: { type: "user", id: userId } });
    });
  }

  return { create, list, get, setRole, disable, enable, changePassword, login, authenticate, logout };
}
export type UserService = ReturnType<typeof createUserService>;

function checkUsername(value: string): string {
  const username = typeof value === "string" ? value.trim().toLowerCase() : "";
  if (!usernamePattern.test(username)) {
    throw new LapwingError("VALIDATION_FAILED", "A username is 2–100 characters: letters, digits and . _ @ + - (it is stored in lower case).", { pointer: "/username" });
  }
  return username;
}

function checkRole(role: unknown): asserts role is Role {
  if (!isRole(role)) throw new LapwingError("VALIDATION_FAILED", `The role must be one of ${roles.join(", ")}; got ${String(role)}.`, { pointer: "/role" });
}

function checkPassword(password: string, username: string): void {
  const length = typeof password === "string" ? [...password].length : 0;
  if (length < minPasswordChars || password.length > maxPasswordChars) {
    throw new LapwingError("VALIDATION_FAILED", `A password is ${minPasswordChars} to ${maxPasswordChars} characters; a passphrase of several words is easiest to remember.`, { pointer: "/password" });
  }
  if (password.trim().toLowerCase() === username) {
    throw new LapwingError("VALIDATION_FAILED", "The password must not be the username.", { pointer: "/password" });
  }
}

function toUser(row: UserRow): User {
  return { id: row.id, username: row.username, role: row.role as Role, createdAt: row.created_at, updatedAt: row.updated_at, disabledAt: row.disabled_at };
}
