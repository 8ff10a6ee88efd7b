export { scoreAdvert } from "./score-advert.js";
export { ADVERT_DEFAULTS, type AdvertLevel, type AdvertOptions, type AdvertScore, type AdvertSignal, type AdvertSignalName, type OriginalSpan } from "./types.js";
export {
  generateSyntheticAdverts, SYNTHETIC_ADVERT_LEXICON, ADVERT_FAMILIES, BENIGN_FAMILIES, TUNING_SEED, HELD_OUT_SEED,
  type SyntheticAdvert, type SyntheticAdvertOptions,
} from "./synthetic-adverts.js";
