import { sql, type CompiledQuery, type Kysely, type Transaction } from "kysely";
import type { DialectName, Store } from "../store/index.js";
import type { JobTables } from "./tables.js";

type Db = Kysely<JobTables> | Transaction<JobTables>;
export type JobRow = JobTables["jobs"];

// PostgreSQL allows 65535 bind parameters and SQLite 32766; 10 columns × 500 rows stays well under both.
const insertBatchRows = 500;

// Written as literals, not bound parameters, so both planners can prove the
// query matches the partial index `jobs_claimable` (see migration 0004).
const claimableState = sql<boolean>`state in ('ready', 'running')`;

/**
 * All SQL for the job queue. Times are epoch milliseconds, except the ISO `created_at` and `finished_at`.
 * Given SQLite's connection (`native`), claims commit without waiting for the disk (see `runClaim`).
 */
export function createJobRepository(db: Kysely<JobTables>, dialect: DialectName, native?: Store["native"]) {
  const sqlite = dialect === "sqlite" ? native?.sqlite : undefined;

  /**
   * Runs a claim (one statement, its own transaction) with `synchronous = NORMAL` on SQLite: committed
   * without a sync of the log, which with `FULL` cost as much again as the sync of the batch the claim
   * feeds. A claim is a lease, not a result: lost to a power cut or an OS crash (never to a crash of
   * Lapwing alone), its jobs are only handed out again, and their effects are idempotent; the next synced
   * commit makes it durable anyway, the log being written in order. The setting is restored before
   * anything else can use the connection (all of this runs synchronously, holding it).
   */
  async function runClaim<R>(query: { compile(): CompiledQuery<R>; execute(): Promise<R[]> }): Promise<R[]> {
    if (!sqlite) return query.execute();
    const { sql: text, parameters } = query.compile();
    return db.connection().execute(async () => {
      const previous = sqlite.pragma("synchronous", { simple: true }) as number;
      sqlite.pragma("synchronous = NORMAL");
      try {
        return sqlite.prepare(text).all(...parameters) as R[];
      } finally {
        sqlite.pragma(`synchronous = ${previous}`);
      }
    });
  }

  return {
    /** Inserts jobs whose (queue, key) is new; returns the ids actually inserted. */
    async insert(trx: Db, rows: JobRow[]): Promise<string[]> {
      const inserted: string[] = [];
      for (let start = 0; start < rows.length; start += insertBatchRows) {
        const result = await trx
          .insertInto("jobs")
          .values(rows.slice(start, start + insertBatchRows))
          .onConflict((oc) => oc.columns(["queue", "idempotency_key"]).doNothing())
          .returning("id")
          .execute();
        for (const row of result) inserted.push(row.id);
      }
      return inserted;
    },

    async findByKey(trx: Db, queue: string, key: string): Promise<JobRow | undefined> {
      return trx.selectFrom("jobs").selectAll().where("queue", "=", queue).where("idempotency_key", "=", key).executeTakeFirst();
    },

    async find(id: string): Promise<JobRow | undefined> {
      return db.selectFrom("jobs").selectAll().where("id", "=", id).executeTakeFirst();
    },

    /**
     * Takes up to `limit` due jobs (ready, or running with an expired lease) in
     * due order and leases them to `worker` until `leaseUntil`, in one
     * statement, so one transaction. Jobs whose lease ran out on their last
     * allowed attempt (the worker died on them, perhaps because of them) are
     * dead-lettered instead of being delivered again, and are not returned.
     */
    async claim(queue: string, worker: string, limit: number, now: number, leaseUntil: number, deadAt: string): Promise<JobRow[]> {
      let due = db
        .selectFrom("jobs")
        .select("id")
        .where("queue", "=", queue)
        .where(claimableState)
        .where("run_at", "<=", now)
        // run_at alone, so the claimable index gives the order and the LIMIT stops the scan. Adding `id`
        // made PostgreSQL sort every waiting job on each claim while the table had no statistics yet
        // (29 ms a claim at 18k jobs, against 0.04 ms; bench/README.md). Equal run_at values come back in
        // index order, which is insertion order near enough.
        .orderBy("run_at")
        .limit(limit);
      // PostgreSQL: concurrent claimers skip each other's locked rows instead
      // of waiting for them or taking the same ones; a row another claimer
      // committed meanwhile is re-checked against the WHERE and dropped.
      // SQLite runs one writer at a time, so the statement is atomic as it is.
      if (dialect === "postgres") due = due.forUpdate().skipLocked();
      const claimed = await runClaim(
        db
          .updateTable("jobs")
          .set((eb) => ({
            state: "running",
            attempts: eb("attempts", "+", 1),
            locked_by: worker,
            locked_until: leaseUntil,
            // While running, run_at is the lease end: one index finds both due
            // and abandoned jobs.
            run_at: leaseUntil,
          }))
          .where("id", "in", due)
          .returningAll(),
      );

      // Not in a transaction with the claim, on purpose: a claim must not hold
      // SQLite's write lock across an await. If this step is lost, the job
      // stays leased to us and the next claim after the lease dead-letters it.
      const exhausted = claimed.filter((row) => row.attempts > row.max_attempts).map((row) => row.id);
      if (exhausted.length > 0) {
        await db
          .updateTable("jobs")
          .set({
            state: "dead",
            attempts: sql<number>`max_attempts`,
            locked_by: null,
            locked_until: null,
            finished_at: deadAt,
            last_error: "The lease expired on the last allowed attempt: the worker stopped (crashed or was killed) or the handler ran longer than leaseMs.",
          })
          .where("id", "in", exhausted)
          .where("state", "=", "running")
          .where("locked_by", "=", worker)
          .execute();
      }
      // RETURNING gives the new run_at (the lease end), so the due order is
      // lost within a batch; ids give creation order instead.
      return claimed.filter((row) => row.attempts <= row.max_attempts).sort((a, b) => (a.id < b.id ? -1 : 1));
    },

    /** Marks a job done if `worker` still holds it; false when it does not. */
    async complete(id: string, worker: string, finishedAt: string): Promise<boolean> {
      const result = await db
        .updateTable("jobs")
        .set({ state: "done", locked_by: null, locked_until: null, finished_at: finishedAt })
        .where("id", "=", id)
        .where("state", "=", "running")
        .where("locked_by", "=", worker)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    /**
     * Marks done, in the caller's transaction, those of `ids` that `worker`
     * still holds; returns their ids. A job whose lease was taken over is
     * left to its new holder (which finds its work already committed).
     */
    async completeMany(trx: Db, ids: readonly string[], worker: string, finishedAt: string): Promise<string[]> {
      const done: string[] = [];
      for (let start = 0; start < ids.length; start += insertBatchRows) {
        const rows = await trx
          .updateTable("jobs")
          .set({ state: "done", locked_by: null, locked_until: null, finished_at: finishedAt })
          .where("id", "in", ids.slice(start, start + insertBatchRows))
          .where("state", "=", "running")
          .where("locked_by", "=", worker)
          .returning("id")
          .execute();
        for (const row of rows) done.push(row.id);
      }
      return done;
    },

    /** Extends the lease of those of `ids` that `worker` still holds to `leaseUntil`; returns how many. */
    async extend(ids: readonly string[], worker: string, leaseUntil: number): Promise<number> {
      let extended = 0;
      for (let start = 0; start < ids.length; start += insertBatchRows) {
        const result = await db
          .updateTable("jobs")
          .set({ locked_until: leaseUntil, run_at: leaseUntil })
          .where("id", "in", ids.slice(start, start + insertBatchRows))
          .where("state", "=", "running")
          .where("locked_by", "=", worker)
          .executeTakeFirst();
        extended += Number(result.numUpdatedRows);
      }
      return extended;
    },

    async findHeld(id: string, worker: string): Promise<JobRow | undefined> {
      return db
        .selectFrom("jobs")
        .selectAll()
        .where("id", "=", id)
        .where("state", "=", "running")
        .where("locked_by", "=", worker)
        .executeTakeFirst();
    },

    /**
     * Releases a failed job held by `worker` at attempt `attempts`: back to
     * ready at `runAt`, or dead when `runAt` is null. The attempt check makes a
     * late report from a worker whose lease was taken over a no-op.
     */
    async release(id: string, worker: string, attempts: number, change: { runAt: number | null; error: string; at: string }): Promise<boolean> {
      const final = change.runAt === null;
      const result = await db
        .updateTable("jobs")
        .set({
          state: final ? "dead" : "ready",
          run_at: change.runAt ?? sql<number>`run_at`,
          locked_by: null,
          locked_until: null,
          last_error: change.error,
          finished_at: final ? change.at : null,
        })
        .where("id", "=", id)
        .where("state", "=", "running")
        .where("locked_by", "=", worker)
        .where("attempts", "=", attempts)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    /**
     * Gives a job `worker` holds back unprocessed, due at `now`, with its
     * attempt uncounted: a worker shutting down hands back what it could not
     * finish so another takes it at once instead of after the lease.
     */
    async giveBack(id: string, worker: string, now: number): Promise<boolean> {
      const result = await db
        .updateTable("jobs")
        .set((eb) => ({ state: "ready", run_at: now, attempts: eb("attempts", "-", 1), locked_by: null, locked_until: null }))
        .where("id", "=", id)
        .where("state", "=", "running")
        .where("locked_by", "=", worker)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async listDead(queue: string, limit: number, after: string | undefined): Promise<JobRow[]> {
      let query = db.selectFrom("jobs").selectAll().where("queue", "=", queue).where("state", "=", "dead");
      if (after !== undefined) query = query.where("id", ">", after);
      return query.orderBy("id").limit(limit).execute();
    },

    /** Puts a dead job back as new: ready now, attempts from zero. Undefined when it is not dead. */
    async revive(id: string, now: number): Promise<JobRow | undefined> {
      return db
        .updateTable("jobs")
        .set({ state: "ready", attempts: 0, run_at: now, locked_by: null, locked_until: null, finished_at: null })
        .where("id", "=", id)
        .where("state", "=", "dead")
        .returningAll()
        .executeTakeFirst();
    },

    /** Row counts per queue and state, with the earliest due time among those already due. */
    async countByState(now: number): Promise<Array<{ queue: string; state: string; count: number; earliestDue: number | null }>> {
      const rows = await db
        .selectFrom("jobs")
        .select((eb) => [
          "queue",
          "state",
          eb.fn.countAll<string | number>().as("count"),
          sql<string | number | null>`min(case when run_at <= ${now} then run_at end)`.as("earliest_due"),
        ])
        .groupBy(["queue", "state"])
        .execute();
      return rows.map((row) => ({
        queue: row.queue,
        state: row.state,
        count: Number(row.count),
        earliestDue: row.earliest_due === null ? null : Number(row.earliest_due),
      }));
    },
  };
}

export type JobRepository = ReturnType<typeof createJobRepository>;
