import { useCallback, useEffect, useRef, useState } from "react";

export type Async<T> = { status: "loading"; value?: T } | { status: "ok"; value: T } | { status: "error"; error: Error; value?: T };

/**
 * Runs `load` when `deps` change and on `reload()`, keeping the last value
 * while a reload runs (no flicker); an answer that arrives after a newer
 * request started is dropped.
 */
export function useAsync<T>(load: () => Promise<T>, deps: readonly unknown[]): Async<T> & { reload(): void } {
  const [state, setState] = useState<Async<T>>({ status: "loading" });
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    const request = ++latest.current;
    setState((s) => ({ status: "loading", value: s.value }));
    load().then(
      (value) => request === latest.current && setState({ status: "ok", value }),
      (error: Error) => request === latest.current && setState((s) => ({ status: "error", error, value: s.value })),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}
