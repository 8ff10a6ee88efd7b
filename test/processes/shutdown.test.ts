// Defect 11 of issue 10: `serve` and `worker` stop gracefully on SIGTERM,
// also when started through `npm start` (npm forwarded the signal to `sh -c`,
// which died of it and left the server running as an orphan). A worker stopped
// in the middle of a webhook delivery hands the job back at once (attempt
// uncounted) instead of leaving it leased until the lease ends.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../../src/config/index.js";
import { createServices } from "../../src/services.js";
import { databaseId, migrateToLatest, openStore } from "../../src/store/index.js";
import { createTestDatabase } from "../../src/store/testing.js";
import { spawnLapwing, waitFor } from "../support/cli.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("graceful shutdown", () => {
  it("npm start: SIGTERM to npm stops the server, which exits 0", async () => {
    const database = await createTestDatabase("sqlite");
    const npm = spawn("npm", ["start", "--silent"], {
      cwd: root,
      env: { ...process.env, LAPWING_DATABASE_URL: database.url, LAPWING_PORT: "0", LAPWING_LOG_LEVEL: "warn", LAPWING_INDEX_SNAPSHOT_PATH: "off" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let descendants: number[] = [];
    try {
      npm.stdout!.resume();
      let stderr = "";
      npm.stderr!.on("data", (d) => (stderr += d));
      const url = await waitFor("the server's URL", async () => /running at (http:\/\/\S+)/.exec(stderr)?.[1], { timeoutMs: 60_000 });
      assert.equal((await fetch(`${url}/healthz`)).status, 200);
      // npm runs the script through `sh -c`; whatever sits between, the server is npm's descendant.
      const children = (pid: number): number[] => {
        const listed = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
        return listed ? listed.split(/\s+/).map(Number) : [];
      };
      descendants = children(npm.pid!).flatMap((c) => [c, ...children(c)]);
      assert.ok(descendants.length > 0, "npm started the server");

      const exited = new Promise<number | null>((resolve) => npm.on("exit", (code) => resolve(code)));
      npm.kill("SIGTERM");
      assert.equal(await exited, 0, `npm start exits 0:\n${stderr}`);
      await waitFor("the server process to be gone", async () => (descendants.some(alive) ? undefined : true), { timeoutMs: 20_000 });
      assert.match(stderr, /SIGTERM: finishing requests in flight/);
      await assert.rejects(fetch(`${url}/healthz`), "nothing listens any more");
    } finally {
      if (npm.exitCode === null) npm.kill("SIGKILL");
      // An orphaned server would keep this test's pipes open (and the port) forever.
      for (const pid of descendants.filter(alive)) process.kill(pid, "SIGKILL");
      await database.drop();
    }
  });

  it("worker: SIGTERM mid-delivery hands the webhook job back at once and exits 0", async () => {
    const database = await createTestDatabase("sqlite");
    // A platform endpoint that takes the request and never answers.
    const hanging: Server = createServer(() => {});
    let received = 0;
    hanging.on("request", () => received++);
    await new Promise<void>((resolve) => hanging.listen(0, "127.0.0.1", resolve));
    const webhookUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/hook`;
    const secret = "s".repeat(32);
    const timeoutMs = 120_000;

    const store = await openStore(database.url);
    await migrateToLatest(store.db);
    const config = loadConfig({ env: {}, overrides: { databaseUrl: database.url, webhookUrl, webhookSecret: secret } });
    const services = createServices(config, store, { databaseId: await databaseId(store.db) });
    await store.db.transaction().execute((trx) =>
      services.actions.emit(trx, [{ key: "hold:p1", kind: "content.hold", accountId: "a1", target: { type: "post", id: "p1" }, actor: "system", reason: "a test action" }]),
    );
    const worker = spawnLapwing(["--database", database.url, "worker"], {
      LAPWING_WEBHOOK_URL: webhookUrl,
      LAPWING_WEBHOOK_SECRET: secret,
      LAPWING_WEBHOOK_TIMEOUT_MS: String(timeoutMs),
      LAPWING_WORKER_POLL_MS: "50",
    });
    try {
      let stderr = "";
      worker.stdout!.resume();
      worker.stderr!.on("data", (d) => (stderr += d));
      assert.ok(await waitFor("the delivery to start", async () => (received > 0 ? true : undefined), { timeoutMs: 60_000 }));
      assert.match(stderr, /webhooks: on, to 127\.0\.0\.1/);

      const stoppedAt = performance.now();
      const exited = new Promise<number | null>((resolve) => worker.on("exit", (code) => resolve(code)));
      worker.kill("SIGTERM");
      assert.equal(await exited, 0, stderr);
      assert.ok(performance.now() - stoppedAt < timeoutMs / 4, "it did not wait for the delivery to time out");

      const job = await store.db.selectFrom("jobs").select(["state", "attempts", "locked_by"]).where("queue", "=", "webhooks").executeTakeFirstOrThrow();
      assert.deepEqual({ ...job, attempts: Number(job.attempts) }, { state: "ready", attempts: 0, locked_by: null }, "back in the queue, not leased, attempt uncounted");
    } finally {
      if (worker.exitCode === null) worker.kill("SIGKILL");
      hanging.closeAllConnections();
      hanging.close();
      await store.close();
      await database.drop();
    }
  });
});
