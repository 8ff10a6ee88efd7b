import type { Command } from "commander";
import type { Config } from "../config/index.js";
import { LapwingError } from "../errors/index.js";
import { platformIdProblem, scopedKey } from "../events/tenancy.js";
import type { Services } from "../services.js";

// Every command module imports this one to build the command tree, which `lapwing --help` loads whole:
// the configuration schema, the services and the store are imported only when a command runs.

/** Reads the configuration with the global `--database` flag applied. */
export async function configFrom(command: Command): Promise<Config> {
  const { loadConfig } = await import("../config/index.js");
  const globals = command.optsWithGlobals<{ database?: string }>();
  return loadConfig({ overrides: { databaseUrl: globals.database } });
}

/**
 * Runs `fn` with services on a migrated store, closing the store afterwards.
 * Only commands that write pass `create`: a read-only command given a
 * mistyped SQLite path gets a clear error, not a new empty database.
 */
export async function withServices<T>(command: Command, fn: (services: Services, config: Config) => Promise<T>, options: { create?: boolean } = {}): Promise<T> {
  const config = await configFrom(command);
  const [{ createServices }, { databaseId, migrateToLatest, openStore }] = await Promise.all([import("../services.js"), import("../store/index.js")]);
  const store = await openStore(config.databaseUrl, { create: options.create ?? false, synchronous: config.sqliteSynchronous });
  try {
    await migrateToLatest(store.db);
    const services = createServices(config, store, { databaseId: await databaseId(store.db) });
    try {
      return await fn(services, config);
    } finally {
      await services.close();
    }
  } finally {
    await store.close();
  }
}

/** Prints one JSON document per line (for scripts) on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + "\n");
}

/**
 * Reads a whole-number option: digits only (no `1e20`, no `0x10`), at most 15
 * of them so the value stays exact and fits every integer column, within
 * `min`..`max` when given. Anything else is a clear usage error, not a database one.
 */
export function wholeNumber(text: string, flag: string, range: { min?: number; max?: number } = {}): number {
  const value = /^\d{1,15}$/.test(text.trim()) ? Number(text) : NaN;
  const min = range.min ?? 0;
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isInteger(value) || value < min || value > max) {
    const bounds = range.max === undefined ? `${min} or more` : `from ${min} to ${max}`;
    throw new LapwingError("VALIDATION_FAILED", `${flag} takes a whole number ${bounds}; got "${text}".`, { pointer: `/${flag.replace(/^-+/, "")}` });
  }
  return value;
}

/** The `--platform <id>` option of commands that name accounts: account ids are unique per platform (docs/tenancy.md). */
export const platformOption = ["--platform <id>", "the platform of the accounts named (default: the default platform, events sent without platform_id)"] as const;

/**
 * The scoped key (src/events/tenancy.ts) of an account named on the command line, on `--platform` when
 * given; a platform id the event field would refuse is refused here, before the database opens.
 */
export function accountKeyFrom(accountId: string, platform: string | undefined): string {
  if (platform !== undefined) {
    const problem = platformIdProblem(platform);
    if (problem) throw new LapwingError("VALIDATION_FAILED", `--platform: ${problem}; got ${JSON.stringify(platform)}.`, { pointer: "/platform" });
  }
  return scopedKey(platform, accountId);
}

/** One phrase for the banners of `serve` and `worker`: are actions sent as webhooks, and where. */
export function webhookSummary(config: Config): string {
  if (!config.webhookUrl) return "off (set LAPWING_WEBHOOK_URL and LAPWING_WEBHOOK_SECRET to send them; platforms can poll GET /v1/actions)";
  let host = config.webhookUrl;
  try {
    host = new URL(config.webhookUrl).host;
  } catch {
    // Validated by the config schema; keep the raw value if URL parsing still disagrees.
  }
  return `on, to ${host}`;
}

/** One phrase for the banners of `serve` and `worker`: is the evidence vault usable, and where does it keep objects. */
export function evidenceSummary(config: Config): string {
  if (config.evidenceMasterKey === "") return "off: no master key (set LAPWING_EVIDENCE_MASTER_KEY to `openssl rand -base64 32`; capture jobs fail, are retried, then dead-lettered)";
  return config.evidenceS3Bucket !== "" ? `on, key "${config.evidenceMasterKeyId}", S3 bucket ${config.evidenceS3Bucket}` : `on, key "${config.evidenceMasterKeyId}", local directory`;
}
