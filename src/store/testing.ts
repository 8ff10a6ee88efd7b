// Test support: run a suite once per dialect, each test on a database of its own.
// PostgreSQL is found through LAPWING_TEST_POSTGRES_URL (default: the local
// server these machines run); when it is unreachable the PostgreSQL half is
// skipped with a message saying so, never silently.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { openStore, type DialectName, type Store } from "./database.js";
import { migrateToLatest } from "./migrate.js";

export const testPostgresUrl =
  process.env.LAPWING_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

let reachable: Promise<string | null> | undefined;

/** Resolves to null when PostgreSQL answers, else to the reason it does not. */
export function postgresUnavailable(): Promise<string | null> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: testPostgresUrl, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query("select 1");
      return null;
    } catch (error) {
      return `PostgreSQL not reachable at ${testPostgresUrl} (${(error as Error).message}); set LAPWING_TEST_POSTGRES_URL`;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return reachable;
}

/** Null when `dialect` can be tested here, else why not (PostgreSQL unreachable). */
export async function dialectUnavailable(dialect: DialectName): Promise<string | null> {
  return dialect === "postgres" ? postgresUnavailable() : null;
}

export interface TestDatabase {
  readonly url: string;
  readonly dialect: DialectName;
  drop(): Promise<void>;
}

/** Creates an empty database (a temp SQLite file, or a fresh PostgreSQL database). */
export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "lapwing-test-"));
    return {
      url: `sqlite:${join(dir, "test.sqlite")}`,
      dialect,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `lapwing_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(testPostgresUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    dialect,
    drop: async () => {
      const client = new pg.Client({ connectionString: testPostgresUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

export const dialects: DialectName[] = ["sqlite", "postgres"];

/**
 * Opens a migrated store on a fresh database of the given dialect, runs `fn`,
 * and drops the database. Returns false (after calling `skip`) when the
 * dialect is not available here.
 */
export async function withStore(
  dialect: DialectName,
  skip: (reason: string) => void,
  fn: (store: Store, database: TestDatabase) => Promise<void>,
): Promise<boolean> {
  const reason = await dialectUnavailable(dialect);
  if (reason) {
    skip(reason);
    return false;
  }
  const database = await createTestDatabase(dialect);
  const store = await openStore(database.url);
  try {
    await migrateToLatest(store.db);
    await fn(store, database);
  } finally {
    await store.close();
    await database.drop();
  }
  return true;
}
