/** How long a failed job waits before its next attempt. */
export interface BackoffOptions {
  /** Wait after the first failure, before jitter. */
  baseMs: number;
  /** Ceiling on the wait, before jitter. */
  maxMs: number;
  /**
   * Fraction of the wait that is random, 0 to 1. With 0.5 the wait lies in
   * (delay / 2, delay], so workers that failed together do not retry together.
   */
  jitter: number;
}

export const defaultBackoff: BackoffOptions = Object.freeze({ baseMs: 1_000, maxMs: 60 * 60_000, jitter: 0.5 });

/**
 * The wait before the attempt after failed attempt number `attempt` (1-based):
 * `min(maxMs, baseMs · 2^(attempt−1))`, of which a `jitter` fraction is random.
 * `rng` returns a float in [0, 1); pass a seeded one to replay a schedule.
 *
 * @example
 * retryDelayMs(1, { baseMs: 1000, maxMs: 60_000, jitter: 0 }, Math.random); // 1000
 * retryDelayMs(3, { baseMs: 1000, maxMs: 60_000, jitter: 0 }, Math.random); // 4000
 * retryDelayMs(3, { baseMs: 1000, maxMs: 60_000, jitter: 0.5 }, () => 0.5); // 3000
 */
export function retryDelayMs(attempt: number, backoff: BackoffOptions, rng: () => number): number {
  // The exponent is capped so 2^n stays finite for absurd attempt counts.
  const delay = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 52));
  return Math.round(delay * (1 - backoff.jitter * rng()));
}
