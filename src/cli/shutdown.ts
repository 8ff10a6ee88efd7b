/**
 * Stops a long-running command (`serve`, `worker`) gracefully on SIGTERM or
 * SIGINT: `stop` closes what the command opened, then the process exits 0 (1
 * if stopping failed). A second signal while stopping exits at once, for an
 * operator who does not want to wait (one sent at least a second after the first:
 * sooner, it is the same Ctrl-C delivered twice).
 *
 * `npm start` runs the command through `sh -c`; the script `exec`s node so
 * that npm's forwarded SIGTERM reaches this process (dash would otherwise die
 * of it and leave the server running as an orphan).
 */
/** Signals this soon after the first are the same request delivered twice, not a second one. */
const duplicateSignalMs = 1000;

export function stopOnSignals(stop: (reason: string) => Promise<void>, report: (message: string) => void): { stopNow(reason: string): Promise<void> } {
  let stopping: Promise<void> | undefined;
  const stopNow = (reason: string): Promise<void> => {
    stopping ??= stop(reason).then(
      () => process.exit(0),
      (error: unknown) => {
        report(`lapwing: could not shut down cleanly: ${(error as Error).message}`);
        process.exit(1);
      },
    );
    return stopping;
  };
  let firstSignalAt = 0;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (stopping) {
        // Ctrl-C on `npm run …` reaches this process twice at once: from the terminal (the whole
        // process group) and forwarded by npm. Only a signal sent later is the operator insisting.
        if (Date.now() - firstSignalAt < duplicateSignalMs) return;
        report(`lapwing: ${signal} again; exiting without waiting`);
        process.exit(1);
      }
      firstSignalAt = Date.now();
      void stopNow(signal);
    });
  }
  return { stopNow };
}
