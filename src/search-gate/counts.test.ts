import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createSearchBlockCounter } from "./counts.js";
import type { BlockCountRow, SearchCountRepository } from "./repository.js";

function fakeRepository() {
  const written: BlockCountRow[][] = [];
  let failNext = false;
  const repo = {
    add: async (rows: readonly BlockCountRow[]) => {
      if (failNext) {
        failNext = false;
        throw new Error("database busy");
      }
      written.push(rows.map((r) => ({ ...r })));
    },
    between: async () => written.flat(),
  } as unknown as SearchCountRepository;
  return { repo, written, failOnce: () => (failNext = true) };
}

describe("the blocked-search counter", () => {
  it("adds blocks per hour and surface in memory and writes them in one flush", async () => {
    let now = new Date("2026-12-04T16:59:59.000Z");
    const { repo, written } = fakeRepository();
    const counter = createSearchBlockCounter(repo, { clock: () => now, flushMs: 60_000 });
    counter.blocked("search");
    counter.blocked("search");
    counter.suggestionsRemoved("typeahead", 3);
    now = new Date("2026-12-04T17:00:00.000Z");
    counter.blocked("search");
    await counter.flush();
    assert.deepEqual(written, [
      [
        { hour: "2026-12-04T16:00:00.000Z", surface: "search", blocked: 2, suggestionsRemoved: 0 },
        { hour: "2026-12-04T16:00:00.000Z", surface: "typeahead", blocked: 0, suggestionsRemoved: 3 },
        { hour: "2026-12-04T17:00:00.000Z", surface: "search", blocked: 1, suggestionsRemoved: 0 },
      ],
    ]);
    await counter.flush();
    assert.equal(written.length, 1, "nothing pending, nothing written");
  });

  it("keeps the counts of a failed write for the next flush, with those added since", async () => {
    const now = new Date("2026-12-04T10:30:00.000Z");
    const { repo, written, failOnce } = fakeRepository();
    const counter = createSearchBlockCounter(repo, { clock: () => now, flushMs: 60_000 });
    counter.blocked("hashtag");
    failOnce();
    await assert.rejects(counter.flush(), /database busy/);
    counter.blocked("hashtag");
    await counter.flush();
    assert.deepEqual(written, [[{ hour: "2026-12-04T10:00:00.000Z", surface: "hashtag", blocked: 2, suggestionsRemoved: 0 }]]);
  });
});
