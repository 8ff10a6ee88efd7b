import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Kysely } from "kysely";
import { createAuditLog, createAuditRepository, type AuditTables } from "../audit/index.js";
import { LapwingError } from "../errors/index.js";
import { dialects, withStore } from "../store/testing.js";
import { defaultPolicySet } from "./default-policies.js";
import { evaluate } from "./evaluate.js";
import { createPolicyRepository } from "./repository.js";
import { createPolicyService } from "./service.js";
import { hashMatch, lexiconHit } from "./synthetic-signals.js";
import type { PolicyTables } from "./tables.js";

const clock = () => new Date("2026-11-29T12:00:00.000Z");
const holdTerms = {
  version: 1,
  policies: [{ id: "hold-terms", description: "Hold any lexicon hit.", when: { signal: "lexicon-hit" }, then: [{ decision: "hold" }], mode: "enforce" }],
};

for (const dialect of dialects) {
  describe(`policy service (${dialect})`, () => {
    it("stores immutable versions, audits each change, and rolls back", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const audit = createAuditLog(createAuditRepository(store.db as Kysely<AuditTables>), clock);
        const policies = createPolicyService(createPolicyRepository(store.db as Kysely<PolicyTables>), { clock, audit });

        const builtIn = await policies.active();
        assert.deepEqual([builtIn.version, builtIn.isBuiltIn, builtIn.isActive], [0, true, true]);
        assert.equal(builtIn.content, defaultPolicySet);

        const v1 = await policies.put(holdTerms, "cli");
        assert.deepEqual([v1.version, v1.isActive, v1.createdBy, v1.createdAt], [1, true, "cli", "2026-11-29T12:00:00.000Z"]);
        const active = await policies.active();
        assert.equal(active.version, 1);
        assert.deepEqual(evaluate(active, [lexiconHit()]).decisions.map((d) => [d.policyId, d.policyVersion]), [["hold-terms", 1]]);

        // A bad set is refused whole and stores nothing.
        await assert.rejects(policies.put({ version: 1, policies: [{ ...holdTerms.policies[0], mode: "maybe" }] }, "cli"), (e: unknown) => e instanceof LapwingError && e.code === "POLICY_INVALID" && e.pointer === "/policies/0/mode");

        const v2 = await policies.put(defaultPolicySet, "key:k1:ops");
        assert.equal(v2.version, 2);
        assert.deepEqual((await policies.history()).map((h) => [h.version, h.isActive, h.isBuiltIn, h.policies]), [
          [2, true, false, defaultPolicySet.policies.length],
          [1, false, false, 1],
          [0, false, true, defaultPolicySet.policies.length],
        ]);
        assert.deepEqual((await policies.get(1)).content, (await policies.active().then(() => policies.get(1))).content);
        assert.equal((await policies.get(1)).content.policies[0]!.id, "hold-terms", "old versions stay readable, unchanged");
        await assert.rejects(policies.get(9), (e: unknown) => e instanceof LapwingError && e.code === "POLICY_VERSION_NOT_FOUND");

        const rolledBack = await policies.activate(1, "cli");
        assert.deepEqual([rolledBack.version, (await policies.active()).version], [1, 1]);
        await policies.activate(0, "cli");
        assert.equal((await policies.active()).isBuiltIn, true);
        const v3 = await policies.put(holdTerms, "cli");
        assert.equal(v3.version, 3, "numbers keep climbing after a rollback");

        const entries = await audit.list({ action: "policy.update" });
        assert.deepEqual(entries.map((e) => [e.actor, e.target?.id, e.details.version, e.details.previousVersion, e.details.policies]), [
          ["cli", "1", 1, 0, 1],
          ["key:k1:ops", "2", 2, 1, defaultPolicySet.policies.length],
          ["cli", "3", 3, 0, 1],
        ]);
        assert.deepEqual((await audit.list({ action: "policy.activate" })).map((e) => e.target?.id), ["1", "0"]);
        assert.equal((await audit.verify()).ok, true);
      });
    });

    it("numbers concurrent writes one after another", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const policies = createPolicyService(createPolicyRepository(store.db as Kysely<PolicyTables>), { clock });
        const written = await Promise.all(Array.from({ length: 5 }, () => policies.put(holdTerms, "cli")));
        assert.deepEqual(written.map((v) => v.version).sort(), [1, 2, 3, 4, 5]);
        assert.equal((await policies.history()).filter((h) => h.isActive).length, 1);
      });
    });

    it("dry-runs signals against the active set or a draft", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const policies = createPolicyService(createPolicyRepository(store.db as Kysely<PolicyTables>), { clock });
        const onDefault = await policies.dryRun([hashMatch()]);
        assert.equal(onDefault.version, 0);
        assert.deepEqual(onDefault.decisions.map((d) => d.decision), ["hold", "review", "suspend", "report", "preserve"]);
        const onDraft = await policies.dryRun([lexiconHit()], { draft: holdTerms });
        assert.deepEqual([onDraft.version, onDraft.decisions.map((d) => d.decision)], [-1, ["hold"]]);
        await assert.rejects(policies.dryRun([{ type: "hash-match" }]), (e: unknown) => e instanceof LapwingError && e.code === "VALIDATION_FAILED" && e.pointer === "/signals/0/bank");
      });
    });
  });
}
