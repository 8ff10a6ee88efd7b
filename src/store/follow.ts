/** Anything that keeps a copy of database state current by reading a change feed. */
export interface FeedFollower {
  catchUp(): Promise<void>;
}

/**
 * Calls `follower.catchUp()` every `intervalMs` until stopped. A failed poll
 * (a database restart, say) is reported and the next one tries again; the
 * timer never keeps the process alive on its own.
 */
export function followChanges(follower: FeedFollower, intervalMs: number, onError: (error: unknown) => void): { stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const tick = async () => {
    try {
      await follower.catchUp();
    } catch (error) {
      onError(error);
    }
    if (!stopped) timer = setTimeout(tick, intervalMs).unref();
  };
  timer = setTimeout(tick, intervalMs).unref();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
