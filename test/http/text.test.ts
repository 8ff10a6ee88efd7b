import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { defaultLexicon } from "../../src/lexicons/index.js";
import { startTestServer, type TestServer } from "../support/server.js";

// Neutral stand-in words, as in ../shared/text-eval: none is a real term.
const standIn = {
  entries: [
    { term: "vornaxle", category: "coded-term", severity: "block", source: "test stand-in" },
    { term: "#mossyteacup", category: "coded-term", severity: "review" },
    { term: "xpl", category: "age-claim", severity: "review" },
  ],
};

describe("search gate, text check and lexicons over HTTP (sqlite)", () => {
  let s: TestServer;
  before(async () => {
    const started = await startTestServer("sqlite", { maxJsonBytes: 8 * 1024 * 1024 });
    assert.notEqual(typeof started, "string");
    s = started as TestServer;
    const put = await s.request("/v1/lexicons/stand-in", { method: "PUT", json: standIn });
    assert.equal(put.status, 200);
  });
  after(async () => s?.close());

  const post = (path: string, json: unknown, key?: string) => s.request(path, { method: "POST", key: key ?? s.checkKey, json });

  it("blocks a disguised search with help resources and no bypass, and allows an ordinary one", async () => {
    const blocked = await (await post("/v1/search/check", { query: "where to find v0rn@x1e", surface: "search" })).json();
    assert.equal(blocked.verdict, "block");
    assert.equal(blocked.hits[0].term, "vornaxle");
    assert.equal(blocked.hits[0].lexicon, "stand-in");
    assert.ok(blocked.resources.length >= 3);
    assert.ok(blocked.resources.every((r: { url: string }) => r.url.startsWith("https://")));
    assert.match(blocked.message, /Help is available/);
    const fields = Object.keys(blocked).sort();
    assert.deepEqual(fields, ["hits", "message", "reason", "resources", "verdict"], "no bypass field of any kind");

    const hashtag = await (await post("/v1/search/check", { query: "#MossyTeacupLovers", surface: "hashtag" })).json();
    assert.equal(hashtag.verdict, "block");
    const allowed = await (await post("/v1/search/check", { query: "explain tea cups with moss", surface: "search" })).json();
    assert.deepEqual([allowed.verdict, allowed.hits.length], ["allow", 0]);
  });

  it("applies the built-in default lexicon", async () => {
    const term = defaultLexicon.entries[0]!.term;
    const result = await (await post("/v1/search/check", { query: term.toUpperCase(), surface: "search" })).json();
    assert.equal(result.verdict, "block");
    assert.equal(result.hits[0].lexicon, "default");
  });

  it("filters typeahead suggestions, keeping order", async () => {
    const res = await (await post("/v1/search/suggestions/filter", { suggestions: ["moss garden", "vornaxle pics", "tea cups", "x p l"], surface: "typeahead" })).json();
    assert.deepEqual(res.suggestions, ["moss garden", "tea cups", "x p l"]);
    assert.deepEqual(res.removed, [{ index: 1, suggestion: "vornaxle pics", terms: ["vornaxle"] }]);
  });

  it("checks content text: block, review and allow, with spans in the original text", async () => {
    const text = "new drop: V.O.R.N.A.X.L.E bundle";
    const blocked = await (await post("/v1/text/check", { text, kind: "post" })).json();
    assert.equal(blocked.verdict, "block");
    const hit = blocked.hits[0];
    assert.equal(text.slice(hit.start, hit.end), "V.O.R.N.A.X.L.E");
    assert.ok(blocked.reasons.some((r: string) => r.includes("vornaxle")));
    const review = await (await post("/v1/text/check", { text: "i am xpl lol", kind: "bio" })).json();
    assert.equal(review.verdict, "review");
    const benign = await (await post("/v1/text/check", { text: "Handmade mugs, $25 each, DM for the price list!", kind: "post" })).json();
    assert.equal(benign.verdict, "allow");
    assert.ok(benign.advert.score < 0.5, `benign commerce scores low (${benign.advert.score})`);
    assert.ok(typeof benign.advert.level === "string");
  });

  it("bounds hostile text: lone surrogates, a megabyte, millions of combining marks, control characters", async () => {
    const cases = [
      "\ud800 vornaxle \udfff",
      "a".repeat(1_000_000),
      "v" + "\u0301".repeat(2_000_000) + "ornaxle",
      "\u0000\u0007vornaxle\u001b[31m",
    ];
    for (const text of cases) {
      const res = await post("/v1/text/check", { text, kind: "post" });
      assert.ok(res.status === 200 || res.status === 413 || res.status === 400, `status ${res.status} for a ${text.length}-char text`);
      const body = await res.json();
      if (res.status === 200) assert.ok(["allow", "review", "hold", "block"].includes(body.verdict));
      else assert.ok(body.error.code);
    }
    const lone = await (await post("/v1/text/check", { text: "\ud800vornaxle", kind: "post" })).json();
    assert.equal(lone.verdict, "block", "a lone surrogate does not hide a term");
    const long = await post("/v1/text/check", { text: "a".repeat(1_000_000), kind: "post" });
    assert.equal(long.status, 413, "a text is checked whole or refused (test/hostile/text.test.ts)");
    assert.equal((await s.request("/healthz", { key: null })).status, 200);
  });

  it("manages lexicons: list, export, refuse bad ones whole, delete", async () => {
    const list = await (await s.request("/v1/lexicons")).json();
    assert.deepEqual(list.lexicons.map((l: { name: string }) => l.name), ["default", "stand-in"]);
    const exported = await (await s.request("/v1/lexicons/stand-in")).json();
    assert.equal(exported.entries.length, 3);
    assert.equal(exported.entries[0].source, "test stand-in");

    const bad = await s.request("/v1/lexicons/stand-in", { method: "PUT", json: { entries: [{ term: "x", category: "c", severity: "urgent" }] } });
    assert.equal(bad.status, 400);
    const err = (await bad.json()).error;
    assert.deepEqual([err.code, err.pointer], ["LEXICON_INVALID", "/entries/0/severity"]);
    const empty = await s.request("/v1/lexicons/stand-in", { method: "PUT", json: { entries: [] } });
    assert.equal((await empty.json()).error.code, "LEXICON_INVALID");
    assert.equal((await post("/v1/search/check", { query: "vornaxle", surface: "search" })).status, 200);
    assert.equal((await (await post("/v1/search/check", { query: "vornaxle", surface: "search" })).json()).verdict, "block", "the good lexicon stayed");

    // A lexicon's names allow-list goes in with PUT, comes back with the export and is read by the matcher.
    const named = await s.request("/v1/lexicons/named", { method: "PUT", json: { entries: [{ term: "vellorox", category: "coded-term", severity: "block" }], names: ["Vellorix"], surfaces: ["search"] } });
    assert.equal(named.status, 200);
    assert.deepEqual((await (await s.request("/v1/lexicons/named")).json()).names, ["Vellorix"]);
    assert.equal((await (await post("/v1/search/check", { query: "Vellorix shoes", surface: "search" })).json()).verdict, "allow");
    assert.equal((await (await post("/v1/search/check", { query: "Vellorux shoes", surface: "search" })).json()).verdict, "block");
    const badNames = await s.request("/v1/lexicons/named", { method: "PUT", json: { entries: [{ term: "vellorox", category: "c", severity: "block" }], names: [""] } });
    assert.deepEqual([badNames.status, (await badNames.json()).error.pointer], [400, "/names/0"]);
    assert.equal((await s.request("/v1/lexicons/named", { method: "DELETE" })).status, 204);
    const draftEntries = [{ term: "vellorox", category: "coded-term", severity: "block" }];
    const draftTest = async (names?: string[]) => (await (await s.request("/v1/lexicons/test", { method: "POST", json: { text: "Vellorix shoes", entries: draftEntries, names } })).json()).hits.length;
    assert.deepEqual([await draftTest(["Vellorix"]), await draftTest()], [0, 1], "a draft's names are read by the live test too");

    const forbidden = await s.request("/v1/lexicons/other", { method: "PUT", key: s.checkKey, json: standIn });
    assert.equal(forbidden.status, 403);
    assert.equal((await s.request("/v1/lexicons/stand-in", { method: "DELETE" })).status, 204);
    assert.equal((await (await post("/v1/search/check", { query: "vornaxle", surface: "search" })).json()).verdict, "allow");
    assert.equal((await s.request("/v1/lexicons/stand-in")).status, 404);
  });
});
