// Secrets never reach the log: API keys (in either header), key secrets in
// responses, and media bytes. Drives a real server and reads its log lines.
import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { after, before, describe, it } from "node:test";
import { loadConfig } from "../../src/config/index.js";
import { buildApp } from "../../src/server/app.js";
import { createServices } from "../../src/services.js";
import { databaseId, migrateToLatest, openStore, type Store } from "../../src/store/index.js";
import { createTestDatabase, type TestDatabase } from "../../src/store/testing.js";
import { syntheticPng } from "../support/images.js";

describe("logs", () => {
  let database: TestDatabase;
  let store: Store;
  let url: string;
  let close: () => Promise<void>;
  const lines: string[] = [];

  before(async () => {
    database = await createTestDatabase("sqlite");
    store = await openStore(database.url);
    await migrateToLatest(store.db);
    const config = loadConfig({ env: {}, overrides: { databaseUrl: database.url, logLevel: "debug" } });
    const services = createServices(config, store, { databaseId: await databaseId(store.db) });
    const stream = new PassThrough();
    stream.on("data", (chunk: Buffer) => lines.push(...chunk.toString("utf8").split("\n").filter(Boolean)));
    const app = await buildApp({ config, services, logStream: stream });
    await app.listen({ host: "127.0.0.1", port: 0 });
    const address = app.server.address() as { port: number };
    url = `http://127.0.0.1:${address.port}`;
    close = async () => {
      await app.close();
      await store.close();
      await database.drop();
    };
  });
  after(async () => close?.());

  it("never contain API keys, created secrets or media bytes", async () => {
    const { keys } = createServices(loadConfig({ env: {}, overrides: { databaseUrl: database.url } }), store, { databaseId: await databaseId(store.db) });
    const admin = (await keys.create("log-test", ["admin"])).secret;
    const created = await fetch(`${url}/v1/keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "made-over-http", scopes: ["check"] }),
    });
    const secret = (await created.json()).secret as string;
    const png = await syntheticPng(64, 64, 5);
    await fetch(`${url}/v1/media/hash`, { method: "POST", headers: { "x-api-key": secret, "content-type": "image/png" }, body: png });
    await fetch(`${url}/v1/banks`, { headers: { authorization: `Bearer ${admin}x` } });
    await new Promise((r) => setTimeout(r, 100));

    const log = lines.join("\n");
    const requestLines = lines.map((line) => JSON.parse(line) as { level: number; msg: string; url?: string; statusCode?: number }).filter((l) => l.url !== undefined);
    assert.deepEqual(
      requestLines.map((l) => [l.level, l.url, l.statusCode]),
      [
        [20, "/v1/keys", 201],
        [20, "/v1/media/hash", 200],
        [20, "/v1/banks", 401],
      ],
      "one line per request, at debug level (20)",
    );
    for (const key of [admin, secret]) {
      assert.ok(!log.includes(key), "a full key is in the log");
      // The secret part is base64url and may itself hold "_": take everything after the id.
      assert.ok(!log.includes(key.split("_").slice(2).join("_")), "a key's secret part is in the log");
    }
    assert.ok(!log.includes(png.subarray(16, 48).toString("base64")), "media bytes are in the log");
    assert.ok(!log.includes(png.subarray(16, 48).toString("hex")), "media bytes are in the log");
  });
});
