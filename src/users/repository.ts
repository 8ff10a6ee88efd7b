import type { Kysely, Transaction } from "kysely";
import type { UserTables } from "./tables.js";

type Db = Kysely<UserTables> | Transaction<UserTables>;
export type UserRow = UserTables["users"];
export type SessionRow = UserTables["sessions"];

/** All SQL for console users and their sessions. */
export function createUserRepository(db: Kysely<UserTables>) {
  return {
    transaction<T>(fn: (trx: Transaction<UserTables>) => Promise<T>): Promise<T> {
      return db.transaction().execute(fn);
    },

    async findUser(idOrUsername: string, trx: Db = db): Promise<UserRow | undefined> {
      return trx
        .selectFrom("users")
        .selectAll()
        .where((eb) => eb.or([eb("id", "=", idOrUsername), eb("username", "=", idOrUsername)]))
        .executeTakeFirst();
    },

    async findByUsername(username: string): Promise<UserRow | undefined> {
      return db.selectFrom("users").selectAll().where("username", "=", username).executeTakeFirst();
    },

    async listUsers(): Promise<UserRow[]> {
      return db.selectFrom("users").selectAll().orderBy("username").execute();
    },

    async insertUser(trx: Db, row: UserRow): Promise<void> {
      await trx.insertInto("users").values(row).execute();
    },

    async updateUser(trx: Db, id: string, changes: Partial<Pick<UserRow, "role" | "password_hash" | "disabled_at" | "updated_at">>): Promise<void> {
      await trx.updateTable("users").set(changes).where("id", "=", id).execute();
    },

    /** Active admins other than `exceptId`: the guard against locking everyone out. */
    async countOtherActiveAdmins(trx: Db, exceptId: string): Promise<number> {
      const row = await trx
        .selectFrom("users")
        .select((eb) => eb.fn.countAll<string | number>().as("n"))
        .where("role", "=", "admin")
        .where("disabled_at", "is", null)
        .where("id", "!=", exceptId)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async insertSession(trx: Db, row: SessionRow): Promise<void> {
      await trx.insertInto("sessions").values(row).execute();
    },

    /** The session and its user, in one read. */
    async findSession(id: string): Promise<{ session: SessionRow; user: UserRow } | undefined> {
      const row = await db
        .selectFrom("sessions")
        .innerJoin("users", "users.id", "sessions.user_id")
        .select([
          "sessions.id as session_id",
          "sessions.user_id",
          "sessions.created_at as session_created_at",
          "sessions.expires_at",
          "sessions.last_seen_at",
          "users.username",
          "users.password_hash",
          "users.role",
          "users.created_at",
          "users.updated_at",
          "users.disabled_at",
        ])
        .where("sessions.id", "=", id)
        .executeTakeFirst();
      if (!row) return undefined;
      return {
        session: { id: row.session_id, user_id: row.user_id, created_at: row.session_created_at, expires_at: row.expires_at, last_seen_at: row.last_seen_at },
        user: {
          id: row.user_id,
          username: row.username,
          password_hash: row.password_hash,
          role: row.role,
          created_at: row.created_at,
          updated_at: row.updated_at,
          disabled_at: row.disabled_at,
        },
      };
    },

    async touchSession(id: string, lastSeenAt: string): Promise<void> {
      await db.updateTable("sessions").set({ last_seen_at: lastSeenAt }).where("id", "=", id).execute();
    },

    /** Deletes one session; returns its user id, or undefined when there was none. */
    async deleteSession(trx: Db, id: string): Promise<string | undefined> {
      const row = await trx.deleteFrom("sessions").where("id", "=", id).returning("user_id").executeTakeFirst();
      return row?.user_id;
    },

    async deleteUserSessions(trx: Db, userId: string): Promise<number> {
      const result = await trx.deleteFrom("sessions").where("user_id", "=", userId).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    /** Housekeeping: sessions past their absolute end (ISO-8601 text compares in time order). */
    async deleteExpiredSessions(trx: Db, now: string): Promise<void> {
      await trx.deleteFrom("sessions").where("expires_at", "<=", now).execute();
    },
  };
}
export type UserRepository = ReturnType<typeof createUserRepository>;
