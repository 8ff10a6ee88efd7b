import type { Kysely } from "kysely";
import type { z } from "zod";
import { inputProblems, LapwingError } from "../errors/index.js";
import type { QueryExecutor } from "../queue/index.js";
import type { EventRepository, EventRow } from "./repository.js";
import { eventParties, maxEventBatch, platformEvent, type EventType, type PlatformEvent } from "./schema.js";
import type { EventSignal } from "./signals.js";
import { eventTexts, foldProfile, type AccountProfile, type EventText } from "./profile.js";
import { defaultPlatformId, eventKeyOf, scopedKey, splitScopedKey } from "./tenancy.js";

/** The queue processing jobs go to; the job key is the event's scoped key (tenancy.ts). */
export const eventQueueName = "events";

/**
 * What a processing job carries: the event's id and, unless it is the default platform's, its platform
 * (jobs queued before tenancy carry the id alone, which names the default platform's event).
 */
export interface EventJobPayload {
  eventId: string;
  platformId?: string;
}

/** What the event service needs from the job queue. */
export interface EventJobQueue {
  enqueueMany(trx: QueryExecutor, requests: ReadonlyArray<{ queue: string; payload: EventJobPayload; key: string }>): Promise<{ enqueued: number; duplicates: number }>;
}

/**
 * Where the social graph's edges go (src/network implements it): follows,
 * unfollows and interactions are recorded there alone, without a per-event
 * job, because a platform sends tens of millions of them; comments and reports
 * are recorded there as well as processed as events.
 */
export interface GraphEdgeSink<Edge extends { eventId: string } = { eventId: string }> {
  /** The edge an event implies, or undefined when it implies none. */
  edgeOf(event: PlatformEvent): Edge | undefined;
  /** Event types recorded as edges only. */
  readonly graphOnlyTypes: ReadonlySet<EventType>;
  /** Writes edges whose event (scoped key, tenancy.ts) is new, in the caller's transaction; returns the keys written. */
  record(trx: QueryExecutor, edges: readonly Edge[]): Promise<string[]>;
  /** The event behind a stored edge (by scoped key), for `GET /v1/events/{id}`. */
  find(eventKey: string): Promise<StoredEvent | undefined>;
}

export interface AcceptResult {
  /** Events stored for the first time, each with a processing job. */
  accepted: number;
  /** Events whose (platform, id) was already stored (or repeated in the batch): nothing changed. */
  duplicates: number;
}

/** A stored event as the API and CLI show it. */
export interface StoredEvent {
  id: string;
  type: EventType;
  platformId: string | null;
  subjectId: string | null;
  actorId: string | null;
  occurredAt: string;
  receivedAt: string;
  state: "pending" | "processed";
  processedAt: string | null;
  signals: EventSignal[] | null;
  event: PlatformEvent;
}

const maxReportedIssues = 20;

/**
 * Validates one event; throws `VALIDATION_FAILED` whose pointer is
 * `pointer` followed by the bad field (`/events/3/type`), with every issue of
 * that event in `details`.
 */
export function parseEvent(value: unknown, pointer = ""): PlatformEvent {
  const parsed = platformEvent.safeParse(value);
  if (parsed.success) return parsed.data;
  throw invalid(parsed.error.issues, pointer);
}

function invalid(issues: z.core.$ZodIssue[], prefix: string): LapwingError {
  // The event schema is strict: an unknown (perhaps misspelt) field is named, not dropped.
  const listed = inputProblems(issues.map((issue) => ({ ...issue, keys: issue.code === "unrecognized_keys" ? issue.keys : undefined })), prefix).slice(0, maxReportedIssues);
  const first = listed[0]!;
  return new LapwingError("VALIDATION_FAILED", `Invalid event at ${first.pointer || "/"}: ${first.message}. Nothing in the batch was stored.`, {
    pointer: first.pointer || "/",
    details: listed,
  });
}

/**
 * Durable, idempotent event ingestion. `accept(batch)` validates every event
 * first (one bad event refuses the whole batch, with a pointer such as
 * `/events/3/type`, and stores nothing), then in one transaction stores the
 * events whose (platform, id) is new and enqueues one processing job per new
 * event (queue `events`, key = the event's scoped key, tenancy.ts): ids are
 * unique per platform, so the same id from two platforms is two events. It
 * resolves only after the commit, so an accepted event survives a crash.
 * Sending the same batch again changes nothing and reports every event as a
 * duplicate.
 *
 * Events need not arrive in order: an update before its create, or a follow
 * of an account never seen, is simply stored.
 *
 * @example
 * const events = createEventService(createEventRepository(store.db), createJobQueue(store.db, store.dialect));
 * await events.accept([{ id: "evt-1", type: "follow", occurred_at: "2026-01-01T00:00:00Z", follower_id: "a1", followee_id: "a2" }]);
 * // → { accepted: 1, duplicates: 0 }
 */
export function createEventService(repo: EventRepository, queue: EventJobQueue, options: { clock?: () => Date; graph?: GraphEdgeSink; onAccepted?: () => void } = {}) {
  const clock = options.clock ?? (() => new Date());
  const graph = options.graph;

  async function accept(batch: readonly unknown[], pointerPrefix = "/events"): Promise<AcceptResult> {
    if (!Array.isArray(batch) || batch.length === 0) throw new LapwingError("VALIDATION_FAILED", "Send at least one event.", { pointer: pointerPrefix });
    if (batch.length > maxEventBatch) {
      throw new LapwingError("PAYLOAD_TOO_LARGE", `A batch holds at most ${maxEventBatch} events; got ${batch.length}. Split it.`, { pointer: pointerPrefix });
    }
    return acceptParsed(batch.map((value, i) => parseEvent(value, `${pointerPrefix}/${i}`)));
  }

  /**
   * Stores events already validated with {@link parseEvent} (the bulk loader
   * validates line by line to report bad lines by number), in one transaction
   * of any size the caller chooses.
   */
  async function acceptParsed(events: readonly PlatformEvent[]): Promise<AcceptResult> {
    const receivedAt = clock().toISOString();
    const seen = new Set<string>();
    const rows: EventRow[] = [];
    const edges: { eventId: string }[] = [];
    const graphOnly = new Set<string>();
    for (const event of events) {
      // The same event twice in one batch: the first wins, as it would across batches.
      const key = eventKeyOf(event);
      if (seen.has(key)) continue;
      seen.add(key);
      const edge = graph?.edgeOf(event);
      if (edge) {
        edges.push(edge);
        if (graph!.graphOnlyTypes.has(event.type)) {
          graphOnly.add(key);
          continue;
        }
      }
      const { subjectId, actorId } = eventParties(event);
      rows.push({
        id: event.id,
        type: event.type,
        platform_id: event.platform_id ?? defaultPlatformId,
        subject_id: subjectId,
        actor_id: actorId,
        // UTC, so the column sorts in time order whatever offset the platform used.
        occurred_at: utcTimestamp(event.occurred_at),
        received_at: receivedAt,
        payload: JSON.stringify(event),
        processed_at: null,
        signals: null,
      });
    }
    const inserted = await repo.transaction(async (trx) => {
      // Event rows before edges, in the order a worker's transaction takes its locks: it updates event rows, then
      // takes the global counter (cases, actions). Numbering edges from the counter first, then re-inserting an
      // event that worker is updating (a re-sent batch), would deadlock on PostgreSQL: the insert waits for the worker.
      const keys = await repo.insertNew(trx, rows);
      const recorded = graph && edges.length > 0 ? await graph.record(trx as unknown as QueryExecutor, edges) : [];
      const newGraphOnly = graphOnly.size === 0 ? 0 : recorded.filter((key) => graphOnly.has(key)).length;
      await queue.enqueueMany(
        trx as unknown as Kysely<unknown>,
        keys.map((key) => ({ queue: eventQueueName, payload: jobPayloadOf(key), key })),
      );
      return keys.length + newGraphOnly;
    });
    if (inserted > 0) options.onAccepted?.();
    return { accepted: inserted, duplicates: events.length - inserted };
  }

  /** The event a scoped key (tenancy.ts) names; `NOT_FOUND` when there is none. */
  async function get(eventKey: string): Promise<StoredEvent> {
    const row = await repo.find(eventKey);
    if (!row) {
      const edge = await graph?.find(eventKey);
      if (edge) return edge;
      throw notFound(eventKey);
    }
    return toStoredEvent(row);
  }

  /** The error for an event that is not there (or that the caller may not know is there). */
  function notFound(eventKey: string): LapwingError {
    const { platformId, id } = splitScopedKey(eventKey);
    return new LapwingError("NOT_FOUND", platformId === defaultPlatformId ? `No event has id "${id}".` : `No event has id "${id}" on platform "${platformId}".`);
  }

  /** The account's current profile, folded from its newest profile events; null when the platform sent none. */
  async function profileOf(accountId: string): Promise<AccountProfile | null> {
    const rows = await repo.profileEvents(accountId, maxProfileEvents);
    return foldProfile(accountId, rows.map((row) => ({ occurredAt: row.occurred_at, event: JSON.parse(row.payload) as PlatformEvent })));
  }

  /** The texts an event (by scoped key) carried, as the detectors read them (empty for an unknown event or one without text). */
  async function textsOf(eventKey: string): Promise<EventText[]> {
    const row = await repo.find(eventKey);
    return row ? eventTexts(JSON.parse(row.payload) as PlatformEvent) : [];
  }

  return { accept, acceptParsed, get, notFound, profileOf, textsOf };
}

export type EventService = ReturnType<typeof createEventService>;

/** A processing job's payload for the event a scoped key names. */
function jobPayloadOf(key: string): EventJobPayload {
  const { platformId, id } = splitScopedKey(key);
  return platformId === defaultPlatformId ? { eventId: id } : { eventId: id, platformId };
}

/** The scoped key of the event a processing job is for. */
export function eventKeyOfJob(job: { key: string; payload?: EventJobPayload | null }): string {
  return job.payload ? scopedKey(job.payload.platformId, job.payload.eventId) : job.key;
}

export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    id: row.id,
    type: row.type as EventType,
    // The default platform reads as null, as it did before platforms were stored as ''.
    platformId: row.platform_id === defaultPlatformId ? null : row.platform_id,
    subjectId: row.subject_id,
    actorId: row.actor_id,
    occurredAt: row.occurred_at,
    receivedAt: row.received_at,
    state: row.processed_at === null ? "pending" : "processed",
    processedAt: row.processed_at,
    signals: row.signals === null ? null : (JSON.parse(row.signals) as EventSignal[]),
    event: JSON.parse(row.payload) as PlatformEvent,
  };
}

/** Profile events folded for one account: enough for a long-lived account's renames, bounded for a hostile one. */
const maxProfileEvents = 200;

const canonicalUtc = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

/**
 * An ISO-8601 time as UTC with milliseconds (`2026-03-01T10:00:00.000Z`), so
 * stored times sort as text. The common case, already UTC, skips the Date
 * round trip that would dominate bulk ingest of small events.
 */
export function utcTimestamp(value: string): string {
  if (canonicalUtc.test(value)) return value.length === 20 ? `${value.slice(0, 19)}.000Z` : value;
  return new Date(value).toISOString();
}
