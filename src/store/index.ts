export { openStore, redactUrl, type Store, type DialectName } from "./database.js";
export { migrateToLatest } from "./migrate.js";
export { allocateSeq, currentSeq, databaseId } from "./counters.js";
export { newId } from "./ids.js";
