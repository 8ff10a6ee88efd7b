// Defect 10 of issue 10: with large banks `serve` read every hash from the
// database at each start. Now it keeps a PDQ index snapshot by default beside
// the SQLite file, writes it at start and on shutdown, and on the next start
// reads only the changes since from the database; a corrupt or truncated
// snapshot is ignored (with a message) and the index is loaded in full.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { createTestDatabase } from "../../src/store/testing.js";
import { runLapwing, spawnLapwing, waitFor } from "../support/cli.js";

function bankFile(path: string, rows: number): string {
  const lines = ["signal_type,signal,bank,category,note"];
  for (let i = 0; i < rows; i++) lines.push(`pdq,${randomBytes(32).toString("hex")},snapshot-test,synthetic,row ${i}`);
  writeFileSync(path, lines.join("\n") + "\n");
  return path;
}

/** Starts `serve` with the default snapshot location, returns what it printed before listening and its index size, then stops it with SIGTERM. */
async function startAndStop(databaseUrl: string): Promise<{ startup: string; hashes: number; exitCode: number | null }> {
  const child = spawnLapwing(["--database", databaseUrl, "serve", "--port", "0"], { LAPWING_INDEX_SNAPSHOT_PATH: "" });
  child.stdout!.resume();
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  try {
    const url = await waitFor("the server's URL", async () => {
      if (child.exitCode !== null) throw new Error(`serve exited:\n${stderr}`);
      return /running at (http:\/\/\S+)/.exec(stderr)?.[1];
    }, { timeoutMs: 60_000 });
    const startup = stderr;
    const health = (await (await fetch(`${url}/healthz`)).json()) as { pdqIndex: { hashes: number } };
    child.kill("SIGTERM");
    return { startup, hashes: health.pdqIndex.hashes, exitCode: await exited };
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
  }
}

describe("PDQ index snapshot by default", () => {
  it("is written beside the database, used on the next start, and ignored when corrupt", async () => {
    const database = await createTestDatabase("sqlite");
    const file = database.url.slice("sqlite:".length);
    const snapshot = `${file}.pdq-index`;
    try {
      const first = await runLapwing(["--database", database.url, "bank", "import", bankFile(join(file, "..", "a.csv"), 3000)]);
      assert.equal(first.code, 0, first.stderr);

      const cold = await startAndStop(database.url);
      assert.equal(cold.exitCode, 0);
      assert.equal(cold.hashes, 3000);
      assert.match(cold.startup, /PDQ index: 3,000 hashes loaded from the database/);
      assert.ok(existsSync(snapshot), "the snapshot is kept beside the database");

      // Changes made while the server is down are read from the database; the rest comes from the snapshot.
      const second = await runLapwing(["--database", database.url, "bank", "import", bankFile(join(file, "..", "b.csv"), 500)]);
      assert.equal(second.code, 0, second.stderr);
      const warm = await startAndStop(database.url);
      assert.equal(warm.hashes, 3500);
      assert.match(warm.startup, /PDQ index: 3,500 hashes \(3,000 from the snapshot, the rest from the database/);

      // A truncated snapshot (a full disk), then garbage: ignored, everything read from the database.
      const valid = readFileSync(snapshot);
      for (const broken of [valid.subarray(0, Math.floor(valid.length / 2)), randomBytes(valid.length)]) {
        writeFileSync(snapshot, broken);
        const recovered = await startAndStop(database.url);
        assert.equal(recovered.exitCode, 0);
        assert.equal(recovered.hashes, 3500);
        assert.match(recovered.startup, /snapshot .* not used/);
        assert.match(recovered.startup, /PDQ index: 3,500 hashes loaded from the database/);
      }
    } finally {
      await database.drop();
    }
  });
});
