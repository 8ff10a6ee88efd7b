import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  // The evidence vault (src/evidence/). One row per preserved item; its
  // ciphertext lives in the storage backend under `storage_key`. Everything in
  // `aad` order is authenticated with the bytes (AES-GCM additional data) and
  // covered by `integrity`, so a changed column or object is detected on read.
  // `key_id` and `wrapped_key` change on a master-key rotation, nothing else does.
  await db.schema
    .createTable("evidence_items")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("case_id", "text", (c) => c.notNull())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("content_id", "text")
    .addColumn("target_type", "text")
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("mime_type", "text", (c) => c.notNull())
    .addColumn("byte_size", "bigint", (c) => c.notNull())
    .addColumn("md5", "text", (c) => c.notNull())
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("pdq", "text")
    .addColumn("pdq_quality", "integer")
    .addColumn("captured_at", "text", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("source_url", "text")
    .addColumn("event_id", "text")
    .addColumn("trigger", "text", (c) => c.notNull())
    .addColumn("published_at", "text")
    .addColumn("storage_key", "text", (c) => c.notNull())
    .addColumn("iv", "text", (c) => c.notNull())
    .addColumn("tag", "text", (c) => c.notNull())
    .addColumn("key_id", "text", (c) => c.notNull())
    .addColumn("wrapped_key", "text", (c) => c.notNull())
    .addColumn("integrity", "text", (c) => c.notNull())
    .execute();
  await sql`create index evidence_items_case on evidence_items (case_id, captured_at)`.execute(db);
  // One copy of a file per case: the same bytes preserved twice (a policy, then a confirmation) are one item.
  await sql`create unique index evidence_items_case_sha on evidence_items (case_id, kind, sha256)`.execute(db);
  await sql`create index evidence_items_key on evidence_items (key_id)`.execute(db);

  // Retention per case: unset until the case is reported (or dismissed).
  await db.schema
    .createTable("evidence_cases")
    .addColumn("case_id", "text", (c) => c.primaryKey())
    .addColumn("reported_at", "text")
    .addColumn("jurisdiction", "text")
    .addColumn("retain_until", "text")
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  // Legal holds; `history` is a JSON array of every change (set, extend, release).
  await db.schema
    .createTable("evidence_holds")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("case_id", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("set_by", "text", (c) => c.notNull())
    .addColumn("set_at", "text", (c) => c.notNull())
    .addColumn("until", "text")
    .addColumn("released_at", "text")
    .addColumn("released_by", "text")
    .addColumn("release_reason", "text")
    .addColumn("history", "text", (c) => c.notNull())
    .execute();
  await sql`create index evidence_holds_case on evidence_holds (case_id)`.execute(db);

  // Content the platform is asked to upload (`content.preserve`), answered on the preservation endpoint.
  await db.schema
    .createTable("evidence_requests")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("case_id", "text", (c) => c.notNull())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("target_type", "text", (c) => c.notNull())
    .addColumn("target_id", "text", (c) => c.notNull())
    .addColumn("expected_sha256", "text")
    .addColumn("event_id", "text")
    .addColumn("trigger", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("requested_at", "text", (c) => c.notNull())
    .addColumn("received_at", "text")
    .addColumn("item_id", "text")
    .execute();
  await sql`create unique index evidence_requests_target on evidence_requests (case_id, target_type, target_id)`.execute(db);

  // Safeguarding (src/cases): the victim the report names and its annotations, JSON, set by a safeguard decision.
  await db.schema.alterTable("cases").addColumn("victim", "text").execute();
  await db.schema.alterTable("cases").addColumn("annotations", "text").execute();
}
