// Regression check against the shared text-eval pack (issue 3): run the
// matcher with the pack's stand-in lexicon over every case, score with the
// pack's own scorer, and hold recall >= 0.99 and false-positive rate <= 0.3%.
// The pack lives in LAPWING_SHARED_DIR/text-eval (default: <repo>/../shared).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { compileLexicon, parseLexicon } from "./index.js";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const sharedDir = resolve(process.env.LAPWING_SHARED_DIR ?? join(repo, "..", "shared"));
const pack = join(sharedDir, "text-eval");

const MIN_RECALL = 0.99;
const MAX_FP_RATE = 0.003;

test("text-eval: recall >= 0.99 and false-positive rate <= 0.3% with the pack's scorer", { skip: !existsSync(join(pack, "score.mjs")) && `no eval pack at ${pack}` }, () => {
  const lexicon = compileLexicon(parseLexicon(readFileSync(join(pack, "lexicon.json"), "utf8")));
  const cases = readFileSync(join(pack, "cases.jsonl"), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as { id: string; text: string });
  const lines = cases.map((c) => JSON.stringify({ id: c.id, hits: [...new Set(lexicon.match(c.text).map((h) => h.term))] }));

  const dir = mkdtempSync(join(tmpdir(), "lapwing-text-eval-"));
  try {
    const results = join(dir, "results.jsonl");
    writeFileSync(results, lines.join("\n") + "\n");
    const report = execFileSync(process.execPath, ["score.mjs", "cases.jsonl", results, "--list"], { cwd: pack, encoding: "utf8" });
    // Per-family figures, for the log.
    console.log(report);
    const summary = /recall=([0-9.]+|n\/a) fp_rate=([0-9.]+|n\/a)/.exec(report);
    assert.ok(summary, "the scorer printed no summary line");
    const recall = Number(summary[1]);
    const fpRate = Number(summary[2]);
    assert.ok(recall >= MIN_RECALL, `recall ${recall} < ${MIN_RECALL}`);
    assert.ok(fpRate <= MAX_FP_RATE, `fp_rate ${fpRate} > ${MAX_FP_RATE}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
