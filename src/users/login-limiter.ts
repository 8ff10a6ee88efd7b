import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import { newId } from "../store/index.js";
import type { LoginFailureTables } from "./tables.js";

/** Settings of {@link createLoginLimiter}. */
export interface LoginLimiterOptions {
  /** Names this limit in the store, so limits with different keys or counts stay apart ("user", "address"). */
  scope: string;
  /** Failed attempts allowed per key within `windowMs` (default 5). */
  maxFailures?: number;
  /** How long failures are remembered, in milliseconds (default 15 minutes). */
  windowMs?: number;
  clock?: () => number;
}

/**
 * A limiter of failed logins per key (the caller uses client IP + username),
 * kept in the store so that it holds however many processes serve the
 * console: every process counts the same failures. After `maxFailures`
 * failures within the window, `retryAfterMs` is positive until the oldest of
 * them ages out; a success clears the key. Keys are stored as SHA-256 hashes
 * (the table never holds an address or a username), and failures older than
 * the window are deleted as new ones are recorded, so the table stays small.
 *
 * Check and record are two statements: requests racing on one key (in one
 * process or several) can each pass the check before the others' failures
 * are recorded, so a burst may get a few attempts over `maxFailures`, never
 * an unbounded number.
 *
 * @example
 * const limiter = createLoginLimiter(store.db as Kysely<LoginFailureTables>, { scope: "user" });
 * if ((await limiter.retryAfterMs(key)) > 0) refuse();
 * else if (await login()) await limiter.succeeded(key); else await limiter.failed(key);
 */
export function createLoginLimiter(db: Kysely<LoginFailureTables>, options: LoginLimiterOptions) {
  const { scope } = options;
  const maxFailures = options.maxFailures ?? 5;
  const windowMs = options.windowMs ?? 15 * 60_000;
  const clock = options.clock ?? Date.now;
  const hashOf = (key: string) => createHash("sha256").update(key).digest("hex");

  return {
    /** Milliseconds until `key` may try again; 0 when it may try now. */
    async retryAfterMs(key: string): Promise<number> {
      const now = clock();
      // The newest maxFailures failures within the window; the oldest of them decides when one ages out.
      const rows = await db
        .selectFrom("login_failures")
        .select("failed_at")
        .where("scope", "=", scope)
        .where("key_hash", "=", hashOf(key))
        .where("failed_at", ">", now - windowMs)
        .orderBy("failed_at", "desc")
        .limit(maxFailures)
        .execute();
      if (rows.length < maxFailures) return 0;
      return Math.max(0, Number(rows[rows.length - 1]!.failed_at) + windowMs - now);
    },
    async failed(key: string): Promise<void> {
      const now = clock();
      await db.transaction().execute(async (trx) => {
        await trx.insertInto("login_failures").values({ id: newId(now), scope, key_hash: hashOf(key), failed_at: now }).execute();
        // Every key's aged-out failures, not only this one's: the table holds at most a window's failures.
        await trx.deleteFrom("login_failures").where("scope", "=", scope).where("failed_at", "<=", now - windowMs).execute();
      });
    },
    async succeeded(key: string): Promise<void> {
      await db.deleteFrom("login_failures").where("scope", "=", scope).where("key_hash", "=", hashOf(key)).execute();
    },
  };
}

export type LoginLimiter = ReturnType<typeof createLoginLimiter>;
