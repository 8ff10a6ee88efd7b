export { decodeImage } from "./decode.js";
export type { DecodedImage } from "./decoded-image.js";
export { type DecodeLimits, defaultDecodeLimits, resolveLimits } from "./limits.js";
export { type ImageFormat, sniffFormat } from "./sniff.js";
