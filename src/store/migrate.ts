import { Migrator, sql, SqliteAdapter, type Kysely, type Migration, type MigrationProvider } from "kysely";
import { LapwingError } from "../errors/index.js";
import * as keysAndBanks from "./migrations/0001-keys-and-banks.js";
import * as lexicons from "./migrations/0002-lexicons.js";
import * as audit from "./migrations/0003-audit.js";
import * as jobs from "./migrations/0004-jobs.js";
import * as policies from "./migrations/0005-policies.js";
import * as users from "./migrations/0006-users.js";
import * as events from "./migrations/0007-events.js";
import * as enforcement from "./migrations/0008-enforcement.js";
import * as stagedImports from "./migrations/0009-staged-imports.js";
import * as network from "./migrations/0011-network.js";
import * as reports from "./migrations/0013-reports.js";
import * as evidence from "./migrations/0014-evidence.js";
import * as consoleTables from "./migrations/0012-console.js";
import * as loginFailures from "./migrations/0015-login-failures.js";
import * as caseIndustryClassification from "./migrations/0018-case-industry-classification.js";
import * as tenancy from "./migrations/0019-tenancy.js";
import * as graphSeq from "./migrations/0023-graph-seq.js";

// Listed in code, not read from a folder, so the set is fixed at build time
// and works the same under tsx, tsc output or a bundler.
const migrations: Record<string, Migration> = {
  "0001-keys-and-banks": keysAndBanks,
  "0002-lexicons": lexicons,
  "0003-audit": audit,
  "0004-jobs": jobs,
  "0005-policies": policies,
  "0006-users": users,
  "0007-events": events,
  "0008-enforcement": enforcement,
  "0009-staged-imports": stagedImports,
  "0011-network": network,
  "0013-reports": reports,
  "0014-evidence": evidence,
  "0012-console": consoleTables,
  "0015-login-failures": loginFailures,
  "0018-case-industry-classification": caseIndustryClassification,
  "0019-tenancy": tenancy,
  "0023-graph-seq": graphSeq,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Brings the schema up to date; safe to run on every start and from several processes. */
export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  return migrate(db, (migrator) => migrator.migrateToLatest());
}

/**
 * Brings the schema up to `name` and no further (the migrations sorting after it wait): how tests build a
 * database as an older release left it, to prove that a later migration keeps its data.
 */
export async function migrateUpTo(db: Kysely<unknown>, name: string): Promise<string[]> {
  if (!(name in migrations)) throw new LapwingError("CONFIG_INVALID", `No migration is named ${name}.`);
  return migrate(db, (migrator) => migrator.migrateTo(name));
}

async function migrate(db: Kysely<unknown>, run: (migrator: Migrator) => ReturnType<Migrator["migrateToLatest"]>): Promise<string[]> {
  // Migrations are independent of each other; branches that land in another order than they were written
  // (0011 was applied on development databases before 0009 existed) must not leave a database unopenable.
  const migrator = new Migrator({ db, provider, allowUnorderedMigrations: true });
  // Kysely runs SQLite migrations outside any transaction (its SQLite adapter claims no transactional DDL),
  // so each statement commits, and syncs, on its own: about 80 syncs for a new database, most of
  // `serve`'s start-up on a busy disk. SQLite does roll DDL back, so the whole run is one write transaction
  // instead: one sync, all or nothing, and a second process starting beside waits for it (busy_timeout)
  // and then finds the schema up to date. The store's one SQLite connection is not shared yet at this point.
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  if (sqlite) await sql`begin immediate`.execute(db);
  let outcome: Awaited<ReturnType<Migrator["migrateToLatest"]>>;
  try {
    outcome = await run(migrator);
  } catch (error) {
    if (sqlite) await sql`rollback`.execute(db);
    throw error;
  }
  if (sqlite) await (outcome.error ? sql`rollback` : sql`commit`).execute(db);
  const { error, results } = outcome;
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw new LapwingError("CONFIG_INVALID", `Database migration ${failed} failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
