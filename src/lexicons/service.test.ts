import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Kysely } from "kysely";
import { LapwingError } from "../errors/index.js";
import { dialects, withStore } from "../store/testing.js";
import { createLexiconRegistry } from "./registry.js";
import { createLexiconRepository } from "./repository.js";
import { createLexiconService } from "./service.js";
import type { LexiconTables } from "./tables.js";

const builtIn = { name: "default", lexicon: { entries: [{ term: "quorblex", category: "coded-term", severity: "block" as const }] }, surfaces: ["search", "post"] as const };

for (const dialect of dialects) {
  describe(`lexicons (${dialect})`, () => {
    it("stores, replaces, hot-reloads and deletes lexicons, and the built-in one yields to a stored one", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const service = createLexiconService(createLexiconRepository(store.db as Kysely<LexiconTables>), { builtIn: { ...builtIn, surfaces: [...builtIn.surfaces] } });
        const registry = createLexiconRegistry({ readChanges: service.changesSince, builtIn: { ...builtIn, surfaces: [...builtIn.surfaces] } });
        await registry.catchUp();
        assert.deepEqual(registry.scan("search", "find quorb1ex now").hits.map((h) => [h.lexicon, h.term]), [["default", "quorblex"]]);
        assert.deepEqual(registry.scan("bio", "quorblex").hits, [], "the built-in lexicon here applies to search and post only");

        const created = await service.put("hashtags", { entries: [{ term: "#mossyteacup", category: "coded-term", severity: "review", source: "test" }] }, ["hashtag"]);
        assert.equal(created.created, true);
        await registry.catchUp();
        assert.equal(registry.scan("hashtag", "#MossyTeaCupClub").hits[0]?.term, "#mossyteacup");
        assert.deepEqual(registry.scan("post", "#mossyteacup").hits, []);

        // A bad replacement is refused whole and the old list stays.
        await assert.rejects(service.put("hashtags", { entries: [{ term: "x", category: "c", severity: "maybe" }] }), (e: unknown) => e instanceof LapwingError && e.code === "LEXICON_INVALID" && e.pointer === "/entries/0/severity");
        await assert.rejects(service.put("hashtags", { entries: [] }), /no entries/);
        await assert.rejects(service.put("bad name!", { entries: [] }), (e: unknown) => e instanceof LapwingError && e.code === "VALIDATION_FAILED");
        await assert.rejects(service.put("x", builtIn.lexicon, ["nowhere"]), /Surfaces are one or more of/);
        assert.equal((await service.get("hashtags")).entryCount, 1);

        const replaced = await service.put("hashtags", { entries: [{ term: "velvet lantern", category: "coded-term", severity: "block" }] });
        assert.deepEqual([replaced.created, replaced.surfaces], [false, ["hashtag"]], "a replacement keeps its surfaces");
        await registry.catchUp();
        assert.deepEqual(registry.scan("hashtag", "#mossyteacup").hits, []);
        assert.equal(registry.scan("hashtag", "#VelvetLantern").hits[0]?.term, "velvet lantern");

        // Storing "default" replaces the built-in one; deleting it brings the built-in back.
        await service.put("default", { entries: [{ term: "zubixal", category: "coded-term", severity: "block" }] });
        await registry.catchUp();
        assert.deepEqual(registry.scan("search", "quorblex zubixal").hits.map((h) => h.term), ["zubixal"]);
        await service.remove("default");
        await registry.catchUp();
        assert.deepEqual(registry.scan("search", "quorblex zubixal").hits.map((h) => h.term), ["quorblex"]);
        await assert.rejects(service.remove("default"), /cannot be deleted/);

        const names = (await service.list()).map((l) => [l.name, l.builtIn]);
        assert.deepEqual(names, [["default", true], ["hashtags", false]]);
        await service.remove("hashtags");
        await registry.catchUp();
        assert.deepEqual(registry.names, ["default"]);
        await assert.rejects(service.get("hashtags"), (e: unknown) => e instanceof LapwingError && e.code === "LEXICON_NOT_FOUND");
      });
    });

    it("does not refuse a term whose only sample hits are dictionary-word misspellings, which the live matcher ignores too", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        // "mornink" is one edit from "morning", which six benign sample texts contain.
        const lexicon = { entries: [{ term: "mornink", category: "coded-term", severity: "review" }] };
        const repo = createLexiconRepository(store.db as Kysely<LexiconTables>);
        await assert.rejects(createLexiconService(repo).put("greetings", lexicon), (e: unknown) => e instanceof LapwingError && e.code === "LEXICON_TOO_BROAD", "without the vocabulary the misspelling counts");

        const vocabulary = () => ["morning"];
        const stored = await createLexiconService(repo, { vocabulary }).put("greetings", lexicon);
        assert.deepEqual([stored.breadth.isTooBroad, stored.breadth.terms], [false, []]);
        const registry = createLexiconRegistry({ readChanges: repo.changesSince, vocabulary });
        await registry.catchUp();
        assert.deepEqual(registry.scan("post", "good morning all").hits, [], "production reports no hit either");
        assert.equal(registry.scan("post", "good mornink all").hits[0]?.term, "mornink");
      });
    });

    it("stores a lexicon's names allow-list, exports it and matches with it after a reload", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const service = createLexiconService(createLexiconRepository(store.db as Kysely<LexiconTables>));
        const registry = createLexiconRegistry({ readChanges: service.changesSince });
        await service.put("shops", { entries: [{ term: "vellorox", category: "coded-term", severity: "block" }], names: ["Vellorix"] });
        assert.deepEqual((await service.get("shops")).lexicon.names, ["Vellorix"]);
        await registry.catchUp();
        assert.deepEqual(registry.scan("post", "Vellorix announced a new model").hits, [], "the operator's name is no misspelling");
        assert.equal(registry.scan("post", "Vellorux dm me").hits[0]?.how, "approximate", "a misspelling next to the name is still read");
        await assert.rejects(service.put("shops", { entries: [{ term: "vellorox", category: "c", severity: "block" }], names: "Vellorix" }), (e: unknown) => e instanceof LapwingError && e.code === "LEXICON_INVALID" && e.pointer === "/names");
        await service.put("shops", { entries: [{ term: "vellorox", category: "coded-term", severity: "block" }] });
        assert.equal((await service.get("shops")).lexicon.names, undefined, "a replacement without names drops them");
        await registry.catchUp();
        assert.equal(registry.scan("post", "Vellorix announced a new model").hits[0]?.term, "vellorox");
      });
    });
  });
}
