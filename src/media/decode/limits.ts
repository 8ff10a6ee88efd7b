/**
 * Size limits applied before any pixel is decoded.
 *
 * @example
 * ```ts
 * const limits: DecodeLimits = { maxBytes: 10 * 1024 * 1024, maxPixels: 40_000_000 };
 * await decodeImage(bytes, limits);
 * ```
 */
export interface DecodeLimits {
  /** Largest accepted file, in bytes. */
  maxBytes: number;
  /** Largest accepted width x height, read from the header before decoding. */
  maxPixels: number;
}

/**
 * Defaults: 50 MiB and 100 megapixels. 100 Mpx of RGB is 300 MB of decoded
 * samples plus two float32 buffers for the hash (800 MB in full-size mode),
 * so lower `maxPixels` on small machines.
 *
 * @example
 * ```ts
 * await hashMedia(bytes, { limits: { ...defaultDecodeLimits, maxPixels: 25_000_000 } });
 * ```
 */
export const defaultDecodeLimits: Readonly<DecodeLimits> = Object.freeze({
  maxBytes: 50 * 1024 * 1024,
  maxPixels: 100_000_000,
});

/** Fills unset fields from {@link defaultDecodeLimits} and checks the values. */
export function resolveLimits(limits: Partial<DecodeLimits> = {}): DecodeLimits {
  const resolved = {
    maxBytes: limits.maxBytes ?? defaultDecodeLimits.maxBytes,
    maxPixels: limits.maxPixels ?? defaultDecodeLimits.maxPixels,
  };
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new RangeError(`decode limit ${name} must be a positive integer, got ${value}`);
    }
  }
  return resolved;
}
