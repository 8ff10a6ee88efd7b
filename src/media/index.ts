/**
 * Lapwing's media detectors: image decoding to the PDQ reference's pixels,
 * the PDQ perceptual hash with its dihedral variants, and exact digests.
 * A pure library: bytes or pixels in, typed results out.
 */
export { hashImage, hashMedia, mediaHashes, type HashMediaOptions, type ImageHashes, type MediaHashes } from "./hash-media.js";
export { digestMedia, type MediaDigests } from "./digest.js";
export {
  decodeImage,
  defaultDecodeLimits,
  sniffFormat,
  type DecodedImage,
  type DecodeLimits,
  type ImageFormat,
} from "./decode/index.js";
export {
  pdqFromPixels,
  type DihedralHashes,
  type PdqMode,
  type PdqOptions,
  type PdqResult,
  type PixelImage,
} from "./pdq/index.js";
