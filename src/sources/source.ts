import { LapwingError } from "../errors/index.js";
import { parseEvent, type AcceptResult, type EventService, type PlatformEvent } from "../events/index.js";

/**
 * One message as a streaming system hands it over: its bytes (one event as
 * JSON, the same object `lapwing events send` reads per line) and where it
 * came from, for logs (`stream:42`, `topic/3@1200`).
 */
export interface SourceMessage {
  readonly data: Uint8Array;
  readonly ref: string;
}

/** What became of one batch handed to {@link SourceIngest}. */
export interface BatchOutcome extends AcceptResult {
  /** Messages that can never be stored (not JSON, not a valid event), by index in the batch, each with why. */
  refused: Array<{ index: number; reason: string }>;
}

/**
 * Stores a batch of messages as events. It resolves only after the events are
 * committed (with their processing jobs), so a source acknowledges the
 * batch's messages only then; it rejects when nothing could be stored (the
 * database is away), and the source then leaves every message of the batch
 * to be delivered again. Storing is idempotent by event id: a message
 * delivered twice (acknowledged too late, or after a crash) is a duplicate.
 */
export type SourceIngest = (messages: readonly SourceMessage[]) => Promise<BatchOutcome>;

/**
 * A streaming system Lapwing takes events from (NATS JetStream here; Kafka
 * would be another, see docs/streaming.md). The contract every source keeps:
 *
 * - **Ack after commit.** A message is acknowledged only after `ingest`
 *   resolved for the batch holding it. A crash before that leaves it
 *   unacknowledged, and the streaming system delivers it again.
 * - **Refused messages end.** A message `ingest` refuses (malformed) is
 *   terminated (or dead-lettered where the system has no such verb) with its
 *   reason logged, never redelivered forever.
 * - **Failures retry.** When `ingest` rejects, nothing is acknowledged; the
 *   batch comes back (after a delay) once the database does.
 */
export interface EventSource {
  /** What the source reads, for banners and logs (`nats://127.0.0.1:4222 stream EVENTS subject events.>`). */
  readonly description: string;
  /** Connects and delivers batches to `ingest` until {@link stop}; resolves once stopped, rejects if the source fails for good. */
  run(ingest: SourceIngest): Promise<void>;
  /** Stops taking messages, finishes (and acknowledges) the batch in hand, hands back the rest, disconnects. */
  stop(): Promise<void>;
  /** Whether every message published so far has been stored and acknowledged (for `--until-idle`). */
  isDrained(): Promise<boolean>;
}

/** Where a source reports what it refused or retried; a pino logger fits. */
export interface SourceLog {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/** One message's event, or why it can never be one. */
export function decodeEventMessage(data: Uint8Array): { event: PlatformEvent } | { reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(data));
  } catch (error) {
    return { reason: `not JSON: ${(error as Error).message}` };
  }
  try {
    return { event: parseEvent(value) };
  } catch (error) {
    if (!(error instanceof LapwingError)) throw error;
    return { reason: error.message.replace(/ Nothing in the batch was stored\.$/, "") };
  }
}

/**
 * The {@link SourceIngest} over the event service: decodes each message,
 * stores the valid events in one transaction (the same `acceptParsed` path
 * as `lapwing events send` and the HTTP API), and reports the rest as refused.
 */
export function createSourceIngest(events: Pick<EventService, "acceptParsed">): SourceIngest {
  return async (messages) => {
    const valid: PlatformEvent[] = [];
    const refused: BatchOutcome["refused"] = [];
    messages.forEach((message, index) => {
      const decoded = decodeEventMessage(message.data);
      if ("event" in decoded) valid.push(decoded.event);
      else refused.push({ index, reason: decoded.reason });
    });
    const stored = valid.length === 0 ? { accepted: 0, duplicates: 0 } : await events.acceptParsed(valid);
    return { ...stored, refused };
  };
}

/** Running totals of a source, for the summary `consume` prints when it stops. */
export interface SourceTotals {
  messages: number;
  accepted: number;
  duplicates: number;
  refused: number;
  /** Batches whose storing failed and were left to be delivered again. */
  retried: number;
}
