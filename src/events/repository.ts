import { sql, type Kysely, type Transaction } from "kysely";
import type { EventTables } from "./tables.js";

type Db = Kysely<EventTables> | Transaction<EventTables>;
export type EventRow = EventTables["events"];

// PostgreSQL allows 65535 bind parameters and SQLite 32766; 10 columns × 500 rows stays well under both.
const insertBatchRows = 500;

/** All SQL for platform events. */
export function createEventRepository(db: Kysely<EventTables>) {
  return {
    transaction<T>(fn: (trx: Transaction<EventTables>) => Promise<T>): Promise<T> {
      return db.transaction().execute(fn);
    },

    /** Inserts events whose id is new; returns the ids actually inserted (a re-sent id is skipped). */
    async insertNew(trx: Db, rows: EventRow[]): Promise<string[]> {
      const inserted: string[] = [];
      for (let start = 0; start < rows.length; start += insertBatchRows) {
        const result = await trx
          .insertInto("events")
          .values(rows.slice(start, start + insertBatchRows))
          .onConflict((oc) => oc.column("id").doNothing())
          .returning("id")
          .execute();
        for (const row of result) inserted.push(row.id);
      }
      return inserted;
    },

    /** The account's profile events (created, updated), oldest first, at most `limit` of the newest. */
    async profileEvents(accountId: string, limit: number): Promise<EventRow[]> {
      const rows = await db
        .selectFrom("events")
        .selectAll()
        .where("subject_id", "=", accountId)
        .where("type", "in", ["account.created", "account.updated"])
        .orderBy("occurred_at", "desc")
        .orderBy("id", "desc")
        .limit(limit)
        .execute();
      return rows.reverse();
    },

    /** The stored events among `ids` (a batch's), in no particular order. */
    async findMany(ids: readonly string[]): Promise<EventRow[]> {
      const rows: EventRow[] = [];
      for (let start = 0; start < ids.length; start += insertBatchRows) {
        rows.push(...(await db.selectFrom("events").selectAll().where("id", "in", ids.slice(start, start + insertBatchRows)).execute()));
      }
      return rows;
    },

    async find(id: string): Promise<EventRow | undefined> {
      return db.selectFrom("events").selectAll().where("id", "=", id).executeTakeFirst();
    },

    /** The account's newest profile event (`account.created` / `account.updated`), for the evidence vault. */
    async latestAccountEvent(accountId: string): Promise<EventRow | undefined> {
      return db
        .selectFrom("events")
        .selectAll()
        .where("subject_id", "=", accountId)
        .where("type", "in", ["account.created", "account.updated"])
        .orderBy("occurred_at", "desc")
        .orderBy("received_at", "desc")
        .limit(1)
        .executeTakeFirst();
    },

    /**
     * Records the signals of many events in one statement per 500 (a batch's),
     * each only if it is not processed yet (the first writer wins, as in
     * {@link recordSignals}); returns the ids whose row changed.
     */
    async recordSignalsMany(trx: Db, changes: ReadonlyArray<{ id: string; processedAt: string; signals: string; payload: string }>): Promise<Set<string>> {
      const written = new Set<string>();
      for (let start = 0; start < changes.length; start += insertBatchRows) {
        const rows = changes.slice(start, start + insertBatchRows).map((c) => sql`(${c.id}, ${c.processedAt}, ${c.signals}, ${c.payload})`);
        // VALUES columns are named column1… by both SQLite (3.33+ for UPDATE … FROM) and PostgreSQL.
        const result = await sql<{ id: string }>`
          update events set processed_at = v.column2, signals = v.column3, payload = v.column4
          from (values ${sql.join(rows)}) as v
          where events.id = v.column1 and events.processed_at is null
          returning events.id`.execute(trx);
        for (const row of result.rows) written.add(row.id);
      }
      return written;
    },

    /**
     * Records an event's signals. Without `overwrite` only the first writer
     * wins (`processed_at is null`), so a second delivery of the same job is a
     * no-op; returns whether the row changed.
     */
    async recordSignals(trx: Db, id: string, change: { processedAt: string; signals: string; payload: string }, overwrite: boolean): Promise<boolean> {
      let query = trx
        .updateTable("events")
        .set({ processed_at: change.processedAt, signals: change.signals, payload: change.payload })
        .where("id", "=", id);
      if (!overwrite) query = query.where("processed_at", "is", null);
      const result = await query.executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}

export type EventRepository = ReturnType<typeof createEventRepository>;
