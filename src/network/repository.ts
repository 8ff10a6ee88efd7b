import { sql, type Kysely, type Transaction } from "kysely";
import { minorAgeBands, scopedKey, splitScopedKey } from "../events/index.js";
import { allocateSeq, currentSeq, type Store } from "../store/index.js";
import type { NetworkTables } from "./tables.js";

type Db = Kysely<NetworkTables> | Transaction<NetworkTables>;
export type EdgeRow = NetworkTables["graph_edges"];
export type SeedRow = NetworkTables["network_seeds"];

// 6 columns × 1000 rows stays under both dialects' bind-parameter limits.
const insertBatchRows = 1000;
// Lists bound into `in (...)`.
const lookupBatch = 500;

// Rows per statement run of the SQLite edge insert: one run of a 64-row statement costs far less than 64 runs of a
// one-row statement (binding and the call into the driver are per run), and 384 parameters stay under SQLite's limit.
const sqliteRowsPerRun = 64;

/**
 * The SQLite edge insert: prepared statements of {@link sqliteRowsPerRun} rows,
 * the rest row by row. Rows whose event id is already stored are skipped by
 * `on conflict do nothing`; when a run writes fewer rows than it was given, the
 * rows it wrote are found by their `seq`, which this transaction allocated
 * (a skipped row keeps the `seq` it was first written with).
 */
function sqliteEdgeInserter(sqlite: NonNullable<Store["native"]["sqlite"]>) {
  const insertSql = (rowCount: number) =>
    `insert into graph_edges (event_id, seq, kind, src, dst, occurred_at) values ${Array.from({ length: rowCount }, () => "(?, ?, ?, ?, ?, ?)").join(", ")} on conflict (event_id) do nothing`;
  const many = sqlite.prepare(insertSql(sqliteRowsPerRun));
  const one = sqlite.prepare(insertSql(1));
  const written = sqlite.prepare("select seq from graph_edges where event_id = ?").pluck(true);
  const params: unknown[] = new Array(6 * sqliteRowsPerRun);
  return (rows: ReadonlyArray<Omit<EdgeRow, "seq">>, first: number): string[] => {
    const inserted: string[] = [];
    let i = 0;
    for (; i + sqliteRowsPerRun <= rows.length; i += sqliteRowsPerRun) {
      for (let j = 0; j < sqliteRowsPerRun; j++) {
        const row = rows[i + j]!;
        const at = 6 * j;
        params[at] = row.event_id;
        params[at + 1] = first + i + j;
        params[at + 2] = row.kind;
        params[at + 3] = row.src;
        params[at + 4] = row.dst;
        params[at + 5] = row.occurred_at;
      }
      const changes = many.run(params).changes;
      for (let j = 0; j < sqliteRowsPerRun; j++) {
        const row = rows[i + j]!;
        if (changes === sqliteRowsPerRun || Number(written.get(row.event_id)) === first + i + j) inserted.push(row.event_id);
      }
    }
    for (; i < rows.length; i++) {
      const row = rows[i]!;
      if (one.run(row.event_id, first + i, row.kind, row.src, row.dst, row.occurred_at).changes > 0) inserted.push(row.event_id);
    }
    return inserted;
  };
}

/** One edge row as the feed reads it: `[seq, kind, src, dst, occurred_at]`. */
export type EdgeTuple = readonly [number | string, string, string, string, string];

const feedColumns = "seq, kind, src, dst, occurred_at";

/**
 * All SQL of the network service. `native` (the store's driver) lets the edge
 * feed skip the query builder: ten million rows as kysely objects cost a
 * minute, as raw arrays from a prepared statement a fraction of that.
 */
export function createNetworkRepository(db: Kysely<NetworkTables>, native?: Store["native"]) {
  const feedStatement = native?.sqlite?.prepare(`select ${feedColumns} from graph_edges where seq > ? order by seq limit ?`).raw(true);
  // Run inside the caller's kysely transaction: SQLite has one connection, and the transaction holds it.
  const sqliteInsert = native?.sqlite && sqliteEdgeInserter(native.sqlite);
  return {
    transaction<T>(fn: (trx: Transaction<NetworkTables>) => Promise<T>): Promise<T> {
      return db.transaction().execute(fn);
    },

    /**
     * Writes edge rows whose event id is new, numbered from the edges' own
     * counter inside the caller's transaction; returns the event ids written.
     */
    async insertEdges(trx: Db, rows: ReadonlyArray<Omit<EdgeRow, "seq">>): Promise<string[]> {
      if (rows.length === 0) return [];
      const first = await allocateSeq(trx as Transaction<unknown>, rows.length, "graph_seq");
      const inserted: string[] = [];
      if (sqliteInsert) return sqliteInsert(rows, first);
      if (native?.pool) {
        // Five array parameters instead of six per row: no statement of thousands of parameters to build and parse; the
        // feed positions are numbered in the database. Only a count comes back: which rows were new is asked only when
        // some were not (a re-sent batch), by the feed positions this transaction allocated.
        const eventIds = rows.map((r) => r.event_id);
        const result = await sql`
          insert into graph_edges (event_id, seq, kind, src, dst, occurred_at)
          select event_id, ${first}::bigint + position - 1, kind, src, dst, occurred_at
          from unnest(${eventIds}::text[], ${rows.map((r) => r.kind)}::text[], ${rows.map((r) => r.src)}::text[], ${rows.map((r) => r.dst)}::text[],
                      ${rows.map((r) => r.occurred_at)}::text[]) with ordinality as batch(event_id, kind, src, dst, occurred_at, position)
          on conflict (event_id) do nothing`.execute(trx);
        if (Number(result.numAffectedRows) === rows.length) return eventIds;
        const written = await sql<{ event_id: string }>`
          select event_id from graph_edges where event_id = any(${eventIds}::text[]) and seq between ${first} and ${first + rows.length - 1}`.execute(trx);
        const isNew = new Set(written.rows.map((row) => row.event_id)); // deleted as found: an id twice in the batch is new once
        return eventIds.filter((id) => isNew.delete(id));
      }
      for (let start = 0; start < rows.length; start += insertBatchRows) {
        const values = rows.slice(start, start + insertBatchRows).map((row, i) => ({ ...row, seq: first + start + i }));
        const result = await trx.insertInto("graph_edges").values(values).onConflict((oc) => oc.column("event_id").doNothing()).returning("event_id").execute();
        for (const row of result) inserted.push(row.event_id);
      }
      return inserted;
    },

    async findEdge(eventId: string): Promise<EdgeRow | undefined> {
      return db.selectFrom("graph_edges").selectAll().where("event_id", "=", eventId).executeTakeFirst();
    },

    /**
     * Up to `limit` edge rows after a feed position, in feed order, as arrays.
     * SQLite: one prepared statement, rows as arrays (a page is read whole, so
     * the connection is free again between pages). PostgreSQL: the same keyset
     * page through pg with array rows.
     */
    async edgesAfter(cursor: number, limit: number): Promise<EdgeTuple[]> {
      if (feedStatement) return feedStatement.all(cursor, limit) as EdgeTuple[];
      if (native?.pool) {
        const result = await native.pool.query({ text: `select ${feedColumns} from graph_edges where seq > $1 order by seq limit $2`, values: [cursor, limit], rowMode: "array" });
        return result.rows as unknown as EdgeTuple[];
      }
      const rows = await db.selectFrom("graph_edges").selectAll().where("seq", ">", cursor).orderBy("seq").limit(limit).execute();
      return rows.map((r) => [r.seq, r.kind, r.src, r.dst, r.occurred_at] as const);
    },

    /** How many edges the feed holds after `cursor`: what a large catch-up will fold. */
    async edgeCountAfter(cursor: number): Promise<number> {
      const row = await db.selectFrom("graph_edges").select((eb) => eb.fn.countAll().as("n")).where("seq", ">", cursor).executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    /** The newest value of the edges' counter: every edge at or below it is visible once read after. */
    currentSeq(): Promise<number> {
      return currentSeq(db as Kysely<unknown>, "graph_seq");
    },

    async upsertSeed(trx: Db, row: SeedRow): Promise<void> {
      await trx
        .insertInto("network_seeds")
        .values(row)
        .onConflict((oc) => oc.column("account_id").doUpdateSet({ polarity: row.polarity, reason: row.reason, actor: row.actor, created_at: row.created_at, seq: row.seq }))
        .execute();
    },

    async findSeed(trx: Db, accountId: string): Promise<SeedRow | undefined> {
      return trx.selectFrom("network_seeds").selectAll().where("account_id", "=", accountId).executeTakeFirst();
    },

    async deleteSeed(trx: Db, accountId: string): Promise<boolean> {
      const result = await trx.deleteFrom("network_seeds").where("account_id", "=", accountId).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    async seeds(): Promise<SeedRow[]> {
      return db.selectFrom("network_seeds").selectAll().orderBy("account_id").execute();
    },

    /** Reviewers' confirmations and dismissals, newest last (a later decision about the same account wins). */
    async reviewedAccounts(): Promise<{ account_id: string; outcome: string | null; outcome_category: string | null; decided_at: string | null; restricted: number }[]> {
      return db
        .selectFrom("cases")
        .select(["account_id", "outcome", "outcome_category", "decided_at", "restricted"])
        .where("state", "=", "decided")
        .where("outcome", "in", ["confirm", "dismiss"])
        .orderBy("decided_at")
        .execute();
    },

    /** Accounts the platform gave a minor's age band (not every account: a million row objects were the scoring thread's peak heap). */
    async ageBands(): Promise<{ id: string; age_band: string | null; age_source: string | null }[]> {
      return db.selectFrom("accounts").select(["id", "age_band", "age_source"]).where("age_band", "in", [...minorAgeBands]).execute();
    },

    /** Every automated decision's account and signals: the content evidence about accounts. */
    async decisionSignals(): Promise<{ account_id: string; event_id: string; signals: string }[]> {
      return db.selectFrom("decisions").select(["account_id", "event_id", "signals"]).execute();
    },

    /** Actions in force against accounts and content (a reversed action is not in force). */
    async actionsInForce(): Promise<{ id: string; kind: string; account_id: string; target_type: string; target_id: string }[]> {
      const reversed = db.selectFrom("actions").select("reverses").where("reverses", "is not", null);
      return db
        .selectFrom("actions")
        .select(["id", "kind", "account_id", "target_type", "target_id"])
        .where("kind", "in", ["account.suspend", "account.safeguard", "content.hold", "content.block", "content.remove"])
        .where("id", "not in", reversed as never)
        .execute();
    },

    /**
     * Profile events, a page at a time in key order (platform, then id: ids repeat across platforms),
     * after the event `after` (from the start when undefined); the caller folds them by time.
     */
    async profileEvents(after: { platform_id: string; id: string } | undefined, limit: number): Promise<{ platform_id: string; id: string; type: string; subject_id: string | null; occurred_at: string; payload: string }[]> {
      let query = db
        .selectFrom("events")
        .select(["platform_id", "id", "type", "subject_id", "occurred_at", "payload"])
        .where("type", "in", ["account.created", "account.updated", "moderation.outcome"]);
      if (after) query = query.where((eb) => eb(eb.refTuple("platform_id", "id"), ">", eb.tuple(after.platform_id, after.id)));
      return query.orderBy("platform_id").orderBy("id").limit(limit).execute();
    },

    /**
     * The profile events (created, updated) of the given accounts (scoped keys, src/events/tenancy.ts),
     * in key order, as `profileEvents` pages them.
     */
    async profileEventsOf(accountIds: readonly string[]): Promise<{ id: string; type: string; subject_id: string | null; occurred_at: string; payload: string }[]> {
      const rows: { id: string; type: string; subject_id: string | null; occurred_at: string; payload: string }[] = [];
      for (let start = 0; start < accountIds.length; start += lookupBatch) {
        const pairs = accountIds.slice(start, start + lookupBatch).map(splitScopedKey);
        const page = await db
          .selectFrom("events")
          .select(["id", "type", "subject_id", "occurred_at", "payload"])
          .where("type", "in", ["account.created", "account.updated"])
          .where((eb) => eb(eb.refTuple("platform_id", "subject_id"), "in", pairs.map((p) => eb.tuple(p.platformId, p.id))))
          .orderBy("platform_id")
          .orderBy("id")
          .execute();
        // An account's events all come in one page, in the database's id order, as `profileEvents` reads them.
        rows.push(...page);
      }
      return rows;
    },

    /**
     * Changes whenever a profile event is stored or processed (events are
     * never deleted; processing may add to an event's payload), so folded
     * profiles can be kept until it does.
     */
    async profileEventsMark(): Promise<string> {
      const row = await db
        .selectFrom("events")
        .select((eb) => [eb.fn.countAll().as("n"), eb.fn.count("processed_at").as("p"), eb.fn.max("received_at").as("m")])
        .where("type", "in", ["account.created", "account.updated", "moderation.outcome"])
        .executeTakeFirst();
      return JSON.stringify(row ?? null);
    },

    /** Changes whenever a post or comment is stored: content whose author was not found may be found now. */
    async contentEventsMark(): Promise<string> {
      const row = await db.selectFrom("events").select((eb) => eb.fn.countAll().as("n")).where("type", "in", ["post.created", "comment.created"]).executeTakeFirst();
      return String(row?.n ?? 0);
    },

    /** Changes whenever an account row is written (age bands). */
    async accountsMark(): Promise<string> {
      const row = await db.selectFrom("accounts").select((eb) => [eb.fn.countAll().as("n"), eb.fn.max("updated_at").as("m")]).executeTakeFirst();
      return JSON.stringify(row ?? null);
    },

    /** Changes whenever an automated decision is recorded (decisions are only added). */
    async decisionsMark(): Promise<string> {
      const row = await db.selectFrom("decisions").select((eb) => [eb.fn.countAll().as("n"), eb.fn.max("created_at").as("m")]).executeTakeFirst();
      return JSON.stringify(row ?? null);
    },

    /**
     * The authors of content keys (`post:<id>`, `comment:<id>`), looked up by
     * the event that created the content (a post and a comment may share an
     * id); the earliest such event wins, as in enforcement.
     */
    async authorsOf(contentKeys: readonly string[]): Promise<Map<string, string>> {
      // Keys are scoped by platform (src/events/tenancy.ts): content and its author are looked up on the key's platform.
      const found = new Map<string, string>();
      const pairs = contentKeys.map(splitScopedKey);
      for (const [prefix, type] of [["post:", "post.created"], ["comment:", "comment.created"]] as const) {
        const wanted = pairs.filter((p) => p.id.startsWith(prefix)).map((p) => ({ platformId: p.platformId, id: p.id.slice(prefix.length) }));
        for (let start = 0; start < wanted.length; start += lookupBatch) {
          const rows = await db
            .selectFrom("events")
            .select(["platform_id", "subject_id", "actor_id"])
            .where("type", "=", type)
            .where((eb) => eb(eb.refTuple("platform_id", "subject_id"), "in", wanted.slice(start, start + lookupBatch).map((p) => eb.tuple(p.platformId, p.id))))
            .where("actor_id", "is not", null)
            .orderBy("occurred_at")
            .execute();
          for (const row of rows) {
            const key = scopedKey(row.platform_id, prefix + row.subject_id);
            if (row.subject_id && row.actor_id && !found.has(key)) found.set(key, scopedKey(row.platform_id, row.actor_id));
          }
        }
      }
      return found;
    },

    /** Recent post texts of the given accounts (newest first, at most `perAccount` each). */
    async recentPosts(accountIds: readonly string[], perAccount: number): Promise<Map<string, string[]>> {
      // Accounts by scoped key (src/events/tenancy.ts): an account's posts are its own platform's.
      const found = new Map<string, string[]>();
      for (let start = 0; start < accountIds.length; start += lookupBatch) {
        const pairs = accountIds.slice(start, start + lookupBatch).map(splitScopedKey);
        const rows = await db
          .selectFrom("events")
          .select(["platform_id", "actor_id", "payload"])
          .where("type", "in", ["post.created", "post.updated", "comment.created"])
          .where((eb) => eb(eb.refTuple("platform_id", "actor_id"), "in", pairs.map((p) => eb.tuple(p.platformId, p.id))))
          .orderBy("occurred_at", "desc")
          .execute();
        for (const row of rows) {
          if (!row.actor_id) continue;
          const key = scopedKey(row.platform_id, row.actor_id);
          const list = found.get(key) ?? [];
          if (list.length >= perAccount) continue;
          const event = JSON.parse(row.payload) as { post?: { text?: string }; comment?: { text?: string } };
          const text = event.post?.text ?? event.comment?.text;
          if (text) list.push(text);
          found.set(key, list);
        }
      }
      return found;
    },

    /** A cheap fingerprint of everything scoring reads besides edges, to know when to score again. */
    async evidenceFingerprint(): Promise<string> {
      const [seeds, decided, decisions, actions] = await Promise.all([
        db.selectFrom("network_seeds").select((eb) => [eb.fn.max("seq").as("m"), eb.fn.countAll().as("n")]).executeTakeFirst(),
        db.selectFrom("cases").select((eb) => [eb.fn.max("decided_at").as("m"), eb.fn.countAll().as("n")]).where("state", "=", "decided").executeTakeFirst(),
        db.selectFrom("decisions").select((eb) => [eb.fn.max("created_at").as("m"), eb.fn.countAll().as("n")]).executeTakeFirst(),
        db.selectFrom("actions").select((eb) => [eb.fn.max("seq").as("m")]).executeTakeFirst(),
      ]);
      return JSON.stringify([seeds, decided, decisions, actions]);
    },
  };
}

export type NetworkRepository = ReturnType<typeof createNetworkRepository>;
