/**
 * FAISS IndexBinaryMultiHash configurations for the PDQ index benchmark, written
 * "nhash x bits : nflip" (e.g. "11x23:2": 11 tables of 23 bits, each probed with
 * up to 2 flipped bits).
 *
 * Exactness is by pigeonhole: the tables take disjoint bit ranges, so a hash
 * within Hamming distance r of the query differs in at most r of those bits; if
 * every table differed in more than nflip bits there would be at least
 * nhash * (nflip + 1) differences. So nhash * (nflip + 1) > r guarantees that some
 * table is within its probe radius and the match is found. The benchmark still
 * checks recall against the brute-force results on every query.
 */

export interface MultiHashConfig {
  nhash: number;
  bits: number;
  nflip: number;
}

const HASH_BITS = 256;

/** The sweep: the untuned default of the earlier runs and three tunings, all exact at 31. */
export const FAISS_SWEEP = "16x16:1,11x23:2,8x32:3,32x8:0";

/** Above 2M hashes by default only the two fastest of the sweep at 1M (each 10M build takes minutes and GiBs). */
export const FAISS_LARGE = "11x23:2,16x16:1";
export const FAISS_SWEEP_MAX_SIZE = 2_000_000;

export function formatConfig(c: MultiHashConfig): string {
  return `${c.nhash}x${c.bits}:${c.nflip}`;
}

/** Whether every match within maxDistance is guaranteed to be found. */
export function isExactMultiHash(c: MultiHashConfig, maxDistance: number): boolean {
  return c.nhash * (c.nflip + 1) > maxDistance;
}

/** Parses "16x16:1,11x23:2"; throws on anything malformed, over 256 bits, or not exact at maxDistance. */
export function parseMultiHashConfigs(text: string, maxDistance: number): MultiHashConfig[] {
  const configs = text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((s) => {
      const m = /^(\d+)x(\d+):(\d+)$/.exec(s);
      if (m === null) throw new Error(`FAISS config "${s}": expected nhash x bits : nflip, e.g. 11x23:2`);
      const c = { nhash: Number(m[1]), bits: Number(m[2]), nflip: Number(m[3]) };
      if (c.nhash < 1 || c.bits < 1 || c.bits > 64) throw new Error(`FAISS config "${s}": need nhash >= 1 and 1 <= bits <= 64`);
      if (c.nhash * c.bits > HASH_BITS) throw new Error(`FAISS config "${s}": ${c.nhash * c.bits} bits is more than the hash's ${HASH_BITS}`);
      if (!isExactMultiHash(c, maxDistance)) {
        throw new Error(`FAISS config "${s}" is not exact at distance ${maxDistance}: needs nhash * (nflip + 1) > ${maxDistance}`);
      }
      return c;
    });
  if (configs.length === 0) throw new Error("no FAISS configs given");
  return configs;
}
