import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  // What the enforcement spine knows of an account beyond its events: the age
  // band the platform last sent (src/enforcement/), so policies can safeguard minors.
  await db.schema
    .createTable("accounts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("age_band", "text")
    .addColumn("age_source", "text")
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  // One automated decision per processed event that produced any policy
  // signal (src/enforcement/): the signals, the policy-set version, what the
  // enforced policies decided and what shadow policies would have. The unique
  // event id makes a second delivery of the same event job a no-op.
  await db.schema
    .createTable("decisions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("event_id", "text", (c) => c.notNull().unique())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("policy_version", "integer", (c) => c.notNull())
    .addColumn("kinds", "text", (c) => c.notNull())
    .addColumn("review_priority", "text")
    .addColumn("decisions", "text", (c) => c.notNull())
    .addColumn("shadow", "text", (c) => c.notNull())
    .addColumn("signals", "text", (c) => c.notNull())
    .addColumn("case_id", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await sql`create index decisions_account on decisions (account_id, created_at)`.execute(db);
  await sql`create index decisions_case on decisions (case_id)`.execute(db);

  // Review cases (src/cases/): at most one undecided case per account (the
  // partial unique index), so every signal about an account lands in one place
  // and a reviewer files one report per person, not per post.
  await db.schema
    .createTable("cases")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull().check(sql`state in ('open', 'claimed', 'escalated', 'decided')`))
    .addColumn("priority_rank", "integer", (c) => c.notNull())
    .addColumn("restricted", "integer", (c) => c.notNull())
    .addColumn("report_requested", "integer", (c) => c.notNull())
    .addColumn("decision_count", "integer", (c) => c.notNull())
    .addColumn("opened_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("claimed_by", "text")
    .addColumn("claim_expires_at", "text")
    .addColumn("escalated", "integer", (c) => c.notNull())
    .addColumn("decided_at", "text")
    .addColumn("decided_by", "text")
    .addColumn("outcome", "text")
    .addColumn("outcome_category", "text")
    .addColumn("note", "text")
    .execute();
  await sql`create unique index cases_one_undecided on cases (account_id) where state <> 'decided'`.execute(db);
  await sql`create index cases_queue on cases (state, priority_rank, opened_at)`.execute(db);
  await sql`create index cases_account on cases (account_id, opened_at)`.execute(db);

  // Everything that happened to a case, in `seq` order (from the global counter).
  await db.schema
    .createTable("case_history")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("seq", "bigint", (c) => c.notNull())
    .addColumn("case_id", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("details", "text", (c) => c.notNull())
    .execute();
  await sql`create index case_history_case on case_history (case_id, seq)`.execute(db);

  // Actions for the platform (src/actions/). `seq` comes from the global
  // counter inside the writing transaction, so on PostgreSQL actions commit in
  // `seq` order and `GET /v1/actions?after=` never skips one. The unique
  // idempotency key is what makes "no action emitted twice" hold when an event
  // or a reviewer's request is handled again.
  await db.schema
    .createTable("actions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("seq", "bigint", (c) => c.notNull().unique())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("target_type", "text", (c) => c.notNull())
    .addColumn("target_id", "text", (c) => c.notNull())
    .addColumn("case_id", "text")
    .addColumn("decision_id", "text")
    .addColumn("reverses", "text")
    .addColumn("idempotency_key", "text", (c) => c.notNull().unique())
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("details", "text", (c) => c.notNull())
    .addColumn("event_received_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("delivered_at", "text")
    .execute();
  await sql`create index actions_case on actions (case_id)`.execute(db);
}
