export { createSearchGate, toGateHit, type SearchGate, type SearchCheck, type GateHit } from "./service.js";
export { defaultHelpResources, loadHelpResources, type HelpResource } from "./resources.js";
