import type { SearchSurface } from "../lexicons/index.js";
import type { BlockCountRow, SearchCountRepository } from "./repository.js";

/** How long counts wait in memory before they are written. */
export const searchCountFlushMs = 5_000;

/**
 * How many searches the gate blocked, per hour and surface, for the
 * dashboard. Only numbers: never the queries, which are the platform's users'
 * own searches.
 *
 * ## Cheap on the hot path
 *
 * A check only adds to a counter in memory; the counts are written every
 * {@link searchCountFlushMs} (and on `flush`, which the dashboard and shutdown
 * call), one upsert per hour and surface. So a search is never slowed, or
 * failed, by a busy database; a failed write keeps its counts for the next
 * flush. A process killed with `kill -9` loses at most the last few seconds
 * of counts, which is acceptable for a statistic.
 */
export function createSearchBlockCounter(repo: SearchCountRepository, options: { clock?: () => Date; flushMs?: number } = {}) {
  const clock = options.clock ?? (() => new Date());
  const flushMs = options.flushMs ?? searchCountFlushMs;
  let pending = new Map<string, BlockCountRow>();
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();

  function add(surface: SearchSurface, blocked: number, suggestionsRemoved: number): void {
    if (blocked === 0 && suggestionsRemoved === 0) return;
    const now = clock();
    now.setUTCMinutes(0, 0, 0);
    const hour = now.toISOString();
    const key = `${hour} ${surface}`;
    const row = pending.get(key) ?? { hour, surface, blocked: 0, suggestionsRemoved: 0 };
    row.blocked += blocked;
    row.suggestionsRemoved += suggestionsRemoved;
    pending.set(key, row);
    timer ??= setTimeout(() => void flush().catch(() => {}), flushMs).unref();
  }

  /** Writes what is pending; counts that fail to be written stay pending. Flushes never overlap. */
  function flush(): Promise<void> {
    // Chained after the previous flush whatever its outcome: one failed write must not fail every later flush.
    flushing = flushing.catch(() => {}).then(async () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (pending.size === 0) return;
      const rows = [...pending.values()];
      pending = new Map();
      try {
        await repo.add(rows);
      } catch (error) {
        for (const row of rows) {
          const key = `${row.hour} ${row.surface}`;
          const now = pending.get(key);
          pending.set(key, now ? { ...row, blocked: row.blocked + now.blocked, suggestionsRemoved: row.suggestionsRemoved + now.suggestionsRemoved } : row);
        }
        timer ??= setTimeout(() => void flush().catch(() => {}), flushMs).unref();
        throw error;
      }
    });
    return flushing;
  }

  return {
    /** One search checked and blocked. */
    blocked: (surface: SearchSurface) => add(surface, 1, 0),
    /** Suggestions taken out of a list. */
    suggestionsRemoved: (surface: SearchSurface, count: number) => add(surface, 0, count),
    flush,
    between: async (from: string, to: string) => {
      await flush().catch(() => {});
      return repo.between(from, to);
    },
  };
}

export type SearchBlockCounter = ReturnType<typeof createSearchBlockCounter>;
