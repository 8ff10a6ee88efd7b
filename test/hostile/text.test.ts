// Hostile text probes from issue 10 (defects 7, 8 and 9), generated at test
// time and run over real sockets on both backends. Neutral stand-in words
// only, plus the built-in default lexicon's documented terms.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { defaultLexicon } from "../../src/lexicons/index.js";
import { dialects } from "../../src/store/testing.js";
import { startTestServer, type TestServer } from "../support/server.js";

const standIn = { entries: [{ term: "vornaxle", category: "coded-term", severity: "block", source: "test stand-in" }] };
const builtInTerm = defaultLexicon.entries[0]!.term;
/** Controls that draw nothing: each must read as nothing, not as a word break. */
const controls = ["\u0000", "\u0001", "\u0008", "\u007f", "\u009b"];
const zeroWidthSpace = "\u200b";
const textLimit = 100_000;

for (const dialect of dialects) {
  describe(`hostile text (${dialect})`, () => {
    let s: TestServer | undefined;
    let skip = "";
    before(async () => {
      const started = await startTestServer(dialect, { maxJsonBytes: 4 * 1024 * 1024, workerPollMs: 25 });
      if (typeof started === "string") {
        skip = started;
        return;
      }
      s = started;
      assert.equal((await s.request("/v1/lexicons/stand-in", { method: "PUT", json: standIn })).status, 200);
    });
    after(async () => s?.close());

    const post = (path: string, json: unknown) => s!.request(path, { method: "POST", key: s!.checkKey, json });
    const textCheck = async (text: string) => post("/v1/text/check", { text, kind: "post" });

    async function processedSignals(id: string, text: string) {
      const sent = await s!.request("/v1/events", { method: "POST", json: { events: [{ id, type: "post.created", occurred_at: "2026-01-01T00:00:00Z", post: { id: `p-${id}`, author_id: "a1", text } }] } });
      assert.equal(sent.status, 202, await sent.clone().text());
      for (let waited = 0; waited < 20_000; waited += 50) {
        const body = await (await s!.request(`/v1/events/${id}`)).json();
        if (body.state === "processed") return body.signals as Array<{ hits: Array<{ term: string }> }>;
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.fail(`event ${id} was not processed`);
    }

    it("defect 7: control characters inside a term do not hide it, on /v1/text/check, the search gate and in events", async (t) => {
      if (skip) return t.skip(skip);
      for (const control of controls) {
        for (const term of ["vornaxle", builtInTerm]) {
          const text = `${term.slice(0, 4)}${control}${term.slice(4)}`;
          const checked = await (await textCheck(`new drop ${text} here`)).json();
          assert.equal(checked.verdict, "block", `text check of ${JSON.stringify(text)}`);
          assert.ok(checked.hits.some((h: { term: string }) => h.term === term));
          assert.equal((await (await post("/v1/search/check", { query: text, surface: "search" })).json()).verdict, "block", `search ${JSON.stringify(text)}`);
        }
      }
      const signals = await processedSignals("ctl-1", `fresh vorn\u0001axle`);
      assert.deepEqual(signals.flatMap((sig) => sig.hits.map((h) => h.term)), ["vornaxle"]);
    });

    it("defect 7: a lexicon term written with control characters means the same as without them", async (t) => {
      if (skip) return t.skip(skip);
      const put = await s!.request("/v1/lexicons/controls", { method: "PUT", json: { entries: [{ term: "quil\u0001bery", category: "coded-term", severity: "block" }], surfaces: ["search"] } });
      assert.equal(put.status, 200);
      for (const query of ["quilbery", "quil\u0000bery", "quil\u007fbery"]) {
        assert.equal((await (await post("/v1/search/check", { query, surface: "search" })).json()).verdict, "block", JSON.stringify(query));
      }
      assert.equal((await (await post("/v1/search/check", { query: "quil bery", surface: "search" })).json()).verdict, "allow", "a real space still separates words");
      assert.equal((await s!.request("/v1/lexicons/controls", { method: "DELETE" })).status, 204);
    });

    it("defect 8: a text is checked whole or refused with 413, never allowed unread", async (t) => {
      if (skip) return t.skip(skip);
      // The probe: 100,000 zero-width spaces, then a term.
      for (const term of ["vornaxle", builtInTerm]) {
        const probe = await textCheck(zeroWidthSpace.repeat(textLimit) + term);
        assert.equal(probe.status, 413);
        const { error } = await probe.json();
        assert.equal(error.code, "TEXT_TOO_LONG");
        assert.match(error.message, /Split it/);
      }
      // At the limit the whole text is read, so a term at the very end is found.
      const atLimit = zeroWidthSpace.repeat(textLimit - 8) + "vornaxle";
      const whole = await (await textCheck(atLimit)).json();
      assert.deepEqual([whole.verdict, whole.isTruncated], ["block", false]);
      const visible = await (await textCheck("ab ".repeat((textLimit - 9) / 3) + " vornaxle")).json();
      assert.equal(visible.verdict, "block");
      // A megabyte is refused, not read in part.
      assert.equal((await textCheck("a".repeat(1_000_000))).status, 413);

      // The search gate refuses a query over its bound (1,000 characters) and reads shorter ones whole.
      const longQuery = await post("/v1/search/check", { query: zeroWidthSpace.repeat(1000) + "vornaxle", surface: "search" });
      assert.equal(longQuery.status, 400);
      assert.equal((await (await post("/v1/search/check", { query: zeroWidthSpace.repeat(990) + "vornaxle", surface: "search" })).json()).verdict, "block");

      // Events: a text over the limit is refused at the door; one at the limit is read to its end.
      const over = await s!.request("/v1/events", { method: "POST", json: { events: [{ id: "long-1", type: "post.created", occurred_at: "2026-01-01T00:00:00Z", post: { id: "pl", author_id: "a1", text: zeroWidthSpace.repeat(textLimit) + "vornaxle" } }] } });
      assert.equal(over.status, 400);
      const signals = await processedSignals("long-2", atLimit);
      assert.deepEqual(signals.flatMap((sig) => sig.hits.map((h) => h.term)), ["vornaxle"]);
    });

    it("defect 9: terms that cannot be meant are refused with a benign-sample report, or stored with force", async (t) => {
      if (skip) return t.skip(skip);
      const put = (name: string, entries: unknown[], force?: boolean) =>
        s!.request(`/v1/lexicons/${name}`, { method: "PUT", json: { entries, surfaces: ["search"], ...(force === undefined ? {} : { force }) } });
      const oneLetter = { term: "a", category: "coded-term", severity: "block" };
      for (const [entries, pointerTerm] of [
        [[oneLetter], "a"],
        [[{ term: "^$|+", category: "coded-term", severity: "block" }], "^$|+"],
        [[{ term: "the", category: "coded-term", severity: "review" }], "the"],
      ] as const) {
        const refused = await put("broad", [...entries]);
        assert.equal(refused.status, 422, pointerTerm);
        const { error } = await refused.json();
        assert.equal(error.code, "LEXICON_TOO_BROAD");
        assert.match(error.message, /force/);
        const reported = error.details.terms.find((term: { term: string }) => term.term === pointerTerm);
        assert.ok(reported?.problems.length > 0, `${pointerTerm} is reported with its problem`);
        assert.ok(error.details.sampleTexts >= 100);
      }
      // Regex syntax with nothing left once normalised was already malformed.
      const regex = await put("broad", [{ term: ".*", category: "coded-term", severity: "block" }]);
      assert.deepEqual([regex.status, (await regex.json()).error.code], [400, "LEXICON_INVALID"]);
      assert.equal((await s!.request("/v1/lexicons/broad")).status, 404, "nothing was stored");
      assert.equal((await (await post("/v1/search/check", { query: "a cat on a mat", surface: "search" })).json()).verdict, "allow");

      // The sample counts how many ordinary texts the term hits, before it goes live.
      const forced = await put("broad", [oneLetter], true);
      assert.equal(forced.status, 200);
      const { breadth } = await forced.json();
      assert.equal(breadth.isTooBroad, true);
      assert.ok(breadth.terms[0].sampleHits > 1, `the one-letter term hits ${breadth.terms[0].sampleHits} sample texts`);
      assert.equal((await (await post("/v1/search/check", { query: "a cat on a mat", surface: "search" })).json()).verdict, "block", "forced means live");
      assert.equal((await s!.request("/v1/lexicons/broad", { method: "DELETE" })).status, 204);

      // A meant term passes without force and says it hit nothing.
      const fine = await put("fine", [{ term: "glimberox", category: "coded-term", severity: "block" }]);
      assert.equal(fine.status, 200);
      assert.deepEqual((await fine.json()).breadth, { sampleTexts: breadth.sampleTexts, terms: [], isTooBroad: false });
      assert.equal((await s!.request("/v1/lexicons/fine", { method: "DELETE" })).status, 204);
    });
  });
}
