import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { runLapwing } from "../support/cli.js";

// Neutral stand-in words only.
const lexicon = { entries: [{ term: "vornaxle", category: "coded-term", severity: "block" }, { term: "xpl", category: "age-claim", severity: "review" }] };

describe("lapwing text, search and lexicon commands", () => {
  let dir: string;
  let db: string;
  let file: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "lapwing-text-cli-"));
    db = `sqlite:${join(dir, "t.sqlite")}`;
    file = join(dir, "lexicon.json");
    writeFileSync(file, JSON.stringify(lexicon));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("text check reads JSON lines and answers one line each, bad lines included", async () => {
    const input = [
      JSON.stringify({ id: "a", text: "get your v o r n a x l e here" }),
      "not json",
      JSON.stringify({ id: 7, text: "ordinary words" }),
      JSON.stringify({ id: "c" }),
      JSON.stringify({ id: "d", text: "im xpl", kind: "bio" }),
    ].join("\n");
    const run = await runLapwing(["text", "check", "--lexicon", file, "--json"], {}, input + "\n");
    assert.equal(run.code, 1, "refused lines make the exit code 1");
    assert.match(run.stderr, /2 lines were refused/);
    const lines = run.stdout.trim().split("\n").map((l) => JSON.parse(l));
    assert.equal(lines.length, 5);
    assert.equal(lines[0].id, "a");
    assert.equal(lines[0].verdict, "block");
    assert.deepEqual(Object.keys(lines[0].hits[0]).slice(0, 6), ["term", "category", "severity", "view", "start", "end"]);
    assert.equal(lines[0].hits[0].view, "spaced");
    assert.equal("get your v o r n a x l e here".slice(lines[0].hits[0].start, lines[0].hits[0].end), "v o r n a x l e");
    assert.ok(typeof lines[0].advert.score === "number");
    assert.deepEqual([lines[1].line, typeof lines[1].error], [2, "string"]);
    assert.deepEqual([lines[2].id, lines[2].verdict, lines[2].hits], [7, "allow", []]);
    assert.match(lines[3].error, /"text"/);
    assert.equal(lines[4].verdict, "review");
  });

  it("text check answers in readable lines without --json, and exits 0 when every line was checked", async () => {
    const input = [JSON.stringify({ id: "a", text: "get your v0rn@x1e here" }), JSON.stringify({ text: "ordinary words" })].join("\n");
    const run = await runLapwing(["text", "check", "--lexicon", file], {}, input + "\n");
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trim().split("\n");
    assert.match(lines[0], /^"a": block/);
    assert.match(lines[1], /"v0rn@x1e" → vornaxle \[coded-term, block, word, folded\]/);
    assert.match(lines[2], /^line 2: allow$/);
    assert.throws(() => JSON.parse(lines[0]), "not JSON without --json");
    const long = await runLapwing(["text", "check", "--lexicon", file], {}, JSON.stringify({ id: "z", text: "\u200b".repeat(100_000) + "vornaxle" }) + "\n");
    assert.equal(long.code, 1, "a text too long to check whole is refused, not allowed");
    assert.match(long.stdout, /line 1 \(id "z"\): refused: .*Split it/);
  });

  it("lexicon import refuses terms that cannot be meant, shows the benign-sample report, and stores them with --force", async () => {
    const broad = join(dir, "broad.json");
    writeFileSync(broad, JSON.stringify({ entries: [{ term: "a", category: "c", severity: "block" }, { term: "quilbery", category: "c", severity: "block" }] }));
    const refused = await runLapwing(["--database", db, "lexicon", "import", "broad", broad]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /"a" \(entry 0\): \d+ sample texts; too broad: is a single letter/);
    assert.match(refused.stderr, /--force/);
    const forced = await runLapwing(["--database", db, "lexicon", "import", "broad", broad, "--force", "--json"]);
    assert.equal(forced.code, 0, forced.stderr);
    const result = JSON.parse(forced.stdout);
    assert.equal(result.breadth.isTooBroad, true);
    assert.ok(result.breadth.terms[0].sampleHits > 1);
    assert.equal((await runLapwing(["--database", db, "lexicon", "delete", "broad"])).code, 0);
  });

  it("imports a lexicon, gates a search with it (exit 3 when blocked), lists and exports it", async () => {
    const imported = await runLapwing(["--database", db, "lexicon", "import", "stand-in", file, "--surfaces", "search,hashtag"]);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /Created lexicon "stand-in": 2 terms/);
    const blocked = await runLapwing(["--database", db, "search", "check", "#VornaxleFans", "--surface", "hashtag", "--json"]);
    assert.equal(blocked.code, 3);
    const verdict = JSON.parse(blocked.stdout);
    assert.equal(verdict.verdict, "block");
    assert.ok(verdict.resources.length > 0);
    const allowed = await runLapwing(["--database", db, "search", "check", "garden ideas"]);
    assert.equal(allowed.code, 0);
    const list = await runLapwing(["--database", db, "lexicon", "list", "--json"]);
    assert.deepEqual(list.stdout.trim().split("\n").map((l) => JSON.parse(l).name), ["default", "stand-in"]);
    const exported = await runLapwing(["--database", db, "lexicon", "export", "stand-in"]);
    assert.deepEqual(JSON.parse(exported.stdout), lexicon);
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ entries: [{ term: "x", category: "c", severity: "sometimes" }] }));
    const refused = await runLapwing(["--database", db, "lexicon", "import", "stand-in", bad]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /severity.*\/entries\/0\/severity/s);
  });
});
