// The public face of event ingestion: accept platform events durably, process them into signals.
export { createEventService, parseEvent, toStoredEvent, utcTimestamp, eventQueueName, eventKeyOfJob, type EventJobPayload, type EventService, type EventJobQueue, type AcceptResult, type StoredEvent, type GraphEdgeSink } from "./service.js";
export { createEventRepository, type EventRepository } from "./repository.js";
export { createEventProcessor, textFields, mediaFields, type EventProcessor, type EventProcessorDeps, type ProcessResult, type EventEnforcer, type EnforceInput } from "./processor.js";
export { createMediaFetcher, isForbiddenAddress, parseHostList, type MediaFetcher, type MediaFetchOptions, type MediaFetchResult } from "./media-fetch.js";
export { startEventWorker, type EventWorkerOptions, type EventWorkerServices } from "./worker.js";
export { platformEvent, eventBatch, media, eventTypes, eventParties, ageBands, minorAgeBands, platformEntityId, platformIdField, maxEventBatch, maxInlineMediaBytes, type PlatformEvent, type EventMedia, type EventType } from "./schema.js";
export type { EventSignal, TextSignal, MediaMatchSignal, MediaUncheckedSignal } from "./signals.js";
export { foldProfile, eventTexts, type AccountProfile, type EventText } from "./profile.js";
export type { EventTables } from "./tables.js";
export { createStageTimings, processStageTimings, processingStages, type StageTimings, type StageTotal, type ProcessingStage } from "./stage-timings.js";
export { defaultPlatformId, scopedKey, splitScopedKey, eventKeyOf, accountKeyOf, accountRefOf, platformFieldOf, describeAccount } from "./tenancy.js";
