import { sql, type Kysely, type Transaction } from "kysely";
import type { EventTables } from "./tables.js";
import { scopedKey, splitScopedKey } from "./tenancy.js";

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

    /**
     * Inserts events whose (platform, id) is new; returns the scoped keys (tenancy.ts) of those
     * actually inserted (a re-sent event is skipped).
     */
    async insertNew(trx: Db, rows: EventRow[]): Promise<string[]> {
      const inserted: string[] = [];
      for (let start = 0; start < rows.length; start += insertBatchRows) {
        const result = await trx
          .insertInto("events")
          .values(rows.slice(start, start + insertBatchRows))
          .onConflict((oc) => oc.columns(["platform_id", "id"]).doNothing())
          .returning(["platform_id", "id"])
          .execute();
        for (const row of result) inserted.push(scopedKey(row.platform_id, row.id));
      }
      return inserted;
    },

    /** The account's (by scoped key, tenancy.ts) profile events (created, updated), oldest first, at most `limit` of the newest. */
    async profileEvents(accountKey: string, limit: number): Promise<EventRow[]> {
      const { platformId, id } = splitScopedKey(accountKey);
      const rows = await db
        .selectFrom("events")
        .selectAll()
        .where("platform_id", "=", platformId)
        .where("subject_id", "=", id)
        .where("type", "in", ["account.created", "account.updated"])
        .orderBy("occurred_at", "desc")
        .orderBy("id", "desc")
        .limit(limit)
        .execute();
      return rows.reverse();
    },

    /** The stored events among `keys` (scoped keys, a batch's), in no particular order. */
    async findMany(keys: readonly string[]): Promise<EventRow[]> {
      const rows: EventRow[] = [];
      for (let start = 0; start < keys.length; start += insertBatchRows) {
        const pairs = keys.slice(start, start + insertBatchRows).map(splitScopedKey);
        rows.push(
          ...(await db
            .selectFrom("events")
            .selectAll()
            .where((eb) => eb(eb.refTuple("platform_id", "id"), "in", pairs.map((p) => eb.tuple(p.platformId, p.id))))
            .execute()),
        );
      }
      return rows;
    },

    /** The event a scoped key (tenancy.ts) names. */
    async find(key: string): Promise<EventRow | undefined> {
      const { platformId, id } = splitScopedKey(key);
      return db.selectFrom("events").selectAll().where("platform_id", "=", platformId).where("id", "=", id).executeTakeFirst();
    },

    /** The account's (by scoped key, tenancy.ts) newest profile event (`account.created` / `account.updated`), for the evidence vault. */
    async latestAccountEvent(accountKey: string): Promise<EventRow | undefined> {
      const { platformId, id } = splitScopedKey(accountKey);
      return db
        .selectFrom("events")
        .selectAll()
        .where("platform_id", "=", platformId)
        .where("subject_id", "=", id)
        .where("type", "in", ["account.created", "account.updated"])
        .orderBy("occurred_at", "desc")
        .orderBy("received_at", "desc")
        .limit(1)
        .executeTakeFirst();
    },

    /**
     * Records the signals of many events in one statement per 500 (a batch's),
     * each only if it is not processed yet (the first writer wins, as in
     * {@link recordSignals}); `key` is the event's scoped key, and so are the keys returned, those whose row changed.
     */
    async recordSignalsMany(trx: Db, changes: ReadonlyArray<{ key: string; processedAt: string; signals: string; payload: string }>): Promise<Set<string>> {
      const written = new Set<string>();
      for (let start = 0; start < changes.length; start += insertBatchRows) {
        const rows = changes.slice(start, start + insertBatchRows).map((c) => {
          const { platformId, id } = splitScopedKey(c.key);
          return sql`(${platformId}, ${id}, ${c.processedAt}, ${c.signals}, ${c.payload})`;
        });
        // VALUES columns are named column1… by both SQLite (3.33+ for UPDATE … FROM) and PostgreSQL.
        const result = await sql<{ platform_id: string; id: string }>`
          update events set processed_at = v.column3, signals = v.column4, payload = v.column5
          from (values ${sql.join(rows)}) as v
          where events.platform_id = v.column1 and events.id = v.column2 and events.processed_at is null
          returning events.platform_id, events.id`.execute(trx);
        for (const row of result.rows) written.add(scopedKey(row.platform_id, row.id));
      }
      return written;
    },

    /**
     * Records an event's signals. Without `overwrite` only the first writer
     * wins (`processed_at is null`), so a second delivery of the same job is a
     * no-op; returns whether the row changed.
     */
    async recordSignals(trx: Db, key: string, change: { processedAt: string; signals: string; payload: string }, overwrite: boolean): Promise<boolean> {
      const { platformId, id } = splitScopedKey(key);
      let query = trx
        .updateTable("events")
        .set({ processed_at: change.processedAt, signals: change.signals, payload: change.payload })
        .where("platform_id", "=", platformId)
        .where("id", "=", id);
      if (!overwrite) query = query.where("processed_at", "is", null);
      const result = await query.executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}

export type EventRepository = ReturnType<typeof createEventRepository>;
