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

/**
 * Start-up progress lines on stderr (`serve`, `worker`). On a terminal a
 * transient line (loading…) rewrites itself in place; otherwise (a log file,
 * systemd) it is printed at most every 5 s so the log shows progress without
 * flooding. Lasting lines are always printed.
 */
export function stderrProgress(): (line: string, options?: { transient?: boolean }) => void {
  const tty = process.stderr.isTTY === true;
  let lastTransientAt = 0;
  let pending = false;
  return (line, options = {}) => {
    if (options.transient) {
      if (tty) {
        process.stderr.write(`\r\x1b[2K${line}`);
        pending = true;
      } else if (Date.now() - lastTransientAt >= 5000) {
        process.stderr.write(`${line}\n`);
        lastTransientAt = Date.now();
      }
      return;
    }
    process.stderr.write(`${pending ? "\r\x1b[2K" : ""}${line}\n`);
    pending = false;
  };
}
