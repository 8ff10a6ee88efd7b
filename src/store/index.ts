export { openStore, redactUrl, type Store, type DialectName, type SqliteSynchronous } from "./database.js";
export { isStoreBusy } from "./busy.js";
export { migrateToLatest, migrateUpTo } from "./migrate.js";
export { allocateSeq, allocateSeqBlock, currentSeq, databaseId, firstSeqOf, type SeqBlock, type SeqCounter } from "./counters.js";
export { followChanges, type FeedFollower } from "./follow.js";
export { newId } from "./ids.js";
