import { sql, type Kysely, type Transaction } from "kysely";
import { currentSeq, firstSeqOf, type DialectName, type SeqBlock } from "../store/index.js";
import type { ActionTables } from "./tables.js";

export type ActionRow = ActionTables["actions"];
type Db = Kysely<ActionTables> | Transaction<ActionTables>;

/** The `counters` row holding the webhook outbox cursor: the last action `seq` handed to the delivery queue. */
const outboxCursor = "webhook_outbox";

/** All SQL for actions. Rows are inserted once; only `delivered_at` is ever set afterwards. */
export function createActionRepository(db: Kysely<ActionTables>, dialect: DialectName) {
  return {
    db,

    /**
     * Inserts actions whose idempotency key is new, numbering them from the
     * global counter inside `trx` (so they commit in feed order); returns the
     * rows inserted. Keys already present are skipped, whoever wrote them.
     */
    async insertNew(trx: Db, rows: Array<Omit<ActionRow, "seq">>): Promise<ActionRow[]> {
      return this.insertNumbered(trx, await this.withNewKeys(trx, rows));
    },

    /** The rows whose idempotency key no committed action has, each key once (the first request for a key wins). */
    async withNewKeys<R extends { idempotency_key: string }>(trx: Db, rows: readonly R[]): Promise<R[]> {
      if (rows.length === 0) return [];
      const existing = new Set(
        (
          await trx
            .selectFrom("actions")
            .select("idempotency_key")
            .where(
              "idempotency_key",
              "in",
              rows.map((r) => r.idempotency_key),
            )
            .execute()
        ).map((r) => r.idempotency_key),
      );
      const fresh: R[] = [];
      for (const row of rows) {
        if (existing.has(row.idempotency_key)) continue;
        existing.add(row.idempotency_key);
        fresh.push(row);
      }
      return fresh;
    },

    /**
     * Inserts rows `withNewKeys` kept, numbered from `numbers` (a block of `seq`
     * the transaction took, `rows.length` values of it) or from the counter.
     */
    async insertNumbered(trx: Db, rows: ReadonlyArray<Omit<ActionRow, "seq">>, numbers?: SeqBlock): Promise<ActionRow[]> {
      if (rows.length === 0) return [];
      const first = await firstSeqOf(trx as Transaction<unknown>, rows.length, numbers);
      const numbered = rows.map((row, i) => ({ ...row, seq: first + i }));
      // A key committed after `withNewKeys` read is a backstop case: a writer of the same key holds the same
      // case's row lock (or waits on the counter lock we hold), so the conflict clause rarely has anything to skip.
      return trx
        .insertInto("actions")
        .values(numbered)
        .onConflict((oc) => oc.column("idempotency_key").doNothing())
        .returningAll()
        .execute();
    },

    async find(id: string, trx: Db = db): Promise<ActionRow | undefined> {
      return trx.selectFrom("actions").selectAll().where("id", "=", id).executeTakeFirst();
    },

    async listAfter(after: number, limit: number, filter: { accountId?: string; caseId?: string } = {}): Promise<ActionRow[]> {
      let query = db.selectFrom("actions").selectAll().where("seq", ">", after);
      if (filter.accountId) query = query.where("account_id", "=", filter.accountId);
      if (filter.caseId) query = query.where("case_id", "=", filter.caseId);
      return query.orderBy("seq").limit(limit).execute();
    },

    async forCase(trx: Db, caseId: string): Promise<ActionRow[]> {
      return trx.selectFrom("actions").selectAll().where("case_id", "=", caseId).orderBy("seq").execute();
    },

    /**
     * Takes the webhook outbox cursor for the rest of `trx`, creating it at
     * `startAt` the first time; undefined when another process holds it now
     * (PostgreSQL: `FOR UPDATE SKIP LOCKED`, so drainers never wait for each
     * other). On SQLite the first statement is a write, so the transaction
     * holds the write lock from the start and cannot fail to upgrade later.
     */
    async lockOutboxCursor(trx: Transaction<ActionTables>, startAt: () => Promise<number>): Promise<number | undefined> {
      if (dialect === "sqlite") await sql`update counters set value = value where name = ${outboxCursor}`.execute(trx);
      let select = trx.selectFrom("counters").select("value").where("name", "=", outboxCursor);
      if (dialect === "postgres") select = select.forUpdate().skipLocked();
      const held = await select.executeTakeFirst();
      if (held) return Number(held.value);
      const created = await trx
        .insertInto("counters")
        .values({ name: outboxCursor, value: await startAt() })
        .onConflict((oc) => oc.column("name").doNothing())
        .returning("value")
        .executeTakeFirst();
      // No row came back: it exists and another drainer holds it.
      return created ? Number(created.value) : undefined;
    },

    async moveOutboxCursor(trx: Transaction<ActionTables>, to: number): Promise<void> {
      await trx.updateTable("counters").set({ value: to }).where("name", "=", outboxCursor).execute();
    },

    /** The outbox cursor, or undefined before any process delivered webhooks. */
    async outboxCursor(): Promise<number | undefined> {
      const row = await db.selectFrom("counters").select("value").where("name", "=", outboxCursor).executeTakeFirst();
      return row ? Number(row.value) : undefined;
    },

    /** The newest `seq` handed out: every action at or below it has committed (see allocateSeq). */
    currentSeq: (trx: Db = db) => currentSeq(trx as Kysely<unknown>),

    /** Undelivered actions with `after < seq ≤ upTo`, oldest first. */
    async undeliveredBetween(trx: Db, after: number, upTo: number, limit: number): Promise<Array<{ id: string; seq: number }>> {
      const rows = await trx
        .selectFrom("actions")
        .select(["id", "seq"])
        .where("seq", ">", after)
        .where("seq", "<=", upTo)
        .where("delivered_at", "is", null)
        .orderBy("seq")
        .limit(limit)
        .execute();
      return rows.map((r) => ({ id: r.id, seq: Number(r.seq) }));
    },

    async countUndeliveredAfter(after: number): Promise<number> {
      const row = await db
        .selectFrom("actions")
        .select((eb) => eb.fn.countAll<number | string>().as("n"))
        .where("seq", ">", after)
        .where("delivered_at", "is", null)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async markDelivered(id: string, at: string): Promise<void> {
      await db.updateTable("actions").set({ delivered_at: at }).where("id", "=", id).where("delivered_at", "is", null).execute();
    },
  };
}

export type ActionRepository = ReturnType<typeof createActionRepository>;
