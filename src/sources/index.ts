// Streaming event sources: events taken from a platform's log (NATS JetStream), acknowledged after commit.
export { createSourceIngest, decodeEventMessage, type EventSource, type SourceIngest, type SourceMessage, type BatchOutcome, type SourceLog, type SourceTotals } from "./source.js";
export { createNatsSource, type NatsSourceOptions } from "./nats.js";
