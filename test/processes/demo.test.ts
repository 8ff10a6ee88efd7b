// `npm run demo`, exactly as a newcomer (or a script trying the demo) runs it:
// on a temporary database (LAPWING_DATABASE_URL) and a free port
// (LAPWING_PORT=0), it prints the console's URL and one line per demo user,
// `demo user: <username> role: <role> password: <password>`; a printed
// password logs in over HTTP, the review queue is not empty and its media
// have (synthetic) previews. On
// PostgreSQL too, started twice on the same database: the second run starts
// afresh (the first run's users are gone).
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { createTestDatabase, dialectUnavailable, dialects } from "../../src/store/testing.js";
import { waitFor } from "../support/cli.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const userLine = /^demo user: (\S+) role: (\S+) password: (\S+)$/gm;

interface RunningDemo {
  url: string;
  users: Array<{ username: string; role: string; password: string }>;
  stop(): Promise<number | null>;
}

/** Runs `npm run demo` in its own process group (npm, then node), until it has printed its URL and users. */
async function startDemo(databaseUrl: string): Promise<RunningDemo> {
  const child: ChildProcess = spawn("npm", ["run", "demo", "--silent"], {
    cwd: root,
    env: { ...process.env, LAPWING_DATABASE_URL: databaseUrl, LAPWING_PORT: "0", LAPWING_LOG_LEVEL: "warn", LAPWING_INDEX_SNAPSHOT_PATH: "off" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null) process.kill(-child.pid!, "SIGTERM");
    return exited;
  };
  try {
    const users = await waitFor(
      "the demo's four user lines",
      async () => {
        if (child.exitCode !== null) throw new Error(`the demo exited with ${child.exitCode}:\n${stderr}`);
        const found = [...stdout.matchAll(userLine)].map(([, username, role, password]) => ({ username: username!, role: role!, password: password! }));
        return found.length === 4 ? found : undefined;
      },
      { timeoutMs: 300_000, intervalMs: 200 },
    );
    const url = /Open the console: (http:\/\/\S+?)\/?$/m.exec(stdout)?.[1];
    assert.ok(url, `the console's URL is printed:\n${stdout}`);
    return { url, users, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function queueAs(demo: RunningDemo, role: string): Promise<{ loginStatus: number; cases: Array<{ id: string }>; cookie: string }> {
  const user = demo.users.find((u) => u.role === role)!;
  const login = await fetch(`${demo.url}/v1/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: user.username, password: user.password }) });
  if (login.status !== 200) return { loginStatus: login.status, cases: [], cookie: "" };
  const cookie = login.headers.getSetCookie()[0]!.split(";")[0]!;
  const queue = await fetch(`${demo.url}/v1/cases?limit=500`, { headers: { cookie } });
  assert.equal(queue.status, 200);
  return { loginStatus: 200, cases: (await queue.json()).cases, cookie };
}

/** The first media preview of the queue's cases, as the console would load it. */
async function firstPreview(demo: RunningDemo, queue: { cases: Array<{ id: string }>; cookie: string }): Promise<Response | undefined> {
  for (const { id } of queue.cases) {
    const listed = await (await fetch(`${demo.url}/v1/cases/${id}/content`, { headers: { cookie: queue.cookie } })).json();
    const media = (listed.content as Array<{ contentId: string; kind: string }>).find((c) => c.kind === "media");
    if (media) return fetch(`${demo.url}/v1/media/preview/${encodeURIComponent(media.contentId)}?caseId=${id}`, { headers: { cookie: queue.cookie } });
  }
  return undefined;
}

for (const dialect of dialects) {
  describe(`npm run demo (${dialect})`, () => {
    it("prints the console's URL and a user per role, whose password opens a non-empty queue; a second run starts afresh", async (t) => {
      const unavailable = await dialectUnavailable(dialect);
      if (unavailable) return t.skip(unavailable);
      const database = await createTestDatabase(dialect);
      try {
        const first = await startDemo(database.url);
        let firstUsers: RunningDemo["users"];
        try {
          firstUsers = first.users;
          assert.deepEqual(first.users.map((u) => u.role).sort(), ["admin", "child_safety_reviewer", "moderator", "viewer"]);
          assert.equal(new Set(first.users.map((u) => u.password)).size, 4, "each user has their own random password");
          const moderator = await queueAs(first, "moderator");
          assert.equal(moderator.loginStatus, 200);
          assert.ok(moderator.cases.length > 0, "the moderator sees a queue");
          const reviewer = await queueAs(first, "child_safety_reviewer");
          assert.ok(reviewer.cases.length > moderator.cases.length, "the child-safety reviewer also sees the restricted cases");
          const preview = await firstPreview(first, reviewer);
          assert.equal(preview?.status, 200, "the demo serves synthetic media previews");
          assert.equal(preview?.headers.get("content-type"), "image/png");
        } finally {
          assert.equal(await first.stop(), 0, "Ctrl-C (SIGTERM) stops it cleanly");
        }
        if (dialect === "sqlite") return;
        const second = await startDemo(database.url);
        try {
          const stale = firstUsers.find((u) => u.role === "moderator")!;
          const login = await fetch(`${second.url}/v1/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: stale.username, password: stale.password }) });
          assert.equal(login.status, 401, "the first run's password is gone with its database");
          assert.ok((await queueAs(second, "moderator")).cases.length > 0);
        } finally {
          assert.equal(await second.stop(), 0);
        }
      } finally {
        await database.drop();
      }
    });
  });
}
