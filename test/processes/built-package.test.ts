// The compiled package (dist/, from `npm run build:server`) is what `lapwing` runs: its command line
// answers, `serve` starts from it and hashes media on its worker threads (the thread script and the
// other run-time assets must be found next to the compiled modules, not in src/).
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { syntheticPng } from "../support/images.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const main = join(root, "dist/cli/main.js");

/** Builds dist/ when it is absent (a fresh clone gets it from `npm install`'s prepare step). */
function ensureBuilt(): void {
  if (existsSync(main)) return;
  const built = spawnSync("npm", ["run", "build:server"], { cwd: root, encoding: "utf8" });
  assert.equal(built.status, 0, `npm run build:server failed:\n${built.stdout}\n${built.stderr}`);
}

function runBuilt(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [main, ...args], { cwd: root, encoding: "utf8", env: { ...process.env, LAPWING_LOG_LEVEL: "warn", LAPWING_INDEX_SNAPSHOT_PATH: "off", ...env } });
}

describe("the built package", () => {
  it("answers --help and runs serve from dist/ without tsx, media hashing included", async () => {
    ensureBuilt();
    const help = runBuilt(["--help"]);
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /consume/);
    assert.match(help.stdout, /serve/);
    // Nothing under dist/ may load TypeScript: no tsx loader is registered when dist/ runs.
    assert.ok(existsSync(join(root, "dist/known-media/hash-thread.js")));
    assert.ok(existsSync(join(root, "dist/recs/audit/html/page-script.js")), "run-time assets are copied next to the compiled modules");

    const dir = mkdtempSync(join(tmpdir(), "lapwing-built-"));
    const database = `sqlite:${join(dir, "db.sqlite")}`;
    try {
      const created = runBuilt(["--database", database, "keys", "create", "--name", "built", "--scope", "admin", "--json"]);
      assert.equal(created.status, 0, created.stderr);
      const key = (JSON.parse(created.stdout) as { secret: string }).secret;

      const child = spawn(process.execPath, [main, "--database", database, "serve", "--port", "0"], {
        cwd: root,
        env: { ...process.env, LAPWING_LOG_LEVEL: "warn", LAPWING_INDEX_SNAPSHOT_PATH: "off" },
        stdio: ["ignore", "ignore", "pipe"],
      });
      const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
      try {
        const url = await new Promise<string>((resolve, reject) => {
          let stderr = "";
          child.stderr!.on("data", (d) => {
            stderr += d;
            const match = /running at (http:\/\/\S+)/.exec(stderr);
            if (match) resolve(match[1]!);
          });
          child.on("exit", (code) => reject(new Error(`serve from dist/ exited with ${code}:\n${stderr}`)));
        });
        assert.equal((await fetch(`${url}/healthz`)).status, 200);
        const check = await fetch(`${url}/v1/media/check`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "image/png" }, body: await syntheticPng(256, 256, 7) });
        const body = (await check.json()) as { verdict: string; hashes: { pdq?: string } };
        assert.equal(check.status, 200, JSON.stringify(body));
        assert.equal(body.verdict, "allow");
        assert.match(body.hashes.pdq ?? "", /^[0-9a-f]{64}$/, "the PDQ hash came from the compiled hash thread");
      } finally {
        child.kill("SIGTERM");
        await exited;
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
