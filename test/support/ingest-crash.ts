// What the tests that kill an ingesting process share: the synthetic posts
// they ingest, how far a store has got, and killing the process once it is
// mid-way (never before it started, never after it finished).
import type { ChildProcess } from "node:child_process";
import { sql, type Kysely } from "kysely";
import { waitFor } from "./cli.js";

/** `total` plain posts with ids `evt-0`…, spread over 500 authors: nothing in them matches anything. */
export function syntheticPosts(total: number): Array<Record<string, unknown>> {
  return Array.from({ length: total }, (_, i) => ({ id: `evt-${i}`, type: "post.created", occurred_at: "2026-01-01T00:00:00Z", post: { id: `p${i}`, author_id: `a${i % 500}`, text: `post number ${i}` } }));
}

/** Events stored, and processing jobs of the `events` queue. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function storedCounts(db: Kysely<any>): Promise<{ events: number; jobs: number }> {
  const events = await sql<{ n: string | number }>`select count(*) as n from events`.execute(db);
  const jobs = await sql<{ n: string | number }>`select count(*) as n from jobs where queue = 'events'`.execute(db);
  return { events: Number(events.rows[0]!.n), jobs: Number(jobs.rows[0]!.n) };
}

/**
 * SIGKILLs `child` as soon as `minEvents` events are stored and waits for it
 * to exit; fails, with what it printed, if it exited on its own first.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function killOnceStored(child: ChildProcess, db: Kysely<any>, minEvents: number): Promise<void> {
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  await waitFor(
    "the first batches to be stored",
    async () => {
      if (child.exitCode !== null) throw new Error(`the process finished before it could be killed:\n${stderr}`);
      return (await storedCounts(db)).events >= minEvents ? true : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 10 },
  );
  child.kill("SIGKILL");
  await exited;
}
