/**
 * PDQ quality (ALGORITHM.md §5): the sum of truncated, scaled neighbour
 * differences over the 64x64 block, divided by 90 and capped at 100. Each
 * difference is computed in float32 and truncated toward zero before `abs`.
 */
export function pdqQuality(block: Float32Array): number {
  let gradient = 0;
  for (let i = 0; i < 63; i++) {
    const row = i * 64;
    for (let j = 0; j < 64; j++) {
      const d = Math.trunc(Math.fround(Math.fround(Math.fround(block[row + j] - block[row + 64 + j]) * 100) / 255));
      gradient += d < 0 ? -d : d;
    }
  }
  for (let i = 0; i < 64; i++) {
    const row = i * 64;
    for (let j = 0; j < 63; j++) {
      const d = Math.trunc(Math.fround(Math.fround(Math.fround(block[row + j] - block[row + j + 1]) * 100) / 255));
      gradient += d < 0 ? -d : d;
    }
  }
  return Math.min(100, Math.trunc(gradient / 90));
}
