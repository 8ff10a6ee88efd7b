import cliProgress from "cli-progress";

/**
 * A progress bar on stderr when it is a terminal, and silence otherwise, so
 * piped stdout (JSON lines) stays clean and CI logs stay short.
 */
export function progressBar(total: number, unit: string): { update(done: number): void; stop(): void } {
  if (!process.stderr.isTTY || total <= 0) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: `{bar} {percentage}% | {value}/{total} ${unit} | {eta_formatted} left`, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { update: (done) => bar.update(Math.min(done, total)), stop: () => bar.stop() };
}
