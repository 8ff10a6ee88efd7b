import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CsvError, csvLine, readCsv } from "./csv.js";

async function* chunksOf(text: string, size: number) {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function parse(text: string, size = 3) {
  const out = [];
  for await (const r of readCsv(chunksOf(text, size))) out.push(r);
  return out;
}

describe("csv", () => {
  it("reads quoted fields with commas, quotes and newlines across chunk boundaries", async () => {
    const records = await parse('a,b,c\r\n"x, y","say ""hi""","two\nlines"\nlast,,\n');
    assert.deepEqual(records, [
      { line: 1, fields: ["a", "b", "c"] },
      { line: 2, fields: ["x, y", 'say "hi"', "two\nlines"] },
      { line: 4, fields: ["last", "", ""] },
    ]);
  });

  it("reads a final record without a newline and skips blank lines", async () => {
    assert.deepEqual(await parse("a,b\n\n\nc,d", 1), [
      { line: 1, fields: ["a", "b"] },
      { line: 4, fields: ["c", "d"] },
    ]);
  });

  it("reports an unclosed quote with its line", async () => {
    await assert.rejects(parse('a\n"never closed,b\n'), (e: unknown) => e instanceof CsvError && e.line === 2);
  });

  it("round-trips what it writes, and defuses spreadsheet formulas", async () => {
    const rows = [["pdq", "a,b", 'q"uote', "line\nbreak", "=cmd()"]];
    const text = rows.map(csvLine).join("");
    const [back] = await parse(text, 2);
    assert.deepEqual(back!.fields, ["pdq", "a,b", 'q"uote', "line\nbreak", "'=cmd()"]);
  });

  it("bounds a runaway field", async () => {
    await assert.rejects(
      (async () => {
        for await (const _ of readCsv(chunksOf("x".repeat(100), 7), { maxFieldChars: 50 })) void _;
      })(),
      /longer than 50/,
    );
  });
});
