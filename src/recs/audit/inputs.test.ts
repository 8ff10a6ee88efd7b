import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isLapwingError } from "../../errors/index.js";
import { parseNetworkList, parseRecordedRecs, parseViewerGroups, recordedSource } from "./index.js";

const failsAt = (pointer: string, message?: RegExp) => (e: unknown) => isLapwingError(e) && e.code === "VALIDATION_FAILED" && e.pointer === pointer && (!message || message.test(e.message));

describe("recommender audit inputs", () => {
  it("reads the network from a JSON array, a labels file, or lines", () => {
    const expected = new Set(["a", "b", "7"]);
    assert.deepEqual(parseNetworkList('["a", "b", 7]'), expected);
    assert.deepEqual(parseNetworkList('{"network": ["a", "b", "7"], "teens": ["x"]}'), expected);
    assert.deepEqual(parseNetworkList('{"network": [{"id": "a", "role": "seller"}, {"account": "b"}, {"id": 7}]}'), expected);
    assert.deepEqual(parseNetworkList('{"network": {"members": ["a", "b", "7"]}}'), expected);
    assert.deepEqual(parseNetworkList('{"members": ["a", "b", "7"]}'), expected);
    assert.deepEqual(parseNetworkList("# sellers\na\n\n b \r\n7\n"), expected);
    assert.throws(() => parseNetworkList('{"sellers": ["a"]}', "labels.json"), failsAt("/", /labels\.json holds no network list/));
    assert.throws(() => parseNetworkList('{"network": ["a", null]}'), failsAt("/network/1"));
    assert.throws(() => parseNetworkList("[1,"), failsAt("/", /not valid JSON/));
  });

  it("reads viewer groups, ignoring groups the audit does not report on", () => {
    assert.deepEqual(parseViewerGroups('{"teen": ["t1"], "fresh": [2], "staff": ["s"]}'), { teen: ["t1"], fresh: ["2"], other: [] });
    assert.throws(() => parseViewerGroups('{"staff": ["s"]}'), failsAt("/", /none of the groups teen, fresh, other/));
    assert.throws(() => parseViewerGroups('{"teen": "t1"}'), failsAt("/teen"));
    assert.throws(() => parseViewerGroups("[]"), failsAt("/"));
  });

  it("reads recorded suggestions, pointing at a bad entry, with accounts named like Object's own properties", async () => {
    const recorded = parseRecordedRecs('{"recs": {"__proto__": ["a"], "constructor": ["b"], "x": []}}');
    const source = recordedSource(recorded);
    const context = { origin: "o", step: 1, followed: [] };
    assert.deepEqual(await source.suggest("__proto__", "accounts", context), ["a"]);
    assert.deepEqual(await source.suggest("constructor", "accounts", context), ["b"]);
    assert.deepEqual(await source.suggest("toString", "accounts", context), [], "nothing recorded for the account nor for the walker: nothing shown");
    assert.deepEqual(await source.suggest("y", "accounts", { ...context, origin: "constructor" }), ["b"], "nothing recorded for y: the walker's own list again");
    assert.deepEqual(await source.suggest("y", "accounts", { ...context, origin: "x" }), [], "x is recorded suggesting nothing");
    assert.throws(() => parseRecordedRecs('{"recs": {"a/b": ["x", {}]}}', "recs.json"), failsAt("/recs/a~1b/1", /recs\.json/));
    assert.throws(() => parseRecordedRecs('{"recommendations": {}}'), failsAt("/recs"));
    assert.throws(() => parseRecordedRecs('{"recs": {}, "surfaces": {"reels": {}}}'), failsAt("/surfaces/reels", /unknown surface/));
  });
});
