import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dialects, withStore } from "../store/testing.js";
import { LapwingError } from "../errors/index.js";
import { createApiKeyService } from "./service.js";

for (const dialect of dialects) {
  describe(`API keys (${dialect})`, () => {
    it("creates a key shown once, authenticates it, and refuses it after revocation", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const keys = createApiKeyService(store.db);
        const created = await keys.create("forum-prod", ["check", "ingest"]);
        assert.match(created.secret, /^lw_[0-9A-Z]{26}_[A-Za-z0-9_-]{43}$/);

        const rows = await store.db.selectFrom("api_keys").selectAll().execute();
        assert.equal(rows.length, 1);
        // The secret is everything after `lw_<id>_`: base64url, so it may itself hold "_" (splitting on "_" took
        // a fragment of it, a few characters that could turn up in the stored row by chance).
        const secretPart = created.secret.slice(`lw_${created.id}_`.length);
        assert.equal(secretPart.length, 43);
        assert.ok(!JSON.stringify(rows).includes(secretPart), "the secret must not be stored");

        const who = await keys.authenticate(created.secret);
        assert.deepEqual(who?.scopes, ["check", "ingest"]);
        assert.equal(who?.name, "forum-prod");

        // A wrong secret with the right id, garbage, and an empty string are all refused.
        const forged = created.secret.slice(0, -4) + (created.secret.endsWith("AAAA") ? "BBBB" : "AAAA");
        assert.equal(await keys.authenticate(forged), null);
        assert.equal(await keys.authenticate("lw_nope"), null);
        assert.equal(await keys.authenticate(""), null);

        await keys.revoke(created.id);
        assert.equal(await keys.authenticate(created.secret), null);
        assert.ok((await keys.list())[0]!.revokedAt);
      });
    });

    it("rejects bad scopes and unknown ids with clear errors", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const keys = createApiKeyService(store.db);
        await assert.rejects(keys.create("x", []), (e: unknown) => e instanceof LapwingError && e.code === "VALIDATION_FAILED");
        // @ts-expect-error an unknown scope from untyped input
        await assert.rejects(keys.create("x", ["root"]), /check, ingest, admin; got root/);
        await assert.rejects(keys.revoke("01ARZ3NDEKTSV4RRFFQ69G5FAV"), (e: unknown) => e instanceof LapwingError && e.code === "NOT_FOUND");
      });
    });
  });
}
