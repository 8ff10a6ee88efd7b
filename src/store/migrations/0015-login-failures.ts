import type { Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  // Failed console logins (src/users/login-limiter.ts), one row per failure, so that every process serving
  // the console counts the same failures: a limit kept in memory allowed N times the attempts with N
  // processes. The key is a SHA-256 of what is limited (address and username), never the address itself.
  await db.schema
    .createTable("login_failures")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("scope", "text", (c) => c.notNull())
    .addColumn("key_hash", "text", (c) => c.notNull())
    // Epoch milliseconds.
    .addColumn("failed_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("login_failures_key").on("login_failures").columns(["scope", "key_hash", "failed_at"]).execute();
  await db.schema.createIndex("login_failures_age").on("login_failures").columns(["scope", "failed_at"]).execute();
}
