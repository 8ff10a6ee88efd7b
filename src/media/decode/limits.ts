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
 * Defaults: 50 MiB and 40 megapixels, above every ordinary upload (phone
 * photos are 12-24 Mpx, an 8K frame 33 Mpx) and below the 48-200 Mpx
 * full-sensor modes a platform should downscale before hashing. Hashing
 * needs about 8 bytes per pixel at its peak (docs/pdq.md), so 40 Mpx is
 * about 320-400 MB per decode; lower `maxPixels` on small machines.
 *
 * @example
 * ```ts
 * await hashMedia(bytes, { limits: { ...defaultDecodeLimits, maxPixels: 25_000_000 } });
 * ```
 */
export const defaultDecodeLimits: Readonly<DecodeLimits> = Object.freeze({
  maxBytes: 50 * 1024 * 1024,
  maxPixels: 40_000_000,
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
