import type { Kysely } from "kysely";
import type { KnownMediaService } from "../known-media/index.js";
import { createJobQueue, runBatchWorker, type Doorbell, type WorkerLog } from "../queue/index.js";
import type { DialectName, Store } from "../store/index.js";
import type { TextCheckService } from "../text-check/index.js";
import { createMediaFetcher, parseHostList } from "./media-fetch.js";
import { createEventProcessor, type EventEnforcer } from "./processor.js";
import { createEventRepository } from "./repository.js";
import { eventQueueName, type EventJobPayload } from "./service.js";
import { processStageTimings } from "./stage-timings.js";
import type { EventTables } from "./tables.js";

/** What the worker uses from `createServices(...)`; pass the whole `services` object. */
export interface EventWorkerServices {
  store: Store;
  textCheck: Pick<TextCheckService, "check">;
  knownMedia: Pick<KnownMediaService, "checkHashes" | "checkMedia">;
  /** Decisions, cases and actions from the signals (src/enforcement). */
  enforcement?: EventEnforcer;
  /** Rung when this process accepts events, so the worker claims them at once. */
  eventsDoorbell?: Doorbell;
}

export interface EventWorkerOptions {
  /** LAPWING_MEDIA_FETCH_HOSTS: comma-separated hosts URL media may be fetched from; empty fetches nothing. */
  mediaFetchHosts?: string;
  /** Largest fetched media body (use LAPWING_MAX_UPLOAD_BYTES). */
  maxFetchBytes?: number;
  /** Most events in one batch, one transaction (LAPWING_WORKER_BATCH_SIZE); 0 or absent: by database ({@link defaultBatchSize}). */
  batchSize?: number;
  /** How long a batch that is not full waits for more events (LAPWING_WORKER_BATCH_WAIT_MS). */
  batchWaitMs?: number;
  pollMs?: number;
  log?: WorkerLog;
}

/**
 * Events in a batch unless configured. On PostgreSQL a burst's backlog drains
 * sooner in batches of 500 than of 200 (fewer commits and round trips for the
 * same events: event→action p99 1.3–1.4 s against 2.2 s, bench/README.md
 * "Issue 11, PostgreSQL burst"); on SQLite a batch holds the one write lock
 * that ingest waits for, so it stays at 200.
 */
export function defaultBatchSize(dialect: DialectName): number {
  return dialect === "postgres" ? 500 : 200;
}

/**
 * Runs the `events` queue worker in this process until `signal` aborts;
 * resolves once the batch in hand is finished. Events are processed in
 * batches (see `handleBatch` in processor.ts): one transaction per batch. Several processes may run it
 * on one PostgreSQL database: the queue shares jobs out safely.
 *
 * @example
 * const stop = new AbortController();
 * const done = startEventWorker(services, stop.signal, { mediaFetchHosts: config.mediaFetchHosts });
 * // on shutdown:
 * stop.abort();
 * await done;
 */
export function startEventWorker(services: EventWorkerServices, signal: AbortSignal, options: EventWorkerOptions = {}): Promise<void> {
  const { store } = services;
  const hosts = parseHostList(options.mediaFetchHosts ?? "");
  const processor = createEventProcessor({
    repo: createEventRepository(store.db as Kysely<EventTables>),
    textCheck: services.textCheck,
    knownMedia: services.knownMedia,
    fetcher: hosts.length > 0 ? createMediaFetcher({ allowedHosts: hosts, maxBytes: options.maxFetchBytes }) : undefined,
    enforcer: services.enforcement,
  });
  const jobs = createJobQueue(store.db, store.dialect, { native: store.native });
  // Claims and completions timed for the stage summary (src/events/stage-timings.ts).
  const timed = {
    ...jobs,
    claim: (...args: Parameters<typeof jobs.claim>) => processStageTimings.time("claim", () => jobs.claim(...args)),
    completeWithin: (...args: Parameters<typeof jobs.completeWithin>) => processStageTimings.time("complete", () => jobs.completeWithin(...args)),
  };
  return runBatchWorker<EventJobPayload>(timed, {
    queue: eventQueueName,
    handler: processor.handleBatch,
    batchSize: options.batchSize || defaultBatchSize(store.dialect),
    batchWaitMs: options.batchWaitMs ?? 5,
    pollMs: options.pollMs,
    doorbell: services.eventsDoorbell,
    // A batch takes well under a second, or longer with media to fetch (10 s a URL at most); its leases
    // are renewed while it runs, so a minute brings a crashed worker's events back soon without
    // delivering a slow batch twice.
    leaseMs: 60_000,
    log: options.log,
    signal,
  });
}
