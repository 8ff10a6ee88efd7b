export { createLexiconService, type LexiconService, type LexiconInfo, type BuiltInLexicon } from "./service.js";
export { createLexiconRepository, type LexiconRepository } from "./repository.js";
export { createLexiconRegistry, MAX_CHECKED_TEXT_CHARS, type LexiconRegistry, type LexiconHit } from "./registry.js";
export { benignSample } from "./benign-sample.js";
export { assessBreadth, MAX_SAMPLE_SHARE, type LexiconBreadth, type TermBreadth } from "./breadth.js";
export { readVocabulary, DEBIAN_WORD_LISTS } from "./vocabulary.js";
export { builtInLexicon, defaultLexicon } from "./default-lexicon.js";
export { searchSurfaces, contentKinds, textSurfaces, type SearchSurface, type ContentKind, type TextSurface } from "./surfaces.js";
export type { LexiconTables } from "./tables.js";
