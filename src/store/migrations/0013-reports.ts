import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  // The CyberTipline outbox (src/reports/): one report per case, committed at every step of NCMEC's flow
  // (submit → upload each file → its details → finish) so that a crash resumes exactly where it stopped.
  await db.schema
    .createTable("reports")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("case_id", "text", (c) => c.notNull().unique())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("category", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("environment", "text", (c) => c.notNull())
    .addColumn("ncmec_report_id", "text")
    // JSON: what the case says (incident type, time, annotations, escalation, victims), fixed at confirmation.
    .addColumn("facts", "text", (c) => c.notNull())
    // JSON: what the platform's account-details callback answered (null until fetched).
    .addColumn("account_details", "text")
    // The <report> document as it was (or will be) submitted.
    .addColumn("report_xml", "text")
    .addColumn("ncmec_opened_at", "text")
    .addColumn("ncmec_changed_at", "text")
    .addColumn("restarts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("retries", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_error", "text")
    .addColumn("last_error_code", "text")
    .addColumn("hint", "text")
    // JSON array of NCMEC report ids opened for this report and abandoned (retracted, or left to expire).
    .addColumn("abandoned_ids", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("finished_at", "text")
    .execute();
  await sql`create index reports_state on reports (state, created_at)`.execute(db);

  await db.schema
    .createTable("report_files")
    .addColumn("report_id", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    // The evidence vault's item id.
    .addColumn("file_ref", "text", (c) => c.notNull())
    .addColumn("file_name", "text", (c) => c.notNull())
    // JSON: the file's details (hashes, classification, annotations, ...), fixed when the report was prepared.
    .addColumn("meta", "text", (c) => c.notNull())
    // `pending`, `uploading` (sent, answer not yet recorded), `uploaded`, `details_sent`.
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("ncmec_file_id", "text")
    .addColumn("details_xml", "text")
    .addPrimaryKeyConstraint("report_files_pk", ["report_id", "position"])
    .execute();

  await db.schema
    .createTable("report_history")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("report_id", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("details", "text", (c) => c.notNull())
    .execute();
  await sql`create index report_history_report on report_history (report_id, at)`.execute(db);
}
