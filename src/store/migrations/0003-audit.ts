import { PostgresAdapter, sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  // The audit trail: one row per recorded act, chained by SHA-256 (src/audit/chain.ts).
  // `position` comes from the global `seq` counter inside the writing transaction:
  // the counter's row lock serialises writers, so the chain stays linear on
  // PostgreSQL with many processes. Positions increase but have gaps (other
  // writers use `seq` too); a deleted row shows as a broken prev_hash link.
  await db.schema
    .createTable("audit_log")
    .addColumn("position", "bigint", (c) => c.primaryKey())
    .addColumn("id", "text", (c) => c.notNull().unique())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("target_type", "text")
    .addColumn("target_id", "text")
    .addColumn("details", "text", (c) => c.notNull())
    .addColumn("prev_hash", "text", (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("audit_log_action").on("audit_log").columns(["action", "position"]).execute();
  await db.schema.createIndex("audit_log_actor").on("audit_log").columns(["actor", "position"]).execute();

  // Append-only at the database too: the service has no update or delete, and
  // these triggers refuse them from anyone else. They stop accidents and careless
  // scripts, not an attacker who can drop them; the hash chain is what detects that.
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`
      create or replace function audit_log_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_log is append-only: % refused', tg_op;
      end
      $$
    `.execute(db);
    await sql`create trigger audit_log_no_change before update or delete on audit_log for each row execute function audit_log_append_only()`.execute(db);
    await sql`create trigger audit_log_no_truncate before truncate on audit_log for each statement execute function audit_log_append_only()`.execute(db);
  } else {
    await sql`create trigger audit_log_no_update before update on audit_log begin select raise(abort, 'audit_log is append-only: UPDATE refused'); end`.execute(db);
    await sql`create trigger audit_log_no_delete before delete on audit_log begin select raise(abort, 'audit_log is append-only: DELETE refused'); end`.execute(db);
  }
}
