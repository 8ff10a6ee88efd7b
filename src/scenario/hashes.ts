import type { Dice } from "../random/index.js";

/** A random 256-bit PDQ hash (64 hex digits): never the hash of any real image. */
export function randomPdq(d: Dice): string {
  return d.hex(64);
}

/**
 * `hash` with `bits` distinct bits flipped: what re-encoding, resizing or a
 * light filter does to a PDQ hash (a Hamming distance of about 10–20 stays
 * well inside the usual match threshold of 31).
 */
export function flipBits(hash: string, bits: number, d: Dice): string {
  const nibbles = [...hash].map((c) => parseInt(c, 16));
  const flipped = new Set<number>();
  while (flipped.size < Math.min(bits, 256)) flipped.add(d.int(0, 255));
  for (const bit of flipped) nibbles[bit >> 2] = nibbles[bit >> 2]! ^ (1 << (bit & 3));
  return nibbles.map((v) => v.toString(16)).join("");
}
