import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, describe, it } from "node:test";

// `lapwing --help` (and every command's --help) builds the command tree and nothing else: the
// services, the store, the HTTP server and the detectors load only when a command runs. These are
// what made --help take a second; none may come back through a command module's imports.
const root = fileURLToPath(new URL("../../", import.meta.url));
const heavyPackages = ["sharp", "fastify", "kysely", "better-sqlite3", "pg", "@aws-sdk/client-s3", "nats", "pino", "zod"];
const detectorFolders = ["media", "matching", "text", "graph"];
const serviceFolders = ["server", "store", "services.ts"];

/** Runs the CLI from its TypeScript sources (as `npm run lapwing` does) and returns what it loaded. */
function modulesLoadedBy(args: string[], file: string): Promise<{ code: number | null; stdout: string; loaded: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "--import", "./test/support/record-modules.mjs", "src/cli/main.ts", ...args], {
      cwd: root,
      env: { ...process.env, LAPWING_RECORD_MODULES_TO: file },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.resume();
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, loaded: readFileSync(file, "utf8").split("\n").filter(Boolean) }));
  });
}

function offenders(loaded: string[]): string[] {
  const found = new Set<string>();
  for (const entry of loaded) {
    const path = entry.replace(/^file:\/\//, "");
    for (const name of heavyPackages) if (path.includes(`/node_modules/${name}/`)) found.add(name);
    for (const folder of [...detectorFolders, ...serviceFolders]) if (path.startsWith(join(root, "src", folder))) found.add(`src/${folder}`);
  }
  return [...found].sort();
}

describe("lapwing --help", () => {
  const dir = mkdtempSync(join(tmpdir(), "lapwing-help-loads-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const args of [["--help"], ["serve", "--help"], ["bank", "import", "--help"], ["recommendations", "audit", "--help"], ["help", "worker"]]) {
    it(`${args.join(" ")} loads no service, store, server, detector or heavy package`, async () => {
      const { code, stdout, loaded } = await modulesLoadedBy(args, join(dir, `${args.join("-")}.txt`));
      assert.equal(code, 0);
      assert.match(stdout, /^Usage: lapwing/);
      // The recorder works: the command tree itself was seen loading.
      assert.ok(loaded.some((m) => m.includes("/src/cli/program.ts")), "the recorder saw src/cli/program.ts");
      assert.ok(loaded.some((m) => m.includes("/node_modules/commander/")), "the recorder saw commander");
      assert.deepEqual(offenders(loaded), []);
    });
  }

  it("the recorder does see a command that runs load them", async () => {
    // `migrate` on a fresh SQLite file: it must load the store, kysely and better-sqlite3 (the check above can fail).
    const { code, loaded } = await modulesLoadedBy(["--database", `sqlite:${join(dir, "m.sqlite")}`, "migrate"], join(dir, "migrate.txt"));
    assert.equal(code, 0);
    const found = offenders(loaded);
    for (const expected of ["kysely", "better-sqlite3", "src/store"]) assert.ok(found.includes(expected), `migrate loaded ${expected} (saw ${found.join(", ")})`);
  });
});
