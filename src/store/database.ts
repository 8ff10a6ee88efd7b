import { existsSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDialectConfig } from "kysely";
import type pg from "pg";
import { LapwingError } from "../errors/index.js";

export type DialectName = "sqlite" | "postgres";

/**
 * SQLite's `synchronous` in WAL mode: `full` syncs the log at every commit
 * (durable across power loss); `normal` syncs at checkpoints only (never
 * corrupt, durable across a crash of the process, but the last commits may
 * roll back after a power loss or an operating-system crash).
 */
export type SqliteSynchronous = "full" | "normal";

/**
 * An open database. `db` is deliberately untyped here: each service declares
 * the tables it owns (its `tables.ts`) and receives `store.db` narrowed to them.
 */
export interface Store {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly db: Kysely<any>;
  readonly dialect: DialectName;
  /** The URL with any password removed, safe to print. */
  readonly displayUrl: string;
  /**
   * The URL it was opened with, password included, for opening the same
   * database again from another thread (network scoring): never log it.
   */
  readonly url: string;
  /**
   * The driver under kysely, for the few bulk paths where building an object
   * per row through the query builder costs more than the work itself (the
   * network edge feed): a better-sqlite3 handle or a pg pool.
   */
  readonly native: { readonly sqlite: SqliteDatabase.Database; readonly pool?: undefined } | { readonly sqlite?: undefined; readonly pool: pg.Pool };
  close(): Promise<void>;
}

/**
 * Opens `sqlite:PATH` (a file; `sqlite::memory:` for a throwaway) or
 * `postgres://…`. A missing SQLite file is created with its folder only with
 * `create` (the default; the CLI's read-only commands pass false so that a
 * mistyped path is an error, not a new empty database). Does not migrate;
 * call `migrateToLatest`. `synchronous` is SQLite's setting (LAPWING_SQLITE_SYNCHRONOUS;
 * docs/deployment.md, "SQLite durability"); PostgreSQL ignores it.
 */
export async function openStore(url: string, options: { create?: boolean; synchronous?: SqliteSynchronous } = {}): Promise<Store> {
  if (url.startsWith("sqlite:")) return openSqlite(url.slice("sqlite:".length), options.create ?? true, options.synchronous ?? "full");
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) return openPostgres(url);
  throw new LapwingError(
    "CONFIG_INVALID",
    `Unsupported database URL "${redactUrl(url)}": use sqlite:PATH (e.g. sqlite:./data/lapwing.sqlite) or postgres://user@host:5432/db.`,
  );
}

function openSqlite(path: string, create: boolean, synchronous: SqliteSynchronous): Store {
  const inMemory = path === ":memory:" || path === "";
  const file = inMemory ? ":memory:" : resolve(path);
  if (!inMemory && !create && !existsSync(file)) {
    throw new LapwingError(
      "CONFIG_INVALID",
      `There is no database at ${file}: check LAPWING_DATABASE_URL or --database, or create it with \`lapwing migrate\` (\`lapwing serve\` does too).`,
    );
  }
  if (!inMemory) mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  // WAL lets readers run beside the writer. FULL makes every commit survive a
  // crash of the process or the machine; NORMAL, of the process only (a commit
  // is in the OS's hands once written; the log is synced at checkpoints).
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma(`synchronous = ${synchronous === "normal" ? "NORMAL" : "FULL"}`);
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  reusePreparedStatements(sqlite);
  const db = new Kysely({ dialect: new ImmediateSqliteDialect({ database: sqlite }) });
  return {
    db,
    dialect: "sqlite",
    displayUrl: `sqlite:${file}`,
    url: inMemory ? "sqlite::memory:" : `sqlite:${file}`,
    native: { sqlite },
    close: () => db.destroy(),
  };
}

/** Distinct statements kept prepared per SQLite connection (the same SQL text is prepared once). */
const preparedStatementCache = 500;

/**
 * Kysely's SQLite driver prepares every query afresh; preparing cost as much
 * as running the statement for the event worker's small queries (about a
 * tenth of its CPU time, bench/README.md). Statements are reused by SQL text,
 * least recently used dropped first. better-sqlite3 runs a statement
 * synchronously to the end (kysely reads rows with `all`, not an iterator), so
 * one statement object is never in use twice at once.
 */
function reusePreparedStatements(sqlite: SqliteDatabase.Database): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, SqliteDatabase.Statement>();
  sqlite.prepare = ((source: string, ...internal: unknown[]) => {
    // better-sqlite3's own helpers (pragma) pass extra arguments: leave those alone.
    if (internal.length > 0) return (prepare as (...args: unknown[]) => SqliteDatabase.Statement)(source, ...internal);
    let statement = cache.get(source);
    if (statement) {
      cache.delete(source);
    } else {
      statement = prepare(source);
      if (cache.size >= preparedStatementCache) cache.delete(cache.keys().next().value!);
    }
    cache.set(source, statement);
    return statement;
  }) as typeof sqlite.prepare;
}

/**
 * SQLite transactions begin IMMEDIATE: they take the write lock at once and,
 * when another process holds it, wait up to `busy_timeout`. A plain (deferred)
 * BEGIN that reads and then writes fails at once with "database is locked" if
 * another process wrote in between, which busy_timeout cannot help; Lapwing's
 * transactions all write, so nothing is lost by locking early.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  readonly #settings: SqliteDialectConfig;

  constructor(settings: SqliteDialectConfig) {
    super(settings);
    this.#settings = settings;
  }

  override createDriver(): Driver {
    return new (class extends SqliteDriver {
      override async beginTransaction(connection: DatabaseConnection): Promise<void> {
        await connection.executeQuery(CompiledQuery.raw("begin immediate"));
      }
    })(this.#settings);
  }
}

async function openPostgres(url: string): Promise<Store> {
  // Loaded here, not with the module: a SQLite deployment (and `lapwing serve`'s start) never needs the driver.
  const { default: pg } = await import("pg");
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // A client checked out of the pool has no error listener: if its server goes
  // away (a restart, pg_terminate_backend) during or after a query, the client
  // emits "error" and the process would die of an uncaught exception. The query
  // itself already fails, and the pool drops the broken client on release.
  pool.on("connect", (client) => client.on("error", () => {}));
  // Fail at start-up with a clear message rather than on the first request.
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => {});
    throw new LapwingError(
      "CONFIG_INVALID",
      `Cannot connect to PostgreSQL at ${redactUrl(url)}: ${(error as Error).message}. Check LAPWING_DATABASE_URL and that the server is running.`,
      { cause: error },
    );
  }
  // Idle clients can lose their server (a restart); log nothing secret, just don't crash.
  pool.on("error", () => {});
  const db = new Kysely({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: "postgres",
    displayUrl: redactUrl(url),
    url,
    native: { pool },
    close: () => db.destroy(),
  };
}

/** Removes the password from a database URL so it can be logged or shown. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
  }
}
