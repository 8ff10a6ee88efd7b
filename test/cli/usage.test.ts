// Rough edges of issue 10: usage mistakes exit 2 (also `lapwing nosuch --help`,
// which used to print the main help and exit 0), a read-only command given a
// mistyped SQLite path creates nothing, and a port in use is one clear line.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { runLapwing } from "../support/cli.js";

describe("lapwing usage mistakes and start-up errors", () => {
  it("exits 2 for unknown commands (with or without --help), invalid choices and missing arguments", async () => {
    for (const args of [["nosuch", "--help"], ["nosuch"], ["bank", "nosuch", "--help"], ["bank", "import", "x.csv", "--format", "nope"], ["bank", "import"]]) {
      const run = await runLapwing(args);
      assert.equal(run.code, 2, `lapwing ${args.join(" ")}: ${run.stderr}`);
      assert.doesNotMatch(run.stdout, /Usage: lapwing \[options\] \[command\]/, "no main help in place of the error");
    }
    assert.equal((await runLapwing(["bank", "--help"])).code, 0, "asking for help is not a mistake");
  });

  it("refuses a read-only command on a missing SQLite file without creating it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lapwing-usage-"));
    try {
      const missing = join(dir, "typo", "lapwing.sqlite");
      const run = await runLapwing(["--database", `sqlite:${missing}`, "bank", "list"]);
      assert.equal(run.code, 1);
      assert.match(run.stderr, /There is no database at .*typo.*lapwing migrate/);
      assert.ok(!existsSync(join(dir, "typo")), "no folder, no empty database");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("says in one line that the port is in use, and exits 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lapwing-usage-"));
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    try {
      const port = (taken.address() as { port: number }).port;
      const run = await runLapwing(["--database", `sqlite:${join(dir, "db.sqlite")}`, "serve", "--port", String(port)]);
      assert.equal(run.code, 1);
      const errors = run.stderr.split("\n").filter((l) => l.startsWith("lapwing:"));
      assert.deepEqual(errors, [`lapwing: port ${port} is in use on 127.0.0.1; set LAPWING_PORT (or --port) to a free port, or stop the other server.`]);
      assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace");
    } finally {
      taken.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
