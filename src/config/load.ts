import { readFileSync } from "node:fs";
import { LapwingError } from "../errors/index.js";
import { configKeys, configSchema, environmentName, type Config, type ConfigKey } from "./schema.js";

/**
 * Builds the configuration from (lowest to highest precedence) the schema's
 * defaults, the JSON file named by `LAPWING_CONFIG`, the environment, and
 * explicit overrides (command-line flags). Every problem is reported at once
 * in one `CONFIG_INVALID` error, and the result is frozen.
 *
 * This is the only place that reads `process.env`; pass `env` in tests.
 */
export function loadConfig(
  options: { env?: NodeJS.ProcessEnv; overrides?: Partial<Record<ConfigKey, unknown>> } = {},
): Config {
  const env = options.env ?? process.env;
  const fromFile = readConfigFile(env.LAPWING_CONFIG);
  const fromEnv: Partial<Record<ConfigKey, string>> = {};
  for (const key of configKeys) {
    const value = env[environmentName(key)];
    if (value !== undefined && value !== "") fromEnv[key] = value;
  }
  const overrides = Object.fromEntries(Object.entries(options.overrides ?? {}).filter(([, v]) => v !== undefined));
  const parsed = configSchema.safeParse({ ...fromFile, ...fromEnv, ...overrides });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? "");
      const where = configKeys.includes(key as ConfigKey) ? `${key} (${environmentName(key as ConfigKey)})` : key || "config";
      return `${where}: ${issue.message}`;
    });
    throw new LapwingError("CONFIG_INVALID", `Invalid configuration:\n  ${problems.join("\n  ")}`, {
      details: problems,
    });
  }
  const together = crossFieldProblems(parsed.data);
  if (together.length > 0) throw new LapwingError("CONFIG_INVALID", `Invalid configuration:\n  ${together.join("\n  ")}`, { details: together });
  return Object.freeze(parsed.data);
}

// Settings that only make sense together; each problem names both variables.
function crossFieldProblems(config: Config): string[] {
  const problems: string[] = [];
  if (config.webhookUrl !== "" && config.webhookSecret === "") {
    problems.push("webhookSecret (LAPWING_WEBHOOK_SECRET): required when LAPWING_WEBHOOK_URL is set; generate one with `openssl rand -hex 32` and give the platform the same value.");
  }
  if (config.ncmecEnvironment === "production" && config.ncmecUrl === "") {
    problems.push("ncmecUrl (LAPWING_NCMEC_URL): required with LAPWING_NCMEC_ENVIRONMENT=production, so reports reach production only on purpose (https://report.cybertip.org/ispws).");
  }
  if (config.ncmecEnvironment === "test" && /^https?:\/\/report\.cybertip\.org(\/|$)/i.test(config.ncmecUrl)) {
    problems.push("ncmecUrl (LAPWING_NCMEC_URL): names NCMEC's production server while LAPWING_NCMEC_ENVIRONMENT is test; set LAPWING_NCMEC_ENVIRONMENT=production to report for real.");
  }
  if (config.ncmecUsername !== "" && config.ncmecReporterEmail === "") {
    problems.push("ncmecReporterEmail (LAPWING_NCMEC_REPORTER_EMAIL): required with LAPWING_NCMEC_USERNAME; every report names the person NCMEC may contact.");
  }
  if (config.evidenceS3SecretAccessKey !== "" && config.evidenceS3AccessKeyId === "") {
    problems.push("evidenceS3AccessKeyId (LAPWING_EVIDENCE_S3_ACCESS_KEY_ID): required with LAPWING_EVIDENCE_S3_SECRET_ACCESS_KEY.");
  }
  return problems;
}

function readConfigFile(path: string | undefined): Record<string, unknown> {
  if (!path) return {};
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new LapwingError("CONFIG_INVALID", `Cannot read the config file named by LAPWING_CONFIG (${path}): ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new LapwingError("CONFIG_INVALID", `The config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new LapwingError("CONFIG_INVALID", `The config file ${path} must hold a JSON object of settings.`);
  }
  const unknownKeys = Object.keys(value).filter((k) => !configKeys.includes(k as ConfigKey));
  if (unknownKeys.length > 0) {
    throw new LapwingError(
      "CONFIG_INVALID",
      `The config file ${path} has unknown settings: ${unknownKeys.join(", ")}. Known: ${configKeys.join(", ")}.`,
    );
  }
  return value as Record<string, unknown>;
}
