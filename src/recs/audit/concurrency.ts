/**
 * Bounds how much runs at once: `limit(fn)` runs `fn` when fewer than `max`
 * calls are in flight and queues it otherwise (first come, first served).
 * Used so that an audit never opens more than a set number of requests to a
 * platform's endpoint or to the guard, whatever the walks do.
 */
export function createLimiter(max: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    active--;
    waiting.shift()?.();
  };
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await fn();
    } finally {
      release();
    }
  };
}

/**
 * `items.map(fn)` with at most `max` calls in flight; results keep the input
 * order. The first failure rejects the whole run (the remaining items are not
 * started), so one broken endpoint does not cost a thousand timeouts.
 */
export async function mapWithConcurrency<T, R>(items: readonly T[], max: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index]!, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(max, items.length) }, worker));
  return results;
}
