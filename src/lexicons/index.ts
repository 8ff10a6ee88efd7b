export { createLexiconService, type LexiconService, type LexiconInfo, type BuiltInLexicon } from "./service.js";
export { createLexiconRepository, type LexiconRepository } from "./repository.js";
export { createLexiconRegistry, type LexiconRegistry, type LexiconHit } from "./registry.js";
export { builtInLexicon, defaultLexicon } from "./default-lexicon.js";
export { searchSurfaces, contentKinds, textSurfaces, type SearchSurface, type ContentKind, type TextSurface } from "./surfaces.js";
export type { LexiconTables } from "./tables.js";
