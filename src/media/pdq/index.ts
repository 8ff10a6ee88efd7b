export { pdqFromPixels, type PdqMode, type PdqOptions, type PdqResult } from "./hasher.js";
export type { DihedralHashes } from "./dihedral.js";
export type { PixelImage } from "./pixels.js";
