import { z } from "zod";

/**
 * Every setting Lapwing reads, in one schema. Each key maps to an environment
 * variable (see `environmentNames`) and may also be set in a JSON config file
 * named by `LAPWING_CONFIG`. docs/configuration.md lists them; a test keeps it
 * in step with this file.
 */
export const configSchema = z.object({
  databaseUrl: z
    .string()
    .min(1)
    .default("sqlite:./data/lapwing.sqlite")
    .describe("Where Lapwing stores its data: `sqlite:PATH` (embedded default) or `postgres://user@host:port/db`."),
  host: z.string().min(1).default("127.0.0.1").describe("Address the HTTP server listens on."),
  port: z.coerce.number().int().min(0).max(65535).default(7878).describe("Port the HTTP server listens on (0 picks a free one)."),
  logLevel: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
    .default("info")
    .describe("Structured log level (pino)."),
  maxUploadBytes: z.coerce
    .number()
    .int()
    .positive()
    .default(50 * 1024 * 1024)
    .describe("Largest media upload accepted, in bytes; larger bodies get 413."),
  maxJsonBytes: z.coerce
    .number()
    .int()
    .positive()
    .default(8 * 1024 * 1024)
    .describe("Largest JSON request body accepted, in bytes."),
  maxPixels: z.coerce
    .number()
    .int()
    .positive()
    .default(40_000_000)
    .describe(
      "Largest image (width × height) decoded, read from its header before decoding; larger ones are refused as possible decompression bombs (their MD5/SHA-256 are still matched). 40 Mpx is above phone photos (12–24 Mpx) and 8K frames (33 Mpx); a decode needs about 8 bytes per pixel at its peak (docs/pdq.md).",
    ),
  mediaThreads: z.coerce
    .number()
    .int()
    .min(0)
    .max(256)
    .default(0)
    .describe("Worker threads that decode and hash media, off the event loop; 0 (the default) starts one per core (os.availableParallelism())."),
  mediaQueue: z.coerce
    .number()
    .int()
    .min(0)
    .max(10_000)
    .default(16)
    .describe(
      "Media uploads (`/v1/media/check`, `/v1/media/hash`) that may wait for a busy hashing thread; one more gets 503 `MEDIA_BUSY` with Retry-After. Event media never counts: the event worker waits for a thread instead.",
    ),
  mediaThreadMemoryMb: z.coerce
    .number()
    .int()
    .min(32)
    .max(65_536)
    .default(256)
    .describe(
      "JavaScript heap budget of each hashing thread (worker resourceLimits), in MiB; a thread that exceeds it is replaced and its image gets `MEDIA_DECODE_FAILED`. Pixel buffers are bounded by LAPWING_MAX_PIXELS.",
    ),
  mediaTimeoutMs: z.coerce
    .number()
    .int()
    .min(100)
    .max(600_000)
    .default(30_000)
    .describe("Longest one image may take to decode and hash; a slower one is stopped (its thread replaced) and gets `MEDIA_DECODE_FAILED`, its digests still matched."),
  pdqMode: z
    .enum(["full", "reference"])
    .default("full")
    .describe("PDQ hashing mode: `full` (full-size, as shared hash lists are made) or `reference` (the C++ CLI's 512×512 pre-resize)."),
  pdqQualityMin: z.coerce
    .number()
    .int()
    .min(0)
    .max(100)
    .default(50)
    .describe("PDQ hashes with quality below this are not matched (ThreatExchange's guidance: discard quality ≤ 49)."),
  changePollMs: z.coerce
    .number()
    .int()
    .min(50)
    .default(1000)
    .describe("How often a server polls the store for changes other processes made (hash banks, lexicons), in milliseconds."),
  defaultLexicon: z
    .union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")])
    .default(true)
    .describe("Use the built-in default lexicon (publicly documented terms only) beside the operator's own."),
  helpResourcesFile: z
    .string()
    .default("")
    .describe("Optional JSON file of help resources shown with a blocked search ([{audience, title, url, description}]); empty uses the defaults."),
  indexSnapshotPath: z
    .string()
    .default("")
    .describe(
      "File where the PDQ index is snapshotted for a fast cold start (written at start, after large imports, every 30 minutes when changed, and on shutdown; ignored if stale for another database or corrupt). Empty (the default) keeps it beside the SQLite file (`PATH.pdq-index`) or, on PostgreSQL, in `./data/`; `off` disables snapshots.",
    ),
  sessionTtlMinutes: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(720)
    .describe("A console session ends this many minutes after login, however active it is."),
  sessionIdleMinutes: z.coerce
    .number()
    .int()
    .min(1)
    .default(60)
    .describe("A console session unused for this many minutes ends."),
  sessionCookieSecure: z
    .enum(["auto", "always", "never"])
    .default("auto")
    .describe(
      "Mark the `lapwing_session` cookie Secure (sent over HTTPS only): `auto` when the request came over HTTPS, `always` behind a TLS-terminating proxy, `never` only for local testing over plain HTTP.",
    ),
  mediaFetchHosts: z
    .string()
    .default("")
    .superRefine((value, context) => {
      // Exact host names only: a wildcard, scheme, port or path would silently match nothing (or be read as something else).
      const bad = value
        .split(",")
        .map((h) => h.trim())
        .find((h) => h !== "" && !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?$/i.test(h));
      if (bad !== undefined) {
        context.addIssue({
          code: "custom",
          message: `${JSON.stringify(bad)} is not a host name: list exact host names separated by commas (wildcards, schemes, ports and paths are not supported), e.g. media.example.org,cdn.example.org`,
        });
      }
    })
    .describe(
      "Comma-separated host names that event media URLs may be fetched from (exact names, no wildcards); empty (the default) fetches nothing. Private and loopback addresses are refused even for a listed host.",
    ),
  mediaPreviewUrl: z
    .string()
    .default("")
    .refine((v) => v === "" || (/^https?:\/\/[^\s/?#{}]+/i.test(v) && v.includes("{contentId}")), "must be an http:// or https:// URL holding {contentId}, e.g. https://platform.example/media/{contentId}")
    .describe(
      "Where the console's media previews come from: a URL template the platform serves, with `{contentId}` standing for the platform's media (or post) id, e.g. `https://platform.example/media/{contentId}`. Lapwing keeps hashes, not media: previews are fetched on demand from the template's host alone (SSRF-guarded, no redirects, at most 10 MiB and 10 s), proxied with `cache-control: no-store` and never stored. Empty (the default): the console says no preview source is configured.",
    ),
  mediaPreviewPrivateAddresses: z
    .union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")])
    .default(false)
    .describe(
      "Let the preview host of LAPWING_MEDIA_PREVIEW_URL resolve to a private or loopback address, for a platform on the same private network as Lapwing. Only that one host is ever fetched from; leave it false when the platform is on the internet.",
    ),
  workerPollMs: z.coerce
    .number()
    .int()
    .min(10)
    .default(200)
    .describe(
      "How often an idle worker (events, webhooks) looks for new jobs, in milliseconds. Events accepted by the same process wake its worker at once; events from other processes wait up to this long.",
    ),
  workerBatchSize: z.coerce
    .number()
    .int()
    .min(0)
    .max(1000)
    .default(0)
    .describe(
      "Most events the event worker processes in one batch: their signals, decisions, cases, actions and job completions are written in one transaction. Larger batches mean fewer commits (more throughput) and a longer hold on SQLite's write lock (a larger wait for other writers, such as ingest). 0 chooses by database: 500 on PostgreSQL (behind a burst, larger batches drain the queue sooner, so actions come sooner; bench/README.md, \"Issue 11, PostgreSQL burst\"), 200 on SQLite.",
    ),
  workerBatchWaitMs: z.coerce
    .number()
    .int()
    .min(0)
    .max(1000)
    .default(5)
    .describe(
      "How long the event worker lets a batch that is not full wait for more events before processing it, in milliseconds; a batch runs when it is full or this has passed, whichever comes first. It adds at most this much to the time from event to action under light load; 0 processes whatever is due at once.",
    ),
  sqliteSynchronous: z
    .enum(["full", "normal"])
    .default("full")
    .describe(
      "SQLite's `synchronous` setting (the store always runs in WAL mode). `full` syncs the write-ahead log at every commit, so a committed transaction survives a power loss or an operating-system crash; `normal` syncs only at checkpoints: still never corrupt and durable across a crash of Lapwing itself (kill -9), but the last commits before a power loss or OS crash may be rolled back. See docs/deployment.md, \"SQLite durability\". Ignored on PostgreSQL.",
    ),
  webhookUrl: z
    .string()
    .default("")
    .refine((v) => v === "" || /^https?:\/\/[^\s]+$/i.test(v), "must be an http:// or https:// URL")
    .describe("Where actions are POSTed as signed webhooks (docs/actions.md); empty (the default) sends none and platforms poll `GET /v1/actions`."),
  webhookSecret: z
    .string()
    .default("")
    .refine((v) => v === "" || v.length >= 32, "must be at least 32 characters (for example `openssl rand -hex 32`)")
    .describe("The shared secret webhooks are signed with (HMAC-SHA256); required with LAPWING_WEBHOOK_URL, at least 32 characters. Never logged."),
  webhookTimeoutMs: z.coerce.number().int().min(100).max(120_000).default(10_000).describe("How long one webhook delivery may take before it counts as failed and is retried."),
  webhookMaxAttempts: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(12)
    .describe("Deliveries tried per action (backoff doubles from 1 s) before it goes to the dead-letter list (`GET /v1/jobs/dead?queue=webhooks`)."),
  webhookBacklog: z
    .enum(["deliver", "skip"])
    .default("deliver")
    .describe(
      "What the first process ever to deliver webhooks does with actions written before (while no process had webhook settings): `deliver` every one not yet delivered, or `skip` them (they stay in `GET /v1/actions` and can be replayed). Later processes continue from where the outbox is.",
    ),
  ncmecEnvironment: z
    .enum(["test", "production"])
    .default("test")
    .describe("Which CyberTipline environment reports go to: `test` (NCMEC's exttest, the default) or `production`, which also needs LAPWING_NCMEC_URL set explicitly (docs/reporting.md)."),
  ncmecUrl: z
    .string()
    .default("")
    .refine((v) => v === "" || /^https?:\/\/[^\s]+$/i.test(v), "must be an http:// or https:// URL")
    .describe("The CyberTipline Reporting API base URL (ending in /ispws); empty uses the test environment's (https://exttest.cybertip.org/ispws). Required, and only honoured for production, with LAPWING_NCMEC_ENVIRONMENT=production."),
  ncmecUsername: z.string().default("").describe("The CyberTipline API user name NCMEC issued (HTTP Basic); empty: reports are prepared but not sent."),
  ncmecPassword: z.string().default("").describe("The CyberTipline API password (HTTP Basic). Never logged, never in an error message."),
  ncmecTimeoutMs: z.coerce.number().int().min(1000).max(600_000).default(60_000).describe("How long one call to NCMEC (a submit, an upload, ...) may take before it counts as failed and is retried."),
  ncmecMaxAttempts: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(20)
    .describe("Tries per report step (backoff doubles from 1 s, up to an hour) before Lapwing stops retrying on its own and the report waits for a reviewer's retry."),
  ncmecReporterEmail: z.string().default("").describe("The reporting person's email address in every report (the reporter NCMEC contacts)."),
  ncmecReporterFirstName: z.string().default("").describe("The reporting person's first name in every report."),
  ncmecReporterLastName: z.string().default("").describe("The reporting person's last name in every report."),
  ncmecEspService: z.string().max(256).default("").describe("The platform's name as reports give it (incidentSummary/platform and the reported user's espService)."),
  ncmecCompanyTemplate: z.string().default("").describe("Text NCMEC adds to every report of yours: how to serve legal process, retention, an emergency contact."),
  reportsLeaseSeconds: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60 * 60)
    .default(600)
    .describe("How long a worker holds a report job; a worker killed mid-report leaves it to another worker after this long. Keep it above the slowest report (uploads included)."),
  accountDetailsUrl: z
    .string()
    .default("")
    .refine((v) => v === "" || /^https?:\/\/[^\s]+$/i.test(v), "must be an http:// or https:// URL")
    .describe("The platform's account-details callback for reports: Lapwing GETs URL?accountId=ID and expects JSON with screen name, emails and IP capture events (docs/reporting.md); empty: reports carry the account id only."),
  accountDetailsToken: z.string().default("").describe("Sent to the account-details callback as `Authorization: Bearer …`. Never logged."),
  accountDetailsTimeoutMs: z.coerce.number().int().min(100).max(120_000).default(10_000).describe("How long the account-details callback may take before the report records the failure and retries."),
  accountDetailsAllowPrivate: z
    .union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")])
    .default(false)
    .describe("Let the account-details callback be on loopback or a private network (the platform beside Lapwing). Off by default, like every fetch Lapwing makes."),
  caseClaimMinutes: z.coerce.number().int().min(1).max(24 * 60).default(30).describe("How long a reviewer's claim on a case lasts before another reviewer may take it."),
  networkSignalScore: z.coerce
    .number()
    .min(0.05)
    .max(1)
    .default(0.5)
    .describe("Network score (0..1) at which an account counts as suspected: the recommender guard removes it, and it becomes a `network-score` signal for the policies (docs/network.md)."),
  networkGuardScore: z.coerce
    .number()
    .min(0.05)
    .max(1)
    .default(0.3)
    .describe("Network score at which the recommender guard already keeps an account out of suggestions (at most LAPWING_NETWORK_SIGNAL_SCORE), if the account made a tie to the network itself or has content or ban-evasion evidence of its own: removing a suggestion costs less than opening a case (docs/recommendations.md)."),
  networkTargetedFollowers: z.coerce
    .number()
    .int()
    .min(1)
    .default(3)
    .describe("Suspected accounts following a minor that make the minor a target, surfaced for safeguarding (`network.targeted`)."),
  networkRefreshSeconds: z.coerce
    .number()
    .int()
    .min(1)
    .default(60)
    .describe("How often `serve` and `worker` bring the network graph up to date and score it again when anything changed, in seconds."),
  evidenceMasterKey: z
    .string()
    .default("")
    .describe(
      "The evidence vault's master key: 32 random bytes in base64 (`openssl rand -base64 32`); it wraps each item's data key (docs/evidence.md). Evidence work (capture, reads, export, purge) refuses to run without it. Never logged; keep a copy offline.",
    ),
  evidenceMasterKeyId: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, "1–64 letters, digits, '.', '_' or '-'")
    .default("k1")
    .describe("The id recorded with every data key wrapped by LAPWING_EVIDENCE_MASTER_KEY; give a new key a new id when rotating."),
  evidencePreviousKeys: z
    .string()
    .default("")
    .describe("Master keys being rotated away from, `id:base64` separated by commas: read only, until `lapwing evidence rotate-key` has re-wrapped every data key under the current one. Never logged."),
  evidenceDir: z
    .string()
    .default("")
    .describe("Directory of the local evidence store (encrypted objects). Empty (the default) keeps it beside the SQLite file (`PATH.evidence`) or, on PostgreSQL, in `./data/evidence`. Ignored when LAPWING_EVIDENCE_S3_BUCKET is set."),
  evidenceS3Bucket: z.string().default("").describe("Keep evidence in this S3 (or S3-compatible) bucket instead of the local directory."),
  evidenceS3Prefix: z.string().default("lapwing-evidence/").describe("Key prefix of evidence objects in the bucket."),
  evidenceS3Region: z.string().default("us-east-1").describe("The bucket's region."),
  evidenceS3Endpoint: z
    .string()
    .default("")
    .refine((v) => v === "" || /^https?:\/\/[^\s]+$/i.test(v), "must be an http:// or https:// URL")
    .describe("An S3-compatible endpoint (MinIO, Ceph, Garage, R2…); empty for AWS S3 itself."),
  evidenceS3AccessKeyId: z.string().default("").describe("Access key id for the bucket; empty uses the AWS SDK's default credential chain (environment, instance role)."),
  evidenceS3SecretAccessKey: z.string().default("").describe("Secret access key for the bucket. Never logged."),
  evidenceS3ForcePathStyle: z
    .union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")])
    .default(false)
    .describe("Use path-style bucket URLs (`endpoint/bucket/key`), which most S3-compatible servers need."),
  evidenceRetentionDays: z.coerce
    .number()
    .int()
    .min(1)
    .max(36_500)
    .default(365)
    .describe("Days evidence is kept after the case is reported (one year: the REPORT Act of 2024), unless a legal hold keeps it longer."),
  evidenceRetentionByJurisdiction: z
    .string()
    .default("")
    .refine((v) => v.split(",").every((p) => p.trim() === "" || /^[A-Za-z]{2,10}=\d{1,5}$/.test(p.trim())), "list CODE=DAYS pairs separated by commas, e.g. US=365,GB=730")
    .describe("Per-jurisdiction retention overriding LAPWING_EVIDENCE_RETENTION_DAYS: `CODE=DAYS` pairs separated by commas (e.g. `US=365,GB=730`)."),
  evidenceJurisdiction: z.string().regex(/^[A-Za-z]{2,10}$/, "a jurisdiction code such as US").default("US").describe("The jurisdiction whose retention applies when a report names none."),
  evidencePurgeMinutes: z.coerce.number().int().min(1).max(7 * 24 * 60).default(60).describe("How often `serve` and `worker` purge evidence whose retention has ended (held evidence is never purged)."),
  safeguardResourcesFile: z
    .string()
    .default("")
    .describe("Optional JSON file of help for young people by country, sent with `account.safeguard` (`{\"default\": [{title, url, description}], \"GB\": [...]}`); empty uses the built-in list (NCMEC's Take It Down and others, docs/safeguarding.md)."),
});

export type Config = Readonly<z.infer<typeof configSchema>>;
export type ConfigKey = keyof z.infer<typeof configSchema>;

/** The environment variable for each key: `maxUploadBytes` → `LAPWING_MAX_UPLOAD_BYTES`. */
export function environmentName(key: ConfigKey): string {
  return "LAPWING_" + key.replace(/[A-Z]/g, (c) => "_" + c).toUpperCase();
}

export const configKeys = Object.keys(configSchema.shape) as ConfigKey[];
