// Starts a real Lapwing server on a free loopback port over a fresh database,
// with an admin key and a check-only key, for tests that speak HTTP.
import { loadConfig, type ConfigKey } from "../../src/config/index.js";
import { startServer } from "../../src/server/start.js";
import { createTestDatabase, dialectUnavailable, type TestDatabase } from "../../src/store/testing.js";
import type { DialectName } from "../../src/store/index.js";

export interface TestServer {
  url: string;
  adminKey: string;
  checkKey: string;
  database: TestDatabase;
  request(path: string, init?: RequestInit & { key?: string | null; json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

export async function startTestServer(
  dialect: DialectName,
  overrides: Partial<Record<ConfigKey, unknown>> = {},
  existing?: TestDatabase,
): Promise<TestServer | string> {
  const unavailable = await dialectUnavailable(dialect);
  if (unavailable) return unavailable;
  const database = existing ?? (await createTestDatabase(dialect));
  const config = loadConfig({ env: {}, overrides: { databaseUrl: database.url, port: 0, changePollMs: 100, logLevel: "silent", indexSnapshotPath: "off", ...overrides } });
  const server = await startServer(config, { logger: false });
  const admin = await server.services.keys.create("test-admin", ["admin"]);
  const check = await server.services.keys.create("test-check", ["check"]);
  return {
    url: server.url,
    adminKey: admin.secret,
    checkKey: check.secret,
    database,
    request(path, init = {}) {
      const headers = new Headers(init.headers);
      const key = init.key === undefined ? admin.secret : init.key;
      if (key) headers.set("authorization", `Bearer ${key}`);
      let body = init.body;
      if (init.json !== undefined) {
        headers.set("content-type", "application/json");
        body = JSON.stringify(init.json);
      }
      return fetch(server.url + path, { ...init, headers, body });
    },
    async close() {
      await server.close();
      if (!existing) await database.drop();
    },
  };
}
