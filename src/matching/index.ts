export {
  PDQ_BITS,
  PDQ_WORDS,
  type PdqHashInput,
  normalizePdqHash,
  isPdqHash,
  parsePdqHash,
  formatPdqHash,
  toPdqWords,
  popcount32,
  hammingDistance,
  pdqDistance,
} from "./pdq-hash.js";
export { digestHexLength, type DigestKind, normalizeDigest, normalizeMd5, normalizeSha256, DigestSet } from "./digest.js";
export type { PdqMatch, PdqDihedralMatch } from "./match-collector.js";
export type { SnapshotOptions } from "./snapshot.js";
export { PdqIndex, type PdqIndexOptions, DEFAULT_MAX_DISTANCE } from "./pdq-index.js";
