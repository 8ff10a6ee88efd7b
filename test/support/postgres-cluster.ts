// A throwaway PostgreSQL cluster for tests that must stop or crash the server
// (the shared one at 127.0.0.1:5432 serves the other tests and is never
// touched). initdb into a temp folder, start on a free loopback port, and
// stop it (immediate) and remove the folder when done. PostgreSQL refuses to
// run as root, so as root the cluster runs as the `postgres` user (as in
// .ci/run); otherwise as the current user.
import { execFile, execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

export interface PostgresCluster {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  dir: string;
  /** `pg_ctl restart -m immediate`: every backend killed at once, crash recovery on start. */
  restartImmediate(): Promise<void>;
  /** `pg_ctl stop -m immediate`: the server is gone (connections refused) until `start`. */
  stopImmediate(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and removes its folder; safe to call twice. */
  destroy(): Promise<void>;
  /** The server's log, for failure messages. */
  log(): string;
}

/** The newest /usr/lib/postgresql/<version>/bin (or LAPWING_TEST_PG_BIN), or undefined. */
export function postgresBinDir(): string | undefined {
  const fromEnv = process.env.LAPWING_TEST_PG_BIN;
  if (fromEnv) return existsSync(join(fromEnv, "initdb")) ? fromEnv : undefined;
  const base = "/usr/lib/postgresql";
  let versions: string[];
  try {
    versions = readdirSync(base).filter((v) => existsSync(join(base, v, "bin", "initdb")));
  } catch {
    return undefined;
  }
  versions.sort((a, b) => Number(a) - Number(b));
  const newest = versions.at(-1);
  return newest ? join(base, newest, "bin") : undefined;
}

/** Null when a throwaway cluster can be started here, else why not. */
export function clusterUnavailable(): string | null {
  if (!postgresBinDir()) return "no PostgreSQL server binaries (/usr/lib/postgresql/*/bin or LAPWING_TEST_PG_BIN)";
  if (process.getuid?.() === 0) {
    try {
      execFileSync("id", ["postgres"], { stdio: "ignore" });
    } catch {
      return "running as root and there is no `postgres` user to run a throwaway cluster as";
    }
  }
  return null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function run(file: string, args: string[], asPostgres: boolean): Promise<string> {
  const [command, argv] = asPostgres ? ["runuser", ["-u", "postgres", "--", file, ...args]] : [file, args];
  return new Promise((resolve, reject) => {
    execFile(command, argv, { timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(" ")} failed: ${error.message}\n${stdout}\n${stderr}`));
      else resolve(stdout + stderr);
    });
  });
}

/** Starts a fresh cluster; call `destroy` in a `finally` or `t.after`. */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = postgresBinDir();
  if (!bin) throw new Error(clusterUnavailable() ?? "no PostgreSQL binaries");
  const asPostgres = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), "lapwing-pg-"));
  if (asPostgres) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, "data");
  const logFile = join(dir, "server.log");
  const port = await freePort();
  const pgCtl = join(bin, "pg_ctl");
  // Unix socket in the cluster's own folder; TCP on loopback only.
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=50`;
  let destroyed = false;
  const stopSync = () => {
    if (destroyed) return;
    destroyed = true;
    try {
      const args = ["-D", data, "-m", "immediate", "-w", "stop"];
      if (asPostgres) execFileSync("runuser", ["-u", "postgres", "--", pgCtl, ...args], { stdio: "ignore", timeout: 30_000 });
      else execFileSync(pgCtl, args, { stdio: "ignore", timeout: 30_000 });
    } catch {
      // Not running (never started, or already stopped).
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // If the test process dies without its cleanup, do not leave a server behind.
  process.once("exit", stopSync);

  const cluster: PostgresCluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    log: () => {
      try {
        return execFileSync("cat", [logFile]).toString();
      } catch {
        return "";
      }
    },
    start: async () => {
      await run(pgCtl, ["-D", data, "-o", serverOptions, "-l", logFile, "-w", "-t", "60", "start"], asPostgres);
      await waitUntilReady(cluster.url);
    },
    stopImmediate: async () => {
      await run(pgCtl, ["-D", data, "-m", "immediate", "-w", "stop"], asPostgres);
    },
    restartImmediate: async () => {
      await run(pgCtl, ["-D", data, "-m", "immediate", "-o", serverOptions, "-l", logFile, "-w", "-t", "60", "restart"], asPostgres);
      await waitUntilReady(cluster.url);
    },
    destroy: async () => {
      process.removeListener("exit", stopSync);
      stopSync();
    },
  };
  try {
    await run(join(bin, "initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"], asPostgres);
    await cluster.start();
  } catch (error) {
    await cluster.destroy();
    throw error;
  }
  return cluster;
}

async function waitUntilReady(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    client.on("error", () => {});
    try {
      await client.connect();
      await client.query("select 1");
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`PostgreSQL at ${url} did not come up: ${(error as Error).message}`);
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await client.end().catch(() => {});
    }
  }
}
