import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { describe, it } from "node:test";
import { parseBankFile, type ImportRow, type SkippedRow } from "./file-formats.js";

const doc = readFileSync(new URL("../../docs/banks.md", import.meta.url), "utf8");
const examples = [...doc.matchAll(/```csv\n([\s\S]*?)```/g)].map((m) => m[1]!);

async function parse(text: string, format: "lapwing" | "threatexchange") {
  const rows: ImportRow[] = [];
  const skipped: SkippedRow[] = [];
  for await (const row of parseBankFile(Readable.from([text]), format, (s) => skipped.push(s))) rows.push(row);
  return { rows, skipped };
}

describe("docs/banks.md", () => {
  it("shows a lapwing file that imports as the table describes", async () => {
    const { rows, skipped } = await parse(examples[0]!, "lapwing");
    assert.deepEqual(
      rows.map((r) => [r.signalType, r.bank, r.category]),
      [
        ["pdq", "partner-list", "csam"],
        ["pdq", "partner-list", "csam"],
        ["md5", "own-removals", "csam"],
        ["sha256", "", "spam"],
      ],
    );
    assert.equal(rows[0]!.note, "received 2026-02-01, batch 7");
    assert.deepEqual(skipped, []);
  });

  it("shows a ThreatExchange file whose url row is skipped", async () => {
    const { rows, skipped } = await parse(examples[1]!, "threatexchange");
    assert.deepEqual(rows.map((r) => [r.signalType, r.bank, r.note]), [["pdq", "industry-collab", "verified,2026"], ["md5", "industry-collab", ""]]);
    assert.deepEqual(skipped.map((s) => s.line), [4]);
  });
});
