export { createKnownMediaService, orientations, type KnownMediaService, type CheckResult, type HashMatch, type QueryHashes, type Verdict, type Orientation } from "./service.js";
export { createLiveIndex, type LiveIndex, type IndexedMatch } from "./live-index.js";
