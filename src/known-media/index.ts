export { createKnownMediaService, noPdqNote, orientations, type KnownMediaService, type CheckResult, type CheckedHashes, type HashMatch, type MediaCheckResult, type QueryHashes, type Verdict, type Orientation } from "./service.js";
export { createMediaHashPool, type HashJob, type HashOutcome, type MediaHashPool, type MediaHashPoolOptions, type WhenBusy } from "./hash-pool.js";
export { createLiveIndex, type LiveIndex, type IndexedMatch } from "./live-index.js";
