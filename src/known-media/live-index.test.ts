import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createBankRepository, createBankService } from "../banks/index.js";
import { databaseId } from "../store/index.js";
import { dialects, withStore } from "../store/testing.js";
import { createLiveIndex } from "./live-index.js";

// Three hashes: b is 20 bits from a, c is far from both.
const a = "0".repeat(64);
const b = "fffff" + "0".repeat(59);
const c = "f".repeat(64);

for (const dialect of dialects) {
  describe(`live PDQ index (${dialect})`, () => {
    it("follows adds, removals, thresholds and disabled banks, and restarts from a snapshot", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const banks = createBankService(createBankRepository(store.db));
        const id = await databaseId(store.db);
        const live = createLiveIndex({ readChanges: banks.changesSince, databaseId: id, pageWindow: 2 });
        await banks.createBank({ name: "strict", pdqThreshold: 10 });
        await banks.createBank({ name: "loose", pdqThreshold: 31 });
        await banks.addEntries("strict", [{ signalType: "pdq", signal: a }]);
        await banks.addEntries("loose", [{ signalType: "pdq", signal: a }, { signalType: "pdq", signal: c }]);
        await live.catchUp();
        assert.equal(live.size, 3);

        // b is 20 bits from a: within "loose" (31) but not "strict" (10).
        assert.deepEqual(live.search([b]).map((m) => [m.bank.name, m.distance]), [["loose", 20]]);
        assert.deepEqual(live.search([a]).map((m) => m.bank.name).sort(), ["loose", "strict"]);

        await banks.updateBank("loose", { enabled: false });
        await live.catchUp();
        assert.deepEqual(live.search([b]), []);
        await banks.updateBank("loose", { enabled: true });
        await banks.removeSignal("loose", "pdq", a);
        await live.catchUp();
        assert.deepEqual(live.search([b]), []);
        assert.equal(live.size, 2);

        const bytes = Buffer.concat(live.snapshot());
        await banks.addEntries("loose", [{ signalType: "pdq", signal: b }]);
        const restarted = createLiveIndex({ readChanges: banks.changesSince, databaseId: id, snapshot: bytes });
        assert.equal(restarted.size, 2, "the snapshot holds the state it was taken at");
        await restarted.catchUp();
        assert.equal(restarted.size, 3, "and catches up from its cursor");
        assert.deepEqual(restarted.search([b]).map((m) => [m.bank.name, m.distance]), [["loose", 0]]);
        assert.deepEqual(restarted.search([c]).map((m) => m.bank.name), ["loose"]);

        assert.throws(() => createLiveIndex({ readChanges: banks.changesSince, databaseId: id + 1, snapshot: bytes }), /another database/);
        assert.throws(() => createLiveIndex({ readChanges: banks.changesSince, databaseId: id, snapshot: bytes.subarray(0, 40) }));
        assert.throws(() => createLiveIndex({ readChanges: banks.changesSince, databaseId: id, snapshot: Buffer.from("not a snapshot at all") }), /not a live-index snapshot/);

        await banks.deleteBank("loose");
        await restarted.catchUp();
        assert.deepEqual(restarted.search([c]), []);
        assert.equal(restarted.size, 1);
      });
    });
  });
}
