import type { Kysely } from "kysely";
import type { KnownMediaService } from "../known-media/index.js";
import { createJobQueue, runJobWorker, type WorkerLog } from "../queue/index.js";
import type { Store } from "../store/index.js";
import type { TextCheckService } from "../text-check/index.js";
import { createMediaFetcher, parseHostList } from "./media-fetch.js";
import { createEventProcessor, type EventEnforcer } from "./processor.js";
import { createEventRepository } from "./repository.js";
import { eventQueueName } from "./service.js";
import { processStageTimings } from "./stage-timings.js";
import type { EventTables } from "./tables.js";

/** What the worker uses from `createServices(...)`; pass the whole `services` object. */
export interface EventWorkerServices {
  store: Store;
  textCheck: Pick<TextCheckService, "check">;
  knownMedia: Pick<KnownMediaService, "checkHashes" | "checkMedia">;
  /** Decisions, cases and actions from the signals (src/enforcement). */
  enforcement?: EventEnforcer;
}

export interface EventWorkerOptions {
  /** LAPWING_MEDIA_FETCH_HOSTS: comma-separated hosts URL media may be fetched from; empty fetches nothing. */
  mediaFetchHosts?: string;
  /** Largest fetched media body (use LAPWING_MAX_UPLOAD_BYTES). */
  maxFetchBytes?: number;
  concurrency?: number;
  pollMs?: number;
  log?: WorkerLog;
}

/**
 * Runs the `events` queue worker in this process until `signal` aborts;
 * resolves once the jobs in hand are finished. Several processes may run it
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
  const jobs = createJobQueue(store.db, store.dialect);
  // Claims and completions timed for the stage summary (src/events/stage-timings.ts).
  const timed = {
    claim: (...args: Parameters<typeof jobs.claim>) => processStageTimings.time("claim", () => jobs.claim(...args)),
    complete: (...args: Parameters<typeof jobs.complete>) => processStageTimings.time("complete", () => jobs.complete(...args)),
    fail: jobs.fail,
    release: jobs.release,
  };
  return runJobWorker<{ eventId: string }>(timed, {
    queue: eventQueueName,
    handler: processor.handleJob,
    concurrency: options.concurrency ?? 4,
    pollMs: options.pollMs,
    // An event takes well under a second, or up to the 10 s media-fetch limit; a minute's lease
    // brings a crashed worker's events back soon without re-running slow ones that are still going.
    leaseMs: 60_000,
    log: options.log,
    signal,
  });
}
