import { LapwingError } from "../errors/index.js";
import { noPdqNote, type CheckedHashes, type CheckResult, type KnownMediaService, type MediaCheckResult } from "../known-media/index.js";
import type { ContentKind } from "../lexicons/index.js";
import { digestMedia } from "../media/index.js";
import type { Transaction } from "kysely";
import type { BatchContext, BatchResult, Job, JobContext, QueryExecutor } from "../queue/index.js";
import type { TextCheckService } from "../text-check/index.js";
import type { MediaFetcher } from "./media-fetch.js";
import type { EventRepository, EventRow } from "./repository.js";
import type { EventMedia, PlatformEvent } from "./schema.js";
import type { EventSignal } from "./signals.js";
import type { EventTables } from "./tables.js";
import { processStageTimings, type StageTimings } from "./stage-timings.js";
import { eventKeyOfJob, type EventJobPayload } from "./service.js";
import { scopedKey } from "./tenancy.js";

/** What one event's signals lead to, run in the transaction that records them. */
export interface EnforceInput {
  /** The event's scoped key (tenancy.ts): its id on the default platform, unique across platforms. */
  eventId: string;
  event: PlatformEvent;
  /** When Lapwing accepted the event (for time to action). */
  receivedAt: string;
  signals: readonly EventSignal[];
  /** Hashes of the inline media the processor computed, by field (`/post/media/0`): the evidence vault records them with the bytes. */
  mediaHashes?: ReadonlyMap<string, { md5: string; sha256: string; pdq?: string; quality?: number }>;
}

/**
 * The step after detection (src/enforcement implements it): `prepare` reads
 * what it needs outside the transaction (the active policy set),
 * `enforceMany` writes a batch's decisions, cases and actions inside it (with
 * the effect of deciding its events one at a time, in order; an outcome for
 * each input, undefined where there is none), and `afterCommit` hears what was
 * done once it is durable.
 */
export interface EventEnforcer {
  prepare(): Promise<unknown>;
  enforceMany(trx: QueryExecutor, prepared: unknown, inputs: readonly EnforceInput[]): Promise<readonly unknown[]>;
  afterCommit(outcome: unknown): void;
}

export interface EventProcessorDeps {
  repo: EventRepository;
  textCheck: Pick<TextCheckService, "check">;
  knownMedia: Pick<KnownMediaService, "checkHashes" | "checkMedia">;
  /** Fetches URL media; without one, URL media is recorded as not fetched. */
  fetcher?: MediaFetcher;
  /** Turns signals into decisions and actions; without one, only signals are stored. */
  enforcer?: EventEnforcer;
  clock?: () => Date;
  /** Where time per stage is summed (default: this process's). */
  timings?: StageTimings;
}

/** What processing one event did. */
export interface ProcessResult {
  eventId: string;
  /** False when the event was already processed (a repeated delivery) or is gone. */
  isWritten: boolean;
  signals: EventSignal[];
}

type TextField = { field: string; text: string; kind: ContentKind };
type MediaField = { field: string; media: EventMedia };

/**
 * Turns a stored event into detector signals: every text field through the
 * text check (as its content kind: bio, post, comment, display name,
 * username, hashtag), every media item through known-media matching
 * (precomputed hashes as given, inline bytes hashed here, URL media fetched
 * only from allowed hosts). Findings are stored on the event row with
 * `processed_at`, once: a second delivery of the same job finds the event
 * processed and writes nothing, so the effect is exactly once.
 *
 * Inline media bytes are replaced in the stored event by their digests (and
 * PDQ hash, when the file decoded) when the signals are written, whatever the
 * outcome, so the store never keeps possible abuse material. Media hashing
 * waits for a free thread of the media pool rather than being refused.
 *
 * @example
 * const processor = createEventProcessor({ repo, textCheck, knownMedia });
 * await processor.process("evt-1"); // → { eventId: "evt-1", isWritten: true, signals: [...] }
 */
export function createEventProcessor(deps: EventProcessorDeps) {
  const clock = deps.clock ?? (() => new Date());
  const timings = deps.timings ?? processStageTimings;

  /** An event's findings, computed outside any transaction, ready to be written. */
  interface Detected {
    eventId: string;
    row: EventRow;
    event: PlatformEvent;
    signals: EventSignal[];
    payload: string;
    /** Each media field's hashes, for evidence preserved while the event's inline bytes still exist. */
    mediaHashes: Map<string, StoredHashes>;
  }

  /** Runs the detectors over a stored event (text checks, media matching and fetching). */
  async function detect(row: EventRow): Promise<Detected> {
    const event = JSON.parse(row.payload) as PlatformEvent;
    const signals: EventSignal[] = [];
    for (const { field, text, kind } of textFields(event)) {
      const result = deps.textCheck.check(text, kind);
      if (result.verdict === "allow") continue;
      signals.push({
        kind: "text",
        field,
        contentKind: kind,
        verdict: result.verdict,
        reasons: result.reasons,
        hits: result.hits.map((h) => ({ term: h.term, category: h.category, severity: h.severity, lexicon: h.lexicon, start: h.start, end: h.end })),
        advert: { score: result.advert.score, level: result.advert.level, features: advertFeatures(result.advert.signals) },
      });
    }
    const hashed = new Map<string, StoredHashes>();
    for (const { field, media } of mediaFields(event)) {
      const signal = await checkMedia(field, media, hashed);
      if (signal) signals.push(signal);
    }
    // Without inline bytes replaced the stored payload stays as it is (serialising every event again was a tenth of detection).
    const payload = hashed.size > 0 ? JSON.stringify(withoutBytes(event, hashed)) : row.payload;
    return { eventId: scopedKey(row.platform_id, row.id), row, event, signals, payload, mediaHashes: hashed };
  }

  /**
   * Writes one event's findings in `trx`, and (unless re-processing) what the
   * enforcer decides from them; returns whether the row changed and the
   * enforcer's outcome, for after the commit.
   */
  async function write(trx: Transaction<EventTables>, found: Detected, prepared: unknown, enforcer: EventEnforcer | undefined, reprocess: boolean): Promise<{ isWritten: boolean; outcome: unknown }> {
    const { eventId, event, signals, payload, mediaHashes } = found;
    const written = await deps.repo.recordSignals(trx, eventId, { processedAt: clock().toISOString(), signals: JSON.stringify(signals), payload }, reprocess);
    if (!written || !enforcer) return { isWritten: written, outcome: undefined };
    const [outcome] = await enforcer.enforceMany(trx as unknown as QueryExecutor, prepared, [{ eventId, event, receivedAt: found.row.received_at, signals, mediaHashes }]);
    return { isWritten: true, outcome };
  }

  async function process(eventId: string, options: { reprocess?: boolean } = {}): Promise<ProcessResult> {
    const row = await deps.repo.find(eventId);
    // Events and their jobs commit together, so a job without its event means
    // the event was deleted since (retention): nothing to do.
    if (!row) return { eventId, isWritten: false, signals: [] };
    if (row.processed_at !== null && !options.reprocess) return { eventId, isWritten: false, signals: row.signals ? (JSON.parse(row.signals) as EventSignal[]) : [] };
    const found = await detect(row);
    const reprocess = options.reprocess ?? false;
    // Re-running detectors refreshes the stored signals only: what was decided and emitted stays as it was.
    const enforcer = reprocess ? undefined : deps.enforcer;
    const prepared = await enforcer?.prepare();
    const { isWritten, outcome } = await deps.repo.transaction((trx) => write(trx, found, prepared, enforcer, reprocess));
    if (outcome !== undefined) enforcer?.afterCommit(outcome);
    return { eventId, isWritten, signals: found.signals };
  }

  /**
   * The batch handler for the `events` queue (job key = event id): reads the
   * batch's events in one query, runs the detectors over each (a few at a
   * time, for media fetching), then writes every event's signals, decisions,
   * cases and actions and marks the jobs done in ONE transaction, with one
   * policy-set lookup for the batch. Each event keeps its own exactly-once
   * guard (`processed_at`, the decision's unique event id, the actions'
   * keys), so a batch delivered again after a crash changes nothing twice.
   *
   * An event whose detection throws fails alone. When the batch's transaction
   * fails, each event is written again in a transaction of its own, so one bad
   * event cannot hold the others back: it fails alone (its job keeps the
   * error, and is retried and dead-lettered like any job).
   */
  async function handleBatch(jobs: Array<Job<EventJobPayload>>, context: BatchContext): Promise<BatchResult> {
    const eventIdOf = eventKeyOfJob;
    const rows = new Map((await timings.time("load", () => deps.repo.findMany(jobs.map(eventIdOf)))).map((row) => [scopedKey(row.platform_id, row.id), row]));
    const failed: Array<{ jobId: string; error: unknown }> = [];
    // Per job: its findings, or null when there is nothing to write (event gone or already processed).
    const found = new Map<string, Detected | null>();
    const stopDetect = timings.begin("detect");
    await eachLimited(jobs, detectConcurrency, async (job) => {
      const row = rows.get(eventIdOf(job));
      if (!row || row.processed_at !== null) return void found.set(job.id, null);
      try {
        found.set(job.id, await detect(row));
      } catch (error) {
        failed.push({ jobId: job.id, error });
      }
    });
    const ready = jobs.filter((job) => found.has(job.id));
    const enforcer = deps.enforcer;
    const prepared = await enforcer?.prepare();
    stopDetect();
    const stopWrite = timings.begin("write");
    const writeAll = async (part: typeof ready) => {
      let stopCommit: (() => void) | undefined;
      try {
        return await deps.repo.transaction(async (trx) => {
          const items = part.map((job) => found.get(job.id)).filter((item): item is Detected => item !== null && item !== undefined);
          // Every event's signals in one statement (a round trip each was most of a batch on PostgreSQL),
          // then the enforcer for those written, in claim order, with a few statements for all of them.
          const processedAt = clock().toISOString();
          const written = await deps.repo.recordSignalsMany(
            trx,
            items.map((item) => ({ key: item.eventId, processedAt, signals: JSON.stringify(item.signals), payload: item.payload })),
          );
          const inputs = items
            .filter((item) => written.has(item.eventId))
            .map((item) => ({ eventId: item.eventId, event: item.event, receivedAt: item.row.received_at, signals: item.signals, mediaHashes: item.mediaHashes }));
          // The jobs are marked done before enforcing, not after: enforcement ends holding the `seq` counter's lock
          // until commit (src/store/counters.ts), and another worker's batch waits on it, so nothing else should follow it.
          await context.complete(trx as unknown as QueryExecutor, part.map((job) => job.id));
          const outcomes = enforcer && inputs.length > 0 ? await timings.time("enforce", () => enforcer.enforceMany(trx as unknown as QueryExecutor, prepared, inputs)) : [];
          stopCommit = timings.begin("commit");
          return outcomes.filter((outcome) => outcome !== undefined);
        });
      } finally {
        stopCommit?.();
      }
    };
    const committed: unknown[] = [];
    try {
      committed.push(...(await writeAll(ready)));
    } catch (error) {
      if (ready.length === 1 || context.signal.aborted) throw error;
      // Isolate the event that failed: each on its own, as before batches.
      for (const job of ready) {
        try {
          committed.push(...(await writeAll([job])));
        } catch (alone) {
          failed.push({ jobId: job.id, error: alone });
        }
      }
    }
    stopWrite();
    if (enforcer) for (const outcome of committed) enforcer.afterCommit(outcome);
    return { failed };
  }

  async function checkMedia(field: string, media: EventMedia, hashed: Map<string, StoredHashes>): Promise<EventSignal | undefined> {
    let result: CheckResult;
    // Why the file's bytes gave no PDQ hash, when this check decoded them (bytes or a fetched URL).
    let pdqError: MediaCheckResult["pdqError"];
    let source: "hashes" | "bytes" | "url" = media.kind;
    try {
      if (media.kind === "hashes") {
        // `source` says where the stored hashes first came from, once inline bytes were replaced.
        const stored = media as StoredMedia;
        source = stored.hashed_from ?? "hashes";
        result = await deps.knownMedia.checkHashes({ pdq: media.pdq, quality: media.quality, md5: media.md5, sha256: media.sha256 });
        // Bytes that had no PDQ hash when first processed: say so again, as the first pass did.
        if (stored.pdq_error !== undefined) result.notes.push(stored.pdq_error);
      } else if (media.kind === "bytes") {
        const bytes = Buffer.from(media.data_base64, "base64");
        const checked = await deps.knownMedia.checkMedia(bytes, { whenBusy: "wait" });
        hashed.set(field, { ...checked.hashes, ...(checked.pdqError ? { pdqError: noPdqNote(checked.pdqError.code, checked.pdqError.message) } : {}) });
        result = checked;
        pdqError = checked.pdqError;
      } else {
        if (!deps.fetcher) return unchecked(field, source, "host_not_allowed", "Not fetched: media fetching is not configured (LAPWING_MEDIA_FETCH_HOSTS is empty).");
        const fetched = await deps.fetcher.fetchMedia(media.url);
        if (!fetched.ok) return unchecked(field, source, fetched.reason, fetched.message);
        const checked = await deps.knownMedia.checkMedia(fetched.bytes);
        result = checked;
        pdqError = checked.pdqError;
      }
    } catch (error) {
      // Bad media is a finding about the event, not a reason to retry the job.
      // (MEDIA_BUSY is not about the media: it is retried. The worker waits for a thread, so it should not occur.)
      if (error instanceof LapwingError && error.code !== "MEDIA_BUSY" && (error.code.startsWith("MEDIA_") || error.code === "HASH_MALFORMED")) {
        if (media.kind !== "bytes") return unchecked(field, source, "decode_failed", error.message);
        // Whatever went wrong (zero bytes, say), the stored event keeps the digests, never the bytes.
        const note = noPdqNote(error.code, error.message);
        hashed.set(field, { ...digestMedia(Buffer.from(media.data_base64, "base64")), pdqError: note });
        return unchecked(field, source, "decode_failed", note);
      }
      throw error;
    }
    if (result.verdict !== "allow") {
      return { kind: "media.match", field, source, verdict: result.verdict, matches: result.matches, notes: result.notes };
    }
    if (result.notes.length > 0) return unchecked(field, source, isPdqMissing(media, pdqError) ? "decode_failed" : "low_quality", result.notes.join(" "));
    return undefined;
  }

  /** The one-job handler for the `events` queue, for callers without batches. */
  async function handleJob(job: Job<EventJobPayload>, _context?: JobContext): Promise<void> {
    await process(eventKeyOfJob(job));
  }

  return { process, handleJob, handleBatch };
}

/** Events detected at once within a batch: media fetches and hashing overlap; text checks are synchronous anyway. */
const detectConcurrency = 4;

/** Runs `fn` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}


export type EventProcessor = ReturnType<typeof createEventProcessor>;

function unchecked(field: string, source: "hashes" | "bytes" | "url", reason: "host_not_allowed" | "fetch_failed" | "decode_failed" | "low_quality", message: string): EventSignal {
  return { kind: "media.unchecked", field, source, reason, message };
}

/** Most advert features kept with a text signal: what a reviewer reads first. */
const maxAdvertFeatures = 4;

/** The strongest positive advert features (the interaction bonus aside), with their spans in the original text. */
function advertFeatures(signals: ReadonlyArray<{ name: string; weight: number; explanation: string; spans: ReadonlyArray<{ start: number; end: number }> }>) {
  return signals
    .filter((s) => s.weight > 0 && s.name !== "combination")
    .slice(0, maxAdvertFeatures)
    .map((s) => ({ name: s.name, explanation: s.explanation, spans: s.spans.map(({ start, end }) => ({ start, end })) }));
}

/** Every text in an event, with the content kind the lexicons know it by. */
export function textFields(event: PlatformEvent): TextField[] {
  const out: TextField[] = [];
  const add = (field: string, text: string | undefined, kind: ContentKind) => {
    if (text !== undefined && text.trim() !== "") out.push({ field, text, kind });
  };
  switch (event.type) {
    case "account.created":
    case "account.updated":
      add("/account/handle", event.account.handle, "username");
      add("/account/display_name", event.account.display_name, "display_name");
      add("/account/bio", event.account.bio, "bio");
      break;
    case "post.created":
    case "post.updated":
      add("/post/text", event.post.text, "post");
      event.post.hashtags?.forEach((tag, i) => add(`/post/hashtags/${i}`, tag, "hashtag"));
      break;
    case "comment.created":
      add("/comment/text", event.comment.text, "comment");
      break;
    default:
      break;
  }
  return out;
}

/** Every media item in an event. */
export function mediaFields(event: PlatformEvent): MediaField[] {
  switch (event.type) {
    case "account.created":
    case "account.updated":
      return event.account.avatar ? [{ field: "/account/avatar", media: event.account.avatar }] : [];
    case "post.created":
    case "post.updated":
      return (event.post.media ?? []).map((media, i) => ({ field: `/post/media/${i}`, media }));
    case "comment.created":
      return (event.comment.media ?? []).map((media, i) => ({ field: `/comment/media/${i}`, media }));
    default:
      return [];
  }
}

/** What replaces inline bytes in the stored event: their digests, their PDQ hash when they decoded, else why not. */
type StoredHashes = CheckedHashes & { pdqError?: string };
/** A `hashes` media item as stored in place of inline bytes. */
type StoredMedia = EventMedia & { hashed_from?: "bytes"; pdq_error?: string };

/** Whether the media's PDQ hash could not be computed (now, or when its bytes were first processed). */
function isPdqMissing(media: EventMedia, pdqError: MediaCheckResult["pdqError"]): boolean {
  return pdqError !== undefined || (media as StoredMedia).pdq_error !== undefined;
}

/** The event with each inline-bytes media item replaced by its hashes. */
function withoutBytes(event: PlatformEvent, hashed: Map<string, StoredHashes>): PlatformEvent {
  const copy = structuredClone(event) as PlatformEvent;
  const replace = (field: string, media: EventMedia): EventMedia => {
    const hashes = hashed.get(field);
    if (!hashes || media.kind !== "bytes") return media;
    return {
      kind: "hashes",
      ...(media.id !== undefined ? { id: media.id } : {}),
      ...(hashes.pdq !== undefined ? { pdq: hashes.pdq, quality: hashes.quality } : {}),
      md5: hashes.md5,
      sha256: hashes.sha256,
      hashed_from: "bytes",
      ...(hashes.pdqError !== undefined ? { pdq_error: hashes.pdqError } : {}),
    } as EventMedia;
  };
  if ((copy.type === "account.created" || copy.type === "account.updated") && copy.account.avatar) copy.account.avatar = replace("/account/avatar", copy.account.avatar);
  if ((copy.type === "post.created" || copy.type === "post.updated") && copy.post.media) copy.post.media = copy.post.media.map((m, i) => replace(`/post/media/${i}`, m));
  if (copy.type === "comment.created" && copy.comment.media) copy.comment.media = copy.comment.media.map((m, i) => replace(`/comment/media/${i}`, m));
  return copy;
}
