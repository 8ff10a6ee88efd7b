import { AckPolicy, connect, DeliverPolicy, headers, nanos, type ConsumerConfig, type ConsumerMessages, type JsMsg, type NatsConnection } from "nats";
import { LapwingError } from "../errors/index.js";
import { pause } from "../queue/index.js";
import type { EventSource, SourceIngest, SourceLog, SourceMessage, SourceTotals } from "./source.js";

export interface NatsSourceOptions {
  /** NATS server URL(s), comma-separated (`nats://127.0.0.1:4222`). */
  servers: string;
  /** The JetStream stream the platform publishes to; it must exist (the platform owns it). */
  stream: string;
  /** Subject filter within the stream (`events.>`). */
  subject: string;
  /** Durable consumer name: its position survives restarts, and several `consume` processes with the same name share the messages. */
  durable: string;
  /** Messages stored per transaction, at most. */
  batch: number;
  /** How long the server waits for an acknowledgement before delivering a message again (used when the consumer is created). */
  ackWaitMs?: number;
  /** Where malformed messages are republished (with the reason in a `Lapwing-Refused-Reason` header) before being terminated; none when undefined. */
  deadLetterSubject?: string;
  /** Wait before retrying a batch whose storing failed. */
  retryMs?: number;
  log: SourceLog;
}

/** JetStream's API error codes this source tells apart. */
const streamNotFound = 10059;
const consumerNotFound = 10014;

/**
 * Reads events from a NATS JetStream stream through a durable pull consumer
 * with explicit acknowledgements (created on first use with the subject as its
 * filter; an existing one must filter the same subject). Messages are taken in
 * batches: a batch closes when it holds `batch` messages or when no more are
 * waiting in the client, so a light load is stored at once and a heavy one in
 * large transactions. A batch is acknowledged after its commit; malformed
 * messages are terminated (`term`, with the reason, which JetStream reports in
 * its advisory) and logged; a batch that cannot be stored is retried in place,
 * its acknowledgement deadline extended while it waits.
 *
 * @example
 * const source = createNatsSource({ servers: "nats://127.0.0.1:4222", stream: "EVENTS", subject: "events.>", durable: "lapwing", batch: 500, log });
 * const done = source.run(createSourceIngest(services.events));
 * // on shutdown: await source.stop(); await done;
 */
export function createNatsSource(options: NatsSourceOptions): EventSource & { totals(): SourceTotals } {
  const totals: SourceTotals = { messages: 0, accepted: 0, duplicates: 0, refused: 0, retried: 0 };
  const retryMs = options.retryMs ?? 1000;
  const stopper = new AbortController();
  let connection: NatsConnection | undefined;
  let messages: ConsumerMessages | undefined;
  // The batches being stored, while there are any.
  let pumping: Promise<void> | undefined;
  let termTakesReason = false;
  const where = `${options.servers} stream ${options.stream} subject ${options.subject}`;

  async function consumerReady(nc: NatsConnection): Promise<void> {
    const jsm = await nc.jetstreamManager();
    try {
      await jsm.streams.info(options.stream);
    } catch (error) {
      if (apiErrorCode(error) === streamNotFound) {
        throw new LapwingError("SOURCE_UNAVAILABLE", `NATS stream "${options.stream}" does not exist on ${options.servers}; create it (nats stream add) with the subject "${options.subject}" among its subjects.`, { cause: error });
      }
      throw error;
    }
    try {
      const info = await jsm.consumers.info(options.stream, options.durable);
      const filter = info.config.filter_subject ?? (info.config.filter_subjects ?? []).join(",");
      if (filter !== options.subject || info.config.ack_policy !== AckPolicy.Explicit) {
        throw new LapwingError(
          "SOURCE_UNAVAILABLE",
          `The durable consumer "${options.durable}" on stream "${options.stream}" reads subject "${filter || "(all)"}" with ack policy ${info.config.ack_policy}; Lapwing needs subject "${options.subject}" with explicit acks. Use another --durable name or delete that consumer.`,
        );
      }
    } catch (error) {
      if (apiErrorCode(error) !== consumerNotFound) throw error;
      const config: Partial<ConsumerConfig> = {
        durable_name: options.durable,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        filter_subject: options.subject,
        ack_wait: nanos(options.ackWaitMs ?? 30_000),
        // Enough unacknowledged messages for a batch being stored and the next one arriving.
        max_ack_pending: Math.max(1000, options.batch * 8),
      };
      await jsm.consumers.add(options.stream, config);
      options.log.info({ stream: options.stream, durable: options.durable, subject: options.subject }, "created the durable consumer");
    }
  }

  /** Stores one batch, retrying until it is stored or the source stops; true when stored. */
  async function store(ingest: SourceIngest, batch: JsMsg[]): Promise<boolean> {
    const wrapped: SourceMessage[] = batch.map((m) => ({ data: m.data, ref: `${options.stream}:${m.seq}` }));
    for (;;) {
      try {
        const outcome = await ingest(wrapped);
        const refused = new Map(outcome.refused.map((r) => [r.index, r.reason]));
        batch.forEach((m, i) => {
          const reason = refused.get(i);
          if (reason === undefined) return m.ack();
          // Never deliverable: end it here rather than have it come back for ever.
          deadLetter(m, wrapped[i]!.ref, reason);
          // A reason with TERM needs nats-server 2.10.4; older servers ignore such a TERM and redeliver.
          if (termTakesReason) m.term(reason.slice(0, 200));
          else m.term();
          options.log.warn({ ref: wrapped[i]!.ref, subject: m.subject, deliveries: m.info.redeliveryCount, reason }, "refused a malformed message (terminated, not redelivered)");
        });
        totals.messages += batch.length;
        totals.accepted += outcome.accepted;
        totals.duplicates += outcome.duplicates;
        totals.refused += outcome.refused.length;
        return true;
      } catch (error) {
        totals.retried++;
        options.log.warn({ err: error, messages: batch.length, first: wrapped[0]!.ref }, "could not store a batch of events; retrying (nothing acknowledged)");
        if (stopper.signal.aborted) {
          for (const m of batch) m.nak();
          return false;
        }
        // Still ours: push the redelivery deadline back while we wait.
        for (const m of batch) m.working();
        await pause(retryMs, stopper.signal);
      }
    }
  }

  function deadLetter(m: JsMsg, ref: string, reason: string): void {
    if (!options.deadLetterSubject || !connection) return;
    const h = headers();
    h.set("Lapwing-Refused-Reason", reason.slice(0, 1000).replace(/[\r\n]+/g, " "));
    h.set("Lapwing-Source", `${ref} ${m.subject}`);
    connection.publish(options.deadLetterSubject, m.data, { headers: h });
  }

  async function run(ingest: SourceIngest): Promise<void> {
    try {
      connection = await connect({ servers: options.servers.split(",").map((s) => s.trim()), name: "lapwing consume" });
    } catch (error) {
      throw new LapwingError("SOURCE_UNAVAILABLE", `Could not connect to NATS at ${options.servers}: ${(error as Error).message}. Check --server and that the server runs with JetStream.`, { cause: error });
    }
    termTakesReason = versionAtLeast(connection.info?.version ?? "0.0.0", [2, 10, 4]);
    try {
      await consumerReady(connection);
      const consumer = await connection.jetstream().consumers.get(options.stream, options.durable);
      if (stopper.signal.aborted) return;
      // Messages land in `waiting` as they arrive; one pump at a time stores them in batches of what
      // has gathered meanwhile (up to `batch`): a light load is stored at once, a heavy one in large
      // transactions, and no timer adds latency. The consumer's max_ack_pending bounds the buffer.
      const waiting: JsMsg[] = [];
      const pump = async () => {
        while (waiting.length > 0 && !stopper.signal.aborted) {
          const batch = waiting.splice(0, options.batch);
          await store(ingest, batch);
        }
        pumping = undefined;
      };
      messages = await consumer.consume({
        // Several batches' worth asked for at once: storing blocks the event loop on SQLite, and a pull
        // that only went out once the buffer ran dry left the store idle for a round trip (20k events:
        // 6.7 s with twice the batch, 4.4 s with four times).
        max_messages: Math.max(options.batch * 4, 100),
        callback: (m) => {
          waiting.push(m);
          // After the rest of this socket read is parsed, so a burst goes in one batch.
          pumping ??= new Promise<void>((resolve) => setImmediate(resolve)).then(pump);
        },
      });
      const closed = await messages.closed();
      await pumping;
      // Taken from the server but not stored: handed back at once rather than after the ack wait.
      for (const m of waiting.splice(0)) m.nak();
      if (closed instanceof Error && !stopper.signal.aborted) throw new LapwingError("SOURCE_UNAVAILABLE", `Reading NATS ${where} stopped: ${closed.message}.`, { cause: closed });
    } finally {
      await connection.drain().catch(() => connection?.close());
    }
  }

  async function stop(): Promise<void> {
    stopper.abort();
    await messages?.close();
  }

  async function isDrained(): Promise<boolean> {
    if (!connection || !messages || pumping) return false;
    const jsm = await connection.jetstreamManager();
    const info = await jsm.consumers.info(options.stream, options.durable);
    return info.num_pending === 0 && info.num_ack_pending === 0;
  }

  return { description: `nats ${where} (durable ${options.durable})`, run, stop, isDrained, totals: () => ({ ...totals }) };
}

function apiErrorCode(error: unknown): number | undefined {
  return (error as { api_error?: { err_code?: number } } | undefined)?.api_error?.err_code;
}

function versionAtLeast(version: string, wanted: [number, number, number]): boolean {
  const parts = version.split(/[.-]/).slice(0, 3).map(Number);
  for (let i = 0; i < 3; i++) {
    const have = parts[i] ?? 0;
    if (have !== wanted[i]) return have > wanted[i]!;
  }
  return true;
}
