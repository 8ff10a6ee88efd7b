// A store that is busy (SQLite's write lock held past the busy timeout by
// another process, a PostgreSQL lock or serialisation failure) is the
// client's cue to retry: 503 STORE_BUSY with Retry-After, never a 500.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import Fastify from "fastify";
import { handleError } from "./errors.js";

describe("error mapping", () => {
  it("answers a busy store with 503 STORE_BUSY and Retry-After, anything else unknown with 500", async () => {
    const app = Fastify({ logger: false });
    app.setErrorHandler(handleError);
    const thrown: Record<string, Error> = {
      "sqlite-busy": Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" }),
      "sqlite-busy-snapshot": Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY_SNAPSHOT" }),
      "pg-lock": Object.assign(new Error("could not obtain lock"), { code: "55P03" }),
      "pg-serialization": Object.assign(new Error("could not serialize access"), { code: "40001" }),
      other: Object.assign(new Error("disk I/O error"), { code: "SQLITE_IOERR" }),
    };
    app.get("/:kind", async (request) => {
      throw thrown[(request.params as { kind: string }).kind]!;
    });
    await app.listen({ host: "127.0.0.1", port: 0 });
    try {
      const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
      for (const kind of ["sqlite-busy", "sqlite-busy-snapshot", "pg-lock", "pg-serialization"]) {
        const res = await fetch(`${base}/${kind}`);
        assert.equal(res.status, 503, kind);
        const retryAfter = Number(res.headers.get("retry-after"));
        assert.ok(retryAfter > 0, `${kind}: Retry-After`);
        const { error } = (await res.json()) as { error: { code: string; details?: { retryAfterSeconds?: number } } };
        assert.equal(error.code, "STORE_BUSY");
        assert.equal(error.details?.retryAfterSeconds, retryAfter, `${kind}: the body says the same wait as the header`);
      }
      const other = await fetch(`${base}/other`);
      assert.equal(other.status, 500);
      assert.equal(other.headers.get("retry-after"), null);
      assert.ok(!(await other.text()).includes("disk I/O"), "internals stay out of the answer");
    } finally {
      await app.close();
    }
  });
});
