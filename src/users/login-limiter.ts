/** Settings of {@link createLoginLimiter}. */
export interface LoginLimiterOptions {
  /** Failed attempts allowed per key within `windowMs` (default 5). */
  maxFailures?: number;
  /** How long failures are remembered, in milliseconds (default 15 minutes). */
  windowMs?: number;
  /** Keys remembered at most (default 10 000); the oldest are forgotten first, so memory stays bounded. */
  maxKeys?: number;
  clock?: () => number;
}

/**
 * An in-memory limiter of failed logins per key (the caller uses client IP +
 * username). After `maxFailures` failures within the window, `retryAfterMs`
 * is positive until the oldest failure ages out; a success clears the key.
 * Per process only: several processes each allow `maxFailures`, which still
 * turns an online guessing attack from millions of tries into a handful.
 *
 * @example
 * const limiter = createLoginLimiter();
 * if (limiter.retryAfterMs(key) > 0) refuse();
 * else if (await login()) limiter.succeeded(key); else limiter.failed(key);
 */
export function createLoginLimiter(options: LoginLimiterOptions = {}) {
  const maxFailures = options.maxFailures ?? 5;
  const windowMs = options.windowMs ?? 15 * 60_000;
  const maxKeys = options.maxKeys ?? 10_000;
  const clock = options.clock ?? Date.now;
  // Key → times of recent failures, oldest first. Map order is insertion order,
  // so re-inserting on each failure keeps the least recently failing key first.
  const failures = new Map<string, number[]>();

  function recent(key: string, now: number): number[] {
    const times = (failures.get(key) ?? []).filter((t) => now - t < windowMs);
    if (times.length === 0) failures.delete(key);
    return times;
  }

  return {
    /** Milliseconds until `key` may try again; 0 when it may try now. */
    retryAfterMs(key: string): number {
      const now = clock();
      const times = recent(key, now);
      if (times.length < maxFailures) return 0;
      return times[times.length - maxFailures]! + windowMs - now;
    },
    failed(key: string): void {
      const now = clock();
      const times = recent(key, now);
      times.push(now);
      failures.delete(key);
      failures.set(key, times.slice(-maxFailures));
      while (failures.size > maxKeys) failures.delete(failures.keys().next().value!);
    },
    succeeded(key: string): void {
      failures.delete(key);
    },
  };
}
export type LoginLimiter = ReturnType<typeof createLoginLimiter>;
