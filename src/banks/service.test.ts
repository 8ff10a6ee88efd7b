import assert from "node:assert/strict";
import { hostname } from "node:os";
import { describe, it } from "node:test";
import { LapwingError } from "../errors/index.js";
import { dialects, withStore } from "../store/testing.js";
import { createBankRepository } from "./repository.js";
import { createBankService } from "./service.js";

const pdqA = "f".repeat(32) + "0".repeat(32);
const pdqB = "0".repeat(32) + "f".repeat(32);
const md5 = "d41d8cd98f00b204e9800998ecf8427e";

async function* text(s: string) {
  yield s;
}

function isCode(code: string) {
  return (e: unknown) => e instanceof LapwingError && e.code === code;
}

for (const dialect of dialects) {
  describe(`hash banks (${dialect})`, () => {
    it("creates, renames, disables and deletes banks, refusing duplicate names", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const banks = createBankService(createBankRepository(store.db));
        const bank = await banks.createBank({ name: "synthetic-known" });
        assert.equal(bank.pdqThreshold, 31);
        assert.equal(bank.enabled, true);
        await assert.rejects(banks.createBank({ name: "synthetic-known" }), isCode("BANK_NAME_TAKEN"));
        await assert.rejects(banks.createBank({ name: "x", pdqThreshold: 300 }), isCode("VALIDATION_FAILED"));

        const renamed = await banks.updateBank("synthetic-known", { name: "renamed", enabled: false, pdqThreshold: 20 });
        assert.deepEqual([renamed.name, renamed.enabled, renamed.pdqThreshold], ["renamed", false, 20]);
        assert.equal((await banks.getBank(bank.id)).name, "renamed");
        await assert.rejects(banks.getBank("synthetic-known"), isCode("BANK_NOT_FOUND"));

        await banks.addEntries("renamed", [{ signalType: "pdq", signal: pdqA }]);
        const { entriesRemoved } = await banks.deleteBank("renamed");
        assert.equal(entriesRemoved, 1);
        assert.deepEqual(await banks.listBanks(), []);
        // The name is free again once the bank is gone.
        await banks.createBank({ name: "renamed" });
      });
    });

    it("adds entries once, normalises hashes, rejects malformed ones, and tombstones removals", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const banks = createBankService(createBankRepository(store.db));
        await banks.createBank({ name: "b" });
        const first = await banks.addEntries("b", [
          { signalType: "pdq", signal: pdqA.toUpperCase(), category: "synthetic" },
          { signalType: "md5", signal: ` ${md5} ` },
        ]);
        assert.deepEqual(first, { added: 2, duplicates: 0 });
        assert.deepEqual(await banks.addEntries("b", [{ signalType: "pdq", signal: pdqA }]), { added: 0, duplicates: 1 });
        await assert.rejects(banks.addEntries("b", [{ signalType: "pdq", signal: "abc" }]), isCode("HASH_MALFORMED"));

        const { entries } = await banks.listEntries("b");
        assert.equal(entries.length, 2);
        const pdqEntry = entries.find((e) => e.signalType === "pdq")!;
        assert.equal(pdqEntry.signal, pdqA);
        assert.equal((await banks.listBanks())[0]!.entryCount, 2);

        await banks.removeEntry("b", pdqEntry.id);
        await assert.rejects(banks.removeEntry("b", pdqEntry.id), isCode("BANK_ENTRY_NOT_FOUND"));
        assert.equal((await banks.listEntries("b")).entries.length, 1);
        const withTombstones = await banks.listEntries("b", { includeRemoved: true });
        assert.equal(withTombstones.entries.length, 2);
        // Re-adding a removed signal makes a new live entry.
        assert.deepEqual(await banks.addEntries("b", [{ signalType: "pdq", signal: pdqA }]), { added: 1, duplicates: 0 });
      });
    });

    it("imports both CSV layouts and exports what it imported", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const banks = createBankService(createBankRepository(store.db));
        const skipped: number[] = [];
        const result = await banks.importFile(
          text(`signal_type,signal_str,collab,category,tags\npdq,${pdqA},te-collab,synthetic,"a,b"\nurl,http://example.test,te-collab,,\nphoto_md5,${md5},te-collab,,\n`),
          { format: "threatexchange", onSkip: (row) => skipped.push(row.line) },
        );
        assert.deepEqual(result, { rowsRead: 2, added: 2, duplicates: 0, skipped: 1, banksCreated: ["te-collab"] });
        assert.deepEqual(skipped, [3]);

        let exported = "";
        for await (const chunk of banks.exportFile("te-collab", "lapwing")) exported += chunk;
        const lines = exported.trim().split("\n").sort();
        assert.deepEqual(lines, [
          `md5,${md5},te-collab,,`,
          `pdq,${pdqA},te-collab,synthetic,"a,b"`,
          "signal_type,signal,bank,category,note",
        ]);

        // Importing the export into another bank round-trips.
        const again = await banks.importFile(text(exported), { format: "lapwing", bank: "copy", forceBank: true });
        assert.equal(again.added, 2);
      });
    });

    it("leaves no trace of an import that fails half-way", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const banks = createBankService(createBankRepository(store.db));
        await banks.createBank({ name: "existing" });
        const good = Array.from({ length: 12000 }, (_, i) => `pdq,${i.toString(16).padStart(64, "0")},existing,,`).join("\n");
        await assert.rejects(
          banks.importFile(text(`signal_type,signal,bank,category,note\n${good}\npdq,not-a-hash,newbank,,\n`), { format: "lapwing" }),
          (e: unknown) => isCode("IMPORT_MALFORMED")(e) && /line 12002/.test((e as Error).message),
        );
        assert.equal((await banks.listBanks())[0]!.entryCount, 0);
        assert.deepEqual((await banks.listBanks()).map((b) => b.name), ["existing"]);
        await assert.rejects(banks.importFile(text("a,b\n"), { format: "lapwing" }), /expected the lapwing header/);
        await assert.rejects(banks.importFile(text(""), { format: "lapwing" }), /empty/);
      });
    });

    it("keeps an import's staged rows unseen until it publishes them after the feed's cursor, and clears a dead import's rows", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const repo = createBankRepository(store.db);
        let now = Date.parse("2026-01-01T00:00:00Z");
        const banks = createBankService(repo, { clock: () => new Date(now) });
        const at = () => new Date(now).toISOString();
        // An import left by a process that died on this machine (no such pid), and one from another machine that stopped beating.
        await repo.beginImport("dead-here", at(), { host: hostname(), pid: 2 ** 22 + 12345 });
        await repo.beginImport("elsewhere", at(), { host: "another-host", pid: 1 });
        const staged = { id: "staged-bank", name: "staged", description: "", enabled: true, pdqThreshold: 31, matchVerdict: "block" as const, createdAt: at(), updatedAt: at() };
        await repo.transaction(async (trx) => {
          await repo.insertBank(trx, staged, "dead-here");
          await repo.insertEntries(trx, [{ id: "e1", bank_id: "staged-bank", signal_type: "md5", signal: md5, source: "t", category: "", note: "", added_at: at() }], "dead-here");
          await repo.insertEntries(trx, [{ id: "e2", bank_id: "staged-bank", signal_type: "pdq", signal: pdqA, source: "t", category: "", note: "", added_at: at() }], "elsewhere");
        });
        assert.deepEqual(await banks.listBanks(), [], "a staged bank is not listed");
        assert.deepEqual(await banks.findLiveBySignal("md5", [md5]), [], "nor matched");
        const feed = await repo.changesSince(0, 1e9);
        assert.deepEqual([feed.addedPdq.length, feed.banks.length], [0, 0], "nor on the change feed");
        await assert.rejects(banks.createBank({ name: "staged" }), isCode("BANK_NAME_TAKEN"), "its name is taken, with a clear error (not a 500)");

        assert.equal(await banks.discardStaleImports(), 1, "the import of the dead local process goes");
        now += 6 * 60_000;
        assert.equal(await banks.discardStaleImports(), 1, "the silent one from elsewhere goes after its heartbeat is stale");
        const left = await store.db.selectFrom("bank_entries").select("id").execute();
        assert.deepEqual(left, []);

        // Published rows come after the feed's cursor: a follower that read past their staged keys still gets them.
        await repo.beginImport("live", at(), { host: hostname(), pid: process.pid });
        await repo.transaction(async (trx) => {
          await repo.insertBank(trx, { ...staged, id: "imported-bank", name: "imported" }, "live");
          await repo.insertEntries(trx, [{ id: "e3", bank_id: "imported-bank", signal_type: "pdq", signal: pdqB, source: "t", category: "", note: "", added_at: at() }], "live");
        });
        const passed = await repo.changesSince(0, 1e9);
        assert.deepEqual([passed.addedPdq.length, passed.banks.length], [0, 0]);
        await repo.transaction((trx) => repo.publishImport(trx, "live"));
        const page = await repo.changesSince(passed.nextCursor, 1e9);
        assert.deepEqual(page.addedPdq.map((a) => a.signal), [pdqB]);
        assert.deepEqual(page.banks.map((b) => b.name), ["imported"]);
        assert.equal((await banks.listBanks())[0]!.entryCount, 1);
        assert.deepEqual(await store.db.selectFrom("bank_imports").selectAll().execute(), [], "nothing is left in flight");
      });
    });

    it("publishes adds, removals and bank changes on the change feed in order", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const repo = createBankRepository(store.db);
        const banks = createBankService(repo);
        const start = (await repo.changesSince(0, 1e9)).nextCursor;
        await banks.createBank({ name: "feed" });
        await banks.addEntries("feed", [{ signalType: "pdq", signal: pdqA }, { signalType: "pdq", signal: pdqB }, { signalType: "md5", signal: md5 }]);
        const page = await repo.changesSince(start, 1e9);
        assert.equal(page.addedPdq.length, 2, "only PDQ entries go to the index");
        assert.equal(page.banks.length, 1);
        assert.equal(page.banks[0]!.name, "feed");

        const entry = (await banks.listEntries("feed")).entries.find((e) => e.signal === pdqA)!;
        await banks.removeEntry("feed", entry.id);
        const next = await repo.changesSince(page.nextCursor, 1e9);
        assert.deepEqual(next.addedPdq, []);
        assert.equal(next.removedKeys.length, 1);
        assert.equal(next.removedKeys[0], page.addedPdq.find((a) => a.signal === pdqA)!.key);

        // A narrow window pages through the same changes and ends in the same state.
        let cursor = start;
        const live = new Set<string>();
        const byKey = new Map<number, string>();
        for (let guard = 0; guard < 100; guard++) {
          const p = await repo.changesSince(cursor, 1);
          for (const a of p.addedPdq) (live.add(a.signal), byKey.set(a.key, a.signal));
          for (const k of p.removedKeys) live.delete(byKey.get(k)!);
          cursor = p.nextCursor;
          if (!p.hasMore) break;
        }
        assert.deepEqual([...live], [pdqB]);
        // And a reader starting after everything is told nothing.
        const idle = await repo.changesSince(cursor, 1e9);
        assert.deepEqual([idle.addedPdq.length, idle.removedKeys.length, idle.hasMore], [0, 0, false]);
      });
    });
  });
}
