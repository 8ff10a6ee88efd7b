// The console is served by the API's own process at `/`: files from its build,
// index.html for client-side routes, a strict Content-Security-Policy, and a
// clear message when it was not built. The API's own paths are untouched.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { loadConfig } from "../../src/config/index.js";
import { buildApp } from "../../src/server/app.js";
import { consoleCsp } from "../../src/server/console.js";
import { createServices } from "../../src/services.js";
import { databaseId, migrateToLatest, openStore, type Store } from "../../src/store/index.js";
import { createTestDatabase, type TestDatabase } from "../../src/store/testing.js";

async function serve(store: Store, databaseUrl: string, consoleDir: string) {
  const config = loadConfig({ env: {}, overrides: { databaseUrl, logLevel: "silent" } });
  const services = createServices(config, store, { databaseId: await databaseId(store.db) });
  const app = await buildApp({ config, services, logger: false, consoleDir });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const { port } = app.server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

describe("the console at /", () => {
  let database: TestDatabase;
  let store: Store;
  let dir: string;
  before(async () => {
    database = await createTestDatabase("sqlite");
    store = await openStore(database.url);
    await migrateToLatest(store.db);
    dir = await mkdtemp(join(tmpdir(), "lapwing-console-"));
  });
  after(async () => {
    await store.close();
    await database.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it("serves the build: files, index.html for client routes, a strict CSP; the API keeps its paths", async () => {
    const built = join(dir, "dist");
    await mkdir(join(built, "assets"), { recursive: true });
    await writeFile(join(built, "index.html"), '<!doctype html><div id="root"></div><script type="module" src="/assets/app-1234.js"></script>');
    await writeFile(join(built, "assets", "app-1234.js"), "console.log('console');");
    await writeFile(join(built, ".secret"), "never served");
    const server = await serve(store, database.url, built);
    try {
      for (const path of ["/", "/cases/01ABC", "/network/acct-1"]) {
        const res = await fetch(server.url + path);
        assert.equal(res.status, 200, path);
        assert.match(res.headers.get("content-type")!, /text\/html/);
        assert.equal(res.headers.get("content-security-policy"), consoleCsp);
        assert.equal(res.headers.get("cache-control"), "no-cache");
        assert.match(await res.text(), /id="root"/);
      }
      assert.match(consoleCsp, /script-src 'self';/);
      assert.doesNotMatch(consoleCsp, /unsafe-inline|unsafe-eval|\*/);

      const asset = await fetch(server.url + "/assets/app-1234.js");
      assert.equal(asset.status, 200);
      assert.match(asset.headers.get("content-type")!, /javascript/);
      assert.match(asset.headers.get("cache-control")!, /immutable/);
      assert.equal(await asset.text(), "console.log('console');");

      for (const path of ["/assets/missing-0000.js", "/.secret", "/assets/..%2f..%2fpackage.json"]) {
        const res = await fetch(server.url + path);
        assert.equal(res.status, 404, path);
        assert.equal((await res.json()).error.code, "NOT_FOUND");
      }
      // The API's own paths: a JSON 404 under /v1, and the public pages as they were.
      const unknownApi = await fetch(server.url + "/v1/no-such-route");
      assert.equal(unknownApi.status, 404);
      assert.equal((await unknownApi.json()).error.code, "NOT_FOUND");
      assert.equal((await (await fetch(server.url + "/healthz")).json()).status, "ok");
      assert.ok((await (await fetch(server.url + "/openapi.json")).json()).paths["/v1/cases"]);
      assert.match((await fetch(server.url + "/docs")).headers.get("content-security-policy")!, /sha256-/);
      assert.equal((await fetch(server.url + "/v1/cases")).status, 401, "the API still needs credentials");
    } finally {
      await server.close();
    }
  });

  it("says how to build the console when it was not built", async () => {
    const server = await serve(store, database.url, join(dir, "never-built"));
    try {
      const res = await fetch(server.url + "/");
      assert.equal(res.status, 503);
      assert.match(await res.text(), /npm run build:console/);
      assert.equal((await fetch(server.url + "/healthz")).status, 200);
    } finally {
      await server.close();
    }
  });
});
