import assert from "node:assert/strict";
import { createReadStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parseBankFile } from "../../src/banks/file-formats.js";
import { platformEvent } from "../../src/events/index.js";
import type { ScenarioLabels } from "../../src/scenario/index.js";
import { parseLexicon } from "../../src/text/index.js";
import { runLapwing } from "../support/cli.js";

describe("lapwing scenario", () => {
  let dir: string;
  let labels: ScenarioLabels;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "lapwing-scenario-"));
    const run = await runLapwing(["scenario", "generate", "--accounts", "2000", "--seed", "5", "--out", dir, "--json"]);
    assert.equal(run.code, 0, run.stderr);
    const summary = JSON.parse(run.stdout);
    assert.equal(summary.accounts, 2000);
    assert.equal(summary.seeds.length, 5);
    labels = JSON.parse(readFileSync(join(dir, "labels.json"), "utf8"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("writes events that parse line by line, a bank that imports, a lexicon, suggestions and viewers", async () => {
    const lines = readFileSync(join(dir, "events.jsonl"), "utf8").trimEnd().split("\n");
    for (const line of lines.filter((_, i) => i % 17 === 0)) assert.ok(platformEvent.safeParse(JSON.parse(line)).success, line);
    const rows = [];
    for await (const row of parseBankFile(createReadStream(join(dir, "bank.csv"), "utf8"), "lapwing")) rows.push(row);
    assert.ok(rows.length >= 40);
    assert.ok(rows.every((r) => r.signalType === "pdq" && r.category === "csam" && r.bank === "scenario-known-media"));
    assert.ok(parseLexicon(readFileSync(join(dir, "lexicon.json"), "utf8")).entries.length > 5);
    const recs = JSON.parse(readFileSync(join(dir, "recs.json"), "utf8")).recs;
    const viewers = JSON.parse(readFileSync(join(dir, "viewers.json"), "utf8"));
    for (const group of ["teen", "fresh", "other"]) for (const v of viewers[group]) assert.ok(Array.isArray(recs[v]), `${v} has suggestions`);
  });

  it("writes the same files for the same seed", async () => {
    const again = mkdtempSync(join(tmpdir(), "lapwing-scenario-"));
    try {
      assert.equal((await runLapwing(["scenario", "generate", "--accounts", "2000", "--seed", "5", "--out", again])).code, 0);
      for (const f of ["events.jsonl", "labels.json", "bank.csv", "recs.json"]) assert.ok(readFileSync(join(dir, f)).equals(readFileSync(join(again, f))), f);
    } finally {
      rmSync(again, { recursive: true, force: true });
    }
  });

  it("evaluates a ranking from `network rank --json` lines, with the two-hop baseline beside it", async () => {
    const seeds = new Set(labels.network.seeds);
    const perfect = [...labels.network.members.filter((m) => !seeds.has(m)), ...labels.targetedMinors];
    const input = perfect.map((account, i) => JSON.stringify({ account, score: 1 - i / 1000, cluster: null, explanation: [] })).join("\n") + "\n";
    const run = await runLapwing(["scenario", "evaluate", "--labels", join(dir, "labels.json"), "--events", join(dir, "events.jsonl"), "--json"], {}, input);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    assert.equal(result.ranking.precisionAtN, 1);
    assert.equal(result.ranking.n, labels.network.size - 5);
    assert.ok(result.twoHop.precisionAtN < 0.9);
    const text = await runLapwing(["scenario", "evaluate", "--labels", join(dir, "labels.json")], {}, input);
    assert.match(text.stdout, /precision@N 1\.000/);
    assert.match(text.stdout, /wrong in the top N: teen 0 \(targeted 0\), staff 0, benign seller 0, celebrity 0, reporter 0/);
  });

  it("refuses bad input with a message that says what to do", async () => {
    const bad = await runLapwing(["scenario", "evaluate", "--labels", join(dir, "labels.json")], {}, '{"account": "u1"}\nnot json\n');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /standard input line 2 is not valid JSON/);
    const shape = await runLapwing(["scenario", "evaluate", "--labels", join(dir, "labels.json")], {}, '{"id": "u1"}\n');
    assert.match(shape.stderr, /line 1: expected \{"account"/);
    const notLabels = await runLapwing(["scenario", "evaluate", "--labels", join(dir, "bank.csv")], {}, "");
    assert.match(notLabels.stderr, /not valid JSON; pass the labels.json/);
    const tiny = await runLapwing(["scenario", "generate", "--accounts", "5", "--out", join(dir, "tiny")]);
    assert.equal(tiny.code, 1);
    assert.match(tiny.stderr, /--accounts takes a whole number from 1000 to 5000000; got "5"/);
  });
});

