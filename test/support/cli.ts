// Runs the real `lapwing` command in a child process, as an operator would.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));

export function spawnLapwing(args: string[], env: Record<string, string> = {}, stdin: "ignore" | "pipe" = "ignore"): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    cwd: root,
    // No PDQ index snapshot unless a test asks for one (on PostgreSQL it would land in ./data/).
    env: { ...process.env, LAPWING_LOG_LEVEL: "warn", LAPWING_INDEX_SNAPSHOT_PATH: "off", ...env },
    stdio: [stdin, "pipe", "pipe"],
  });
}

/** Runs a command to completion and returns its exit code and output. */
export function runLapwing(args: string[], env: Record<string, string> = {}, input?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnLapwing(args, env, input === undefined ? "ignore" : "pipe");
    if (input !== undefined) child.stdin!.end(input);
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d) => (stdout += d));
    child.stderr!.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Starts `lapwing serve` on a free port and resolves with its URL once it
 * prints it. Its output keeps being drained (so the child never blocks on a
 * full pipe); `onLog` receives what it writes to stderr after start-up.
 */
export function startServeProcess(
  databaseUrl: string,
  env: Record<string, string> = {},
  options: { onLog?: (text: string) => void; startTimeoutMs?: number } = {},
): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const child = spawnLapwing(["--database", databaseUrl, "serve", "--port", "0"], env);
  child.stdout!.resume();
  return new Promise((resolve, reject) => {
    let stderr = "";
    let timer: NodeJS.Timeout | undefined = setTimeout(() => reject(new Error(`lapwing serve did not start:\n${stderr}`)), options.startTimeoutMs ?? 30_000);
    child.stderr!.on("data", (d) => {
      if (timer === undefined) return options.onLog?.(String(d));
      stderr += d;
      const match = /running at (http:\/\/\S+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        timer = undefined;
        resolve({
          url: match[1]!,
          child,
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null) return done();
              child.once("exit", () => done());
              child.kill("SIGTERM");
            }),
        });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`lapwing serve exited with ${code}:\n${stderr}`));
    });
  });
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, options: { timeoutMs: number; intervalMs?: number }): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 50));
  }
}
