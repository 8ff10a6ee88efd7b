export { createSearchGate, toGateHit, type SearchGate, type SearchCheck, type GateHit } from "./service.js";
export { defaultHelpResources, loadHelpResources, type HelpResource } from "./resources.js";
export { createSearchBlockCounter, searchCountFlushMs, type SearchBlockCounter } from "./counts.js";
export { createSearchCountRepository, type SearchCountRepository, type BlockCountRow } from "./repository.js";
export type { SearchGateTables } from "./tables.js";
