import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sql, type Kysely } from "kysely";
import { LapwingError } from "../errors/index.js";
import { currentSeq, type Store } from "../store/index.js";
import { dialects, withStore } from "../store/testing.js";
import { entryHash, genesisHash } from "./chain.js";
import { createAuditRepository } from "./repository.js";
import { createAuditLog } from "./service.js";
import type { AuditTables } from "./tables.js";
import type { AuditEntry, AuditRecord } from "./types.js";

const fixedClock = () => new Date("2026-03-04T05:06:07.000Z");

function auditOn(store: Store) {
  return createAuditLog(createAuditRepository(store.db as Kysely<AuditTables>), fixedClock);
}

function sample(i: number): AuditRecord {
  return {
    actor: i % 2 ? "cli" : `user:U${i}`,
    action: i % 3 ? "bank.create" : "key.revoke",
    target: { type: i % 3 ? "bank" : "key", id: `T${i}` },
    details: { i, name: `synthetic-${i}` },
  };
}

async function appendSamples(store: Store, count: number): Promise<AuditEntry[]> {
  const audit = auditOn(store);
  const entries: AuditEntry[] = [];
  for (let i = 0; i < count; i++) entries.push(await audit.record(store.db, sample(i)));
  return entries;
}

/** Plays the attacker: removes the append-only triggers, then runs raw SQL. */
async function tamper(store: Store, statement: string): Promise<void> {
  if (store.dialect === "postgres") {
    await sql.raw("drop trigger if exists audit_log_no_change on audit_log").execute(store.db);
  } else {
    await sql.raw("drop trigger if exists audit_log_no_update").execute(store.db);
    await sql.raw("drop trigger if exists audit_log_no_delete").execute(store.db);
  }
  await sql.raw(statement).execute(store.db);
}

/** What an attacker with the source code can do: a row whose hash and link are right. */
function forgedRow(position: number, prevHash: string, details = '{"forged":true}') {
  const fields = { position, at: "2026-03-04T05:06:07.000Z", actor: "cli", action: "bank.delete", targetType: "bank", targetId: "X", details, prevHash };
  return { ...fields, hash: entryHash(fields) };
}

async function insertRaw(store: Store, row: ReturnType<typeof forgedRow>, id: string): Promise<void> {
  await sql`
    insert into audit_log (position, id, at, actor, action, target_type, target_id, details, prev_hash, hash)
    values (${row.position}, ${id}, ${row.at}, ${row.actor}, ${row.action}, ${row.targetType}, ${row.targetId}, ${row.details}, ${row.prevHash}, ${row.hash})
  `.execute(store.db);
}

function isCode(code: string) {
  return (e: unknown) => e instanceof LapwingError && e.code === code;
}

for (const dialect of dialects) {
  describe(`audit log (${dialect})`, () => {
    it("records many times in one transaction, by two audit logs, as one linked chain after what was committed before", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const [before] = await appendSamples(store, 1);
        const one = auditOn(store);
        const other = auditOn(store);
        const written = await store.db.transaction().execute(async (trx) => {
          const entries: AuditEntry[] = [];
          entries.push(await one.record(trx, sample(1)));
          entries.push(...(await other.recordMany(trx, [sample(2), sample(3)])));
          entries.push(await one.record(trx, sample(4)));
          return entries;
        });
        assert.equal(written[0]!.prevHash, before!.hash);
        for (let i = 1; i < written.length; i++) assert.equal(written[i]!.prevHash, written[i - 1]!.hash);
        // A later transaction reads the head again.
        const after = await one.record(store.db, sample(5));
        assert.equal(after.prevHash, written.at(-1)!.hash);
        assert.deepEqual(await one.verify(), { ok: true, checked: 6, head: { position: after.position, hash: after.hash } });
      });
    });

    it("appends a linked chain, lists it with filters, and verifies it", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const audit = auditOn(store);
        assert.deepEqual(await audit.verify(), { ok: true, checked: 0, head: null });
        const entries = await appendSamples(store, 6);
        const withoutTarget = await audit.record(store.db, { actor: "system", action: "login" });
        assert.equal(withoutTarget.target, null);
        assert.deepEqual(withoutTarget.details, {});

        assert.equal(entries[0]!.prevHash, genesisHash);
        for (let i = 1; i < entries.length; i++) {
          assert.ok(entries[i]!.position > entries[i - 1]!.position);
          assert.equal(entries[i]!.prevHash, entries[i - 1]!.hash);
        }
        assert.equal(withoutTarget.prevHash, entries[5]!.hash);

        const all = await audit.list();
        assert.deepEqual(all, [...entries, withoutTarget]);
        assert.deepEqual(all[2]!.details, { i: 2, name: "synthetic-2" });
        assert.equal(all[2]!.at, "2026-03-04T05:06:07.000Z");
        assert.deepEqual((await audit.list({ action: "key.revoke" })).map((e) => e.details.i), [0, 3]);
        assert.deepEqual((await audit.list({ actor: "cli", order: "desc", limit: 2 })).map((e) => e.details.i), [5, 3]);
        assert.deepEqual((await audit.list({ after: entries[3]!.position, limit: 2 })).map((e) => e.details.i), [4, 5]);
        assert.deepEqual((await audit.list({ before: entries[2]!.position, order: "desc" })).map((e) => e.details.i), [1, 0]);
        await assert.rejects(audit.list({ limit: 0 }), isCode("VALIDATION_FAILED"));
        await assert.rejects(audit.list({ limit: 1001 }), isCode("VALIDATION_FAILED"));

        const verified = await audit.verify();
        assert.deepEqual(verified, { ok: true, checked: 7, head: { position: withoutTarget.position, hash: withoutTarget.hash } });
      });
    });

    it("commits and rolls back with the caller's transaction, and writes nothing when a record is invalid", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const audit = auditOn(store);
        await store.db.transaction().execute(async (trx) => {
          await audit.record(trx, sample(1));
          await audit.recordMany(trx, [sample(2), sample(3)]);
        });
        await assert.rejects(
          store.db.transaction().execute(async (trx) => {
            await audit.record(trx, sample(4));
            throw new Error("the change being recorded failed");
          }),
          /the change being recorded failed/,
        );
        await assert.rejects(audit.recordMany(store.db, [sample(5), { actor: "cli", action: "x.y", details: { apiKey: "lw_…" } }]), (e: unknown) =>
          isCode("VALIDATION_FAILED")(e) && (e as LapwingError).pointer === "/1/details/apiKey",
        );
        assert.deepEqual((await audit.list()).map((e) => e.details.i), [1, 2, 3]);
        assert.equal((await audit.verify()).ok, true);
      });
    });

    it("refuses UPDATE and DELETE at the database", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const [entry] = await appendSamples(store, 1);
        await assert.rejects(sql`update audit_log set details = '{}' where position = ${entry!.position}`.execute(store.db), /append-only/);
        await assert.rejects(sql`delete from audit_log`.execute(store.db), /append-only/);
        if (dialect === "postgres") await assert.rejects(sql`truncate audit_log`.execute(store.db), /append-only/);
        assert.equal((await auditOn(store).verify()).checked, 1);
      });
    });

    it("finds an edited entry at its position, and one rewritten with a recomputed hash at the next", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const entries = await appendSamples(store, 6);
        const audit = auditOn(store);
        await tamper(store, `update audit_log set details = '{"i":2,"name":"harmless"}' where position = ${entries[2]!.position}`);
        const edited = await audit.verify();
        assert.equal(edited.ok, false);
        assert.equal(edited.firstBadPosition, entries[2]!.position);
        assert.equal(edited.checked, 3);
        assert.deepEqual(edited.head, { position: entries[1]!.position, hash: entries[1]!.hash });
        assert.match(edited.problem!, new RegExp(`position ${entries[2]!.position} does not match its hash`));

        const rewritten = forgedRow(entries[2]!.position, entries[1]!.hash, '{"i":2,"name":"harmless"}');
        await tamper(store, `update audit_log set hash = '${rewritten.hash}', at = '${rewritten.at}', actor = 'cli', action = 'bank.delete', target_type = 'bank', target_id = 'X' where position = ${entries[2]!.position}`);
        const relinked = await audit.verify();
        assert.equal(relinked.firstBadPosition, entries[3]!.position);
        assert.match(relinked.problem!, /does not link to the entry before it/);
      });
    });

    it("finds a deleted entry, including the first", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const entries = await appendSamples(store, 6);
        const audit = auditOn(store);
        await tamper(store, `delete from audit_log where position = ${entries[3]!.position}`);
        const middle = await audit.verify();
        assert.equal(middle.firstBadPosition, entries[4]!.position);
        assert.match(middle.problem!, new RegExp(`\\(position ${entries[2]!.position}\\): an entry between them was deleted`));

        await tamper(store, `delete from audit_log where position = ${entries[0]!.position}`);
        const first = await audit.verify();
        assert.equal(first.firstBadPosition, entries[1]!.position);
        assert.match(first.problem!, /does not start the chain/);
      });
    });

    it("finds reordered entries", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const entries = await appendSamples(store, 6);
        const [a, b] = [entries[1]!.position, entries[4]!.position];
        await tamper(store, `update audit_log set position = -1 where position = ${a}`);
        await tamper(store, `update audit_log set position = ${a} where position = ${b}`);
        await tamper(store, `update audit_log set position = ${b} where position = -1`);
        const result = await auditOn(store).verify();
        assert.equal(result.firstBadPosition, a);
        assert.match(result.problem!, /edited or moved/);
      });
    });

    it("finds a forged tail: positions never handed out, or a rewrite caught by an anchor", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const entries = await appendSamples(store, 5);
        const audit = auditOn(store);
        const { head } = await audit.verify();
        assert.deepEqual(head, { position: entries[4]!.position, hash: entries[4]!.hash });

        // Appended with a correct hash and link, but at a position `seq` never gave out.
        const beyond = forgedRow((await currentSeq(store.db)) + 3, entries[4]!.hash);
        await insertRaw(store, beyond, "FORGED1");
        const appended = await audit.verify();
        assert.equal(appended.firstBadPosition, beyond.position);
        assert.match(appended.problem!, /not written by Lapwing/);
        await tamper(store, `delete from audit_log where id = 'FORGED1'`);

        // A consistent rewrite of the tail (positions taken from the counter, as Lapwing would):
        // the chain alone cannot tell, the anchor can.
        const original = await store.db.selectFrom("audit_log").selectAll().where("position", "=", entries[4]!.position).executeTakeFirstOrThrow();
        await tamper(store, `delete from audit_log where position = ${entries[4]!.position}`);
        assert.equal((await audit.verify()).ok, true, "truncation is invisible without an anchor");
        const truncated = await audit.verify({ anchor: head! });
        assert.equal(truncated.ok, false);
        assert.equal(truncated.firstBadPosition, entries[4]!.position);
        assert.match(truncated.problem!, /missing: the log was truncated or rewritten/);

        await insertRaw(store, forgedRow(entries[4]!.position, entries[3]!.hash), "FORGED2");
        assert.equal((await audit.verify()).ok, true);
        const rewritten = await audit.verify({ anchor: head! });
        assert.equal(rewritten.firstBadPosition, entries[4]!.position);
        assert.match(rewritten.problem!, /not the anchored entry/);

        // Put the real entry back: the anchor holds again, and keeps holding as honest entries follow it.
        await tamper(store, `delete from audit_log where id = 'FORGED2'`);
        await store.db.insertInto("audit_log").values(original).execute();
        await audit.record(store.db, sample(9));
        assert.deepEqual(await audit.verify({ anchor: head! }), { ok: true, checked: 6, head: (await audit.verify()).head });
      });
    });

    it("verifies a 10,000-entry chain in pages, and finds an edit deep inside it", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const audit = auditOn(store);
        const batch = Array.from({ length: 2_500 }, (_, i) => sample(i));
        for (let round = 0; round < 4; round++) {
          await store.db.transaction().execute((trx) => audit.recordMany(trx, batch));
        }
        const progress: Array<[number, number]> = [];
        const result = await audit.verify({ onProgress: (checked, total) => progress.push([checked, total]), pageRows: 1_000 });
        assert.equal(result.ok, true, result.problem);
        assert.equal(result.checked, 10_000);
        assert.equal(progress.length, 10);
        assert.deepEqual(progress.at(-1), [10_000, 10_000]);

        const victim = await sql<{ position: string | number }>`select position from audit_log order by position limit 1 offset 7000`.execute(store.db);
        const position = Number(victim.rows[0]!.position);
        await tamper(store, `update audit_log set actor = 'user:someone-else' where position = ${position}`);
        const found = await audit.verify({ pageRows: 1_000 });
        assert.equal(found.firstBadPosition, position);
        assert.equal(found.checked, 7001);
      });
    });

    it("keeps one linear chain under concurrent appends from many transactions", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const audit = auditOn(store);
        // Some writers record alone, some inside a longer transaction that also does other work.
        await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            i % 2
              ? audit.record(store.db, sample(i))
              : store.db.transaction().execute(async (trx) => {
                  await sql`select 1`.execute(trx);
                  await audit.recordMany(trx, [sample(i), sample(i + 100)]);
                }),
          ),
        );
        const result = await audit.verify();
        assert.equal(result.ok, true, result.problem);
        assert.equal(result.checked, 30);
        const entries = await audit.list({ limit: 100 });
        assert.equal(new Set(entries.map((e) => e.prevHash)).size, 30, "no two entries share a predecessor (no fork)");
      });
    });
  });
}
