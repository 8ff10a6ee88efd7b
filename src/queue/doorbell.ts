import { pause } from "./pause.js";

/**
 * A wake-up call between the code that enqueues work and a worker in the same
 * process: the worker waits on it instead of sleeping out its whole poll, so
 * an event accepted by this process's API is claimed at once. Other processes
 * still find the work at their next poll.
 *
 * @example
 * const bell = createDoorbell();
 * // producer, after its transaction commits:
 * bell.ring();
 * // worker, with the queue empty:
 * await bell.wait(pollMs, signal); // resolves on ring, after pollMs, or on abort
 */
export function createDoorbell() {
  const waiting = new Set<() => void>();
  return {
    ring(): void {
      for (const wake of waiting) wake();
      waiting.clear();
    },
    async wait(ms: number, signal: AbortSignal): Promise<void> {
      const rung = new AbortController();
      const wake = () => rung.abort();
      waiting.add(wake);
      try {
        await pause(ms, AbortSignal.any([signal, rung.signal]));
      } finally {
        waiting.delete(wake);
      }
    },
  };
}

export type Doorbell = ReturnType<typeof createDoorbell>;
