import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Command } from "commander";
import sharp from "sharp";
import { buildProgram } from "../../src/cli/program.js";
import { hashMedia } from "../../src/media/index.js";
import { runLapwing } from "../support/cli.js";
import { syntheticPng } from "../support/images.js";

function walk(command: Command): Command[] {
  return [command, ...command.commands.flatMap(walk)];
}

describe("lapwing CLI", () => {
  let dir: string;
  let db: string;
  let png: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "lapwing-cli-"));
    db = `sqlite:${join(dir, "cli.sqlite")}`;
    png = join(dir, "listed.png");
    writeFileSync(png, await syntheticPng(400, 300, 11));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("describes every command and option in --help", async () => {
    for (const command of walk(buildProgram())) {
      assert.ok(command.description().length > 10, `"${command.name()}" has a description`);
      for (const option of command.options) assert.ok(option.description.length > 3, `${command.name()} ${option.flags} is described`);
    }
    const help = await runLapwing(["bank", "import", "--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: lapwing bank import \[options\] <file>/);
    assert.match(help.stdout, /--format <format>/);
  });

  it("hashes files as JSON lines, with a clear error line for each bad file, and keeps going", async () => {
    const truncated = join(dir, "truncated.png");
    const text = join(dir, "notes.txt");
    const bytes = await syntheticPng(200, 200, 3);
    writeFileSync(truncated, bytes.subarray(0, 100));
    writeFileSync(text, "not an image");
    const run = await runLapwing(["hash", "--json", "--dihedral", png, truncated, join(dir, "missing.jpg"), text]);
    assert.equal(run.code, 1, "exit code 1 when some file failed");
    const lines = run.stdout.trim().split("\n").map((l) => JSON.parse(l));
    assert.equal(lines.length, 4);
    const expected = await hashMedia(readFileSync(png), { dihedral: true });
    assert.deepEqual(Object.keys(lines[0]), ["file", "pdq", "quality", "md5", "sha256", "dihedral"], run.stdout);
    assert.equal(lines[0].pdq, expected.pdq);
    assert.deepEqual(Object.keys(lines[0].dihedral), ["orig", "rot90", "rot180", "rot270", "flipx", "flipy", "flipp", "flipm"]);
    assert.match(lines[1].error, /MEDIA_DECODE_FAILED/);
    assert.match(lines[2].error, /no such file/);
    assert.match(lines[3].error, /MEDIA_UNSUPPORTED_FORMAT/);
    const directory = await runLapwing(["hash", "--json", dir]);
    assert.equal(directory.code, 1);
    assert.equal(JSON.parse(directory.stdout).error, `is a directory; name the files in it instead (for example ${dir}/*)`);
    const reference = await runLapwing(["hash", "--json", "--mode", "reference", png]);
    assert.equal(JSON.parse(reference.stdout).pdq, (await hashMedia(readFileSync(png), { mode: "reference" })).pdq);
  });

  it("creates a bank, imports, lists, exports and matches (exit 3 on a match, 0 without)", async () => {
    const listed = await hashMedia(readFileSync(png));
    assert.equal((await runLapwing(["--database", db, "bank", "create", "cli-bank", "--threshold", "20"])).code, 0);
    const csv = join(dir, "te.csv");
    writeFileSync(csv, `signal_type,signal_str,collab,category,tags\npdq,${listed.pdq},cli-bank,synthetic,\nurl,https://example.invalid/x,cli-bank,,\n`);
    const imported = await runLapwing(["--database", db, "bank", "import", csv, "--format", "threatexchange", "--json"]);
    assert.equal(imported.code, 0, imported.stderr);
    assert.deepEqual(JSON.parse(imported.stdout), { rowsRead: 1, added: 1, duplicates: 0, skipped: 1, banksCreated: [] });

    const list = await runLapwing(["--database", db, "bank", "list", "--json"]);
    const banks = list.stdout.trim().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(banks.map((b) => [b.name, b.entryCount, b.pdqThreshold]), [["cli-bank", 1, 20]]);

    const exported = await runLapwing(["--database", db, "bank", "export", "cli-bank"]);
    assert.equal(exported.stdout, `signal_type,signal,bank,category,note\npdq,${listed.pdq},cli-bank,synthetic,\n`);

    const rotated = join(dir, "rotated.png");
    writeFileSync(rotated, await sharp(png).rotate(180).png().toBuffer());
    const hit = await runLapwing(["--database", db, "match", rotated, "--dihedral", "--json"]);
    assert.equal(hit.code, 3, hit.stderr);
    const result = JSON.parse(hit.stdout);
    assert.equal(result.verdict, "block");
    assert.equal(result.matches[0].orientation, "rot180");

    const miss = await runLapwing(["--database", db, "match", "0".repeat(64)]);
    assert.equal(miss.code, 0);
    assert.match(miss.stdout, /allow/);
    const bad = await runLapwing(["--database", db, "match", "nothex"]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /nothex: no such file, and not a hash either \(an MD5 is 32 hex digits; a PDQ hash, or a SHA-256 with --sha256, is 64\)/);
    const missing = await runLapwing(["--database", db, "match", join(dir, "nonexistent.jpg"), "--json"]);
    assert.equal(missing.code, 1);
    assert.match(JSON.parse(missing.stdout).error, /^no such file/, "a missing file is named as such, not as a malformed hash");
    const directory = await runLapwing(["--database", db, "match", dir]);
    assert.equal(directory.code, 1);
    assert.match(directory.stderr, /is a directory; give one file/);
    const noBank = await runLapwing(["--database", db, "bank", "export", "nope"]);
    assert.equal(noBank.code, 1);
    assert.match(noBank.stderr, /No hash bank is named or has id "nope"/);
  });
});
