import { PostgresAdapter, sql, type Kysely } from "kysely";

/**
 * Event ids are unique per platform, not globally (docs/tenancy.md): the
 * events table's key becomes (platform_id, id), with '' for the default
 * platform, so the same id from two platforms is two events. Every row is
 * kept; events stored without a platform (NULL) now read as the default
 * platform's. Other tables name an event by its scoped key
 * (src/events/tenancy.ts), which for the default platform is the id itself,
 * so what they already hold stays true without a change.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    // Runs in the migrator's transaction: the key changes for everyone at once.
    await rekeyPlatformEvents(db, sql`json_build_object('eventId', e.id, 'platformId', e.platform_id)::text`);
    await sql`update events set platform_id = '' where platform_id is null`.execute(db);
    await sql`alter table events alter column platform_id set default '', alter column platform_id set not null`.execute(db);
    await sql`alter table events drop constraint events_pkey`.execute(db);
    await sql`alter table events add constraint events_pkey primary key (platform_id, id)`.execute(db);
    return;
  }
  // SQLite cannot change a primary key in place: the table is rebuilt. The whole migration run is one
  // transaction on SQLite (src/store/migrate.ts), so a crash leaves either the old table or the new one,
  // and the migration is recorded in the same commit.
  {
    const trx = db;
    await rekeyPlatformEvents(trx, sql`json_object('eventId', e.id, 'platformId', e.platform_id)`);
    await sql`
      create table events_by_platform (
        id text not null,
        type text not null,
        platform_id text not null default '',
        subject_id text,
        actor_id text,
        occurred_at text not null,
        received_at text not null,
        payload text not null,
        processed_at text,
        signals text,
        primary key (platform_id, id)
      )`.execute(trx);
    await sql`
      insert into events_by_platform (id, type, platform_id, subject_id, actor_id, occurred_at, received_at, payload, processed_at, signals)
      select id, type, coalesce(platform_id, ''), subject_id, actor_id, occurred_at, received_at, payload, processed_at, signals from events`.execute(trx);
    await sql`drop table events`.execute(trx);
    await sql`alter table events_by_platform rename to events`.execute(trx);
    await sql`create index events_subject on events (subject_id, occurred_at)`.execute(trx);
    await sql`create index events_actor on events (actor_id, occurred_at)`.execute(trx);
  }
}

/**
 * Before 0019 an event id was global, so the rows naming an event that came with a `platform_id` hold its bare
 * id; from now on they hold its scoped key (`platform` U+001F `id`, src/events/tenancy.ts). Its processing job
 * (key and payload, so a pending one still finds its event), its decision and its graph edge are re-keyed; the
 * id is still unique here, so each bare id names exactly one event. Evidence items keep the id they were sealed
 * with. Events without a platform need nothing: their scoped key is their id.
 */
async function rekeyPlatformEvents(db: Kysely<unknown>, jobPayload: ReturnType<typeof sql>): Promise<void> {
  const separator = "\u001f";
  const platformEvents = sql`select id from events where platform_id is not null and platform_id <> ''`;
  const keyOf = (column: ReturnType<typeof sql.ref>) => sql`(select e.platform_id || cast(${separator} as text) || e.id from events e where e.id = ${column})`;
  await sql`
    update jobs set idempotency_key = ${keyOf(sql.ref("jobs.idempotency_key"))},
      payload = (select ${jobPayload} from events e where e.id = jobs.idempotency_key)
    where queue = 'events' and idempotency_key in (${platformEvents})`.execute(db);
  await sql`update decisions set event_id = ${keyOf(sql.ref("decisions.event_id"))} where event_id in (${platformEvents})`.execute(db);
  await sql`update graph_edges set event_id = ${keyOf(sql.ref("graph_edges.event_id"))} where event_id in (${platformEvents})`.execute(db);
}
