import type { Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  // The industry classification (A1, A2, B1, B2) a reviewer may give with a confirm decision; the case's
  // CyberTipline report puts it in each file's details (docs/reporting.md). Null when none was given.
  await db.schema.alterTable("cases").addColumn("industry_classification", "text").execute();
}
