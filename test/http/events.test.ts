import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { loadConfig } from "../../src/config/index.js";
import { buildApp } from "../../src/server/app.js";
import { startEventWorker } from "../../src/events/index.js";
import { eventRoutes } from "../../src/server/routes/events.js";
import { createServices } from "../../src/services.js";
import { databaseId, migrateToLatest, openStore, type Store } from "../../src/store/index.js";
import { createTestDatabase, dialects, postgresUnavailable, type TestDatabase } from "../../src/store/testing.js";

// The events plugin registered on a locally built app (until the lead adds it
// to buildApp), served on a real loopback socket.
for (const dialect of dialects) {
  describe(`HTTP /v1/events (${dialect})`, () => {
    let skipReason = "";
    let database: TestDatabase | undefined;
    let store: Store | undefined;
    let close = async () => {};
    let url = "";
    const keys = { admin: "", ingest: "", check: "" };

    before(async () => {
      if (dialect === "postgres") skipReason = (await postgresUnavailable()) ?? "";
      if (skipReason) return;
      database = await createTestDatabase(dialect);
      store = await openStore(database.url);
      await migrateToLatest(store.db);
      const config = loadConfig({ env: {}, overrides: { databaseUrl: database.url, logLevel: "silent", maxJsonBytes: 64 * 1024 } });
      const services = createServices(config, store, { databaseId: await databaseId(store.db) });
      const app = await buildApp({ config, services, logger: false });
      // Registered here until buildApp does it; then this line is skipped.
      if (!app.hasRoute({ method: "POST", url: "/v1/events" })) await app.register(eventRoutes, { services, prefix: "/v1" });
      await services.lexicons.put("stand-ins", { entries: [{ term: "vornaxle", category: "coded-term", severity: "block", source: "synthetic stand-in" }] }, ["post"]);
      await Promise.all(services.followers.map((f) => f.catchUp()));
      const stopWorker = new AbortController();
      const worker = startEventWorker(services, stopWorker.signal, { pollMs: 25 });
      await app.listen({ host: "127.0.0.1", port: 0 });
      const address = app.server.address();
      url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
      keys.admin = (await services.keys.create("t-admin", ["admin"])).secret;
      keys.ingest = (await services.keys.create("t-ingest", ["ingest"])).secret;
      keys.check = (await services.keys.create("t-check", ["check"])).secret;
      close = async () => {
        stopWorker.abort();
        await worker;
        await app.close();
        await store?.close();
        await database?.drop();
      };
    });
    after(() => close());

    const send = (path: string, key: string, body?: unknown) =>
      fetch(url + path, {
        method: body === undefined ? "GET" : "POST",
        headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      });

    const events = [
      { id: "h1", type: "post.created", occurred_at: "2026-01-01T00:00:00Z", post: { id: "p1", author_id: "a1", text: "hello", media: [{ kind: "hashes", pdq: "A5".repeat(32), quality: 80 }] } },
      { id: "h2", type: "follow", occurred_at: "2026-01-01T00:00:00Z", follower_id: "a2", followee_id: "a1" },
    ];

    it("accepts a batch with an ingest key, once, and shows it to an admin", async (t) => {
      if (skipReason) return t.skip(skipReason);
      const first = await send("/v1/events", keys.ingest, { events });
      assert.equal(first.status, 202);
      assert.deepEqual(await first.json(), { accepted: 2, duplicates: 0 });
      const again = await send("/v1/events", keys.ingest, { events });
      assert.deepEqual(await again.json(), { accepted: 0, duplicates: 2 });

      const shown = await send("/v1/events/h1", keys.admin);
      assert.equal(shown.status, 200);
      const body = await shown.json();
      assert.deepEqual([body.id, body.type, body.subjectId, body.actorId], ["h1", "post.created", "p1", "a1"]);
      assert.ok(body.state === "pending" || body.state === "processed", "the worker may already have processed it");
      assert.equal(body.event.post.media[0].pdq, "a5".repeat(32), "hashes are stored lower case");

      assert.equal((await send("/v1/events/h1", keys.ingest)).status, 403, "reading events needs admin");
      assert.equal((await send("/v1/events", keys.check, { events })).status, 403, "a check key cannot send events");
      const missing = await send("/v1/events/nope", keys.admin);
      assert.equal(missing.status, 404);
      assert.equal((await missing.json()).error.code, "NOT_FOUND");
    });

    it("refuses a bad batch with a pointer and stores none of it", async (t) => {
      if (skipReason) return t.skip(skipReason);
      const bad = [
        { ...events[1], id: "ok-but-refused" },
        { id: "m1", type: "interaction", occurred_at: "2026-01-01T00:00:00Z", kind: "message", actor_id: "a1", target_account_id: "a2", body: "a message body" },
      ];
      const res = await send("/v1/events", keys.ingest, { events: bad });
      assert.equal(res.status, 400);
      const { error } = await res.json();
      assert.equal(error.code, "VALIDATION_FAILED");
      assert.equal(error.pointer, "/events/1/body");

      const wrongType = await send("/v1/events", keys.ingest, { events: [{ ...events[1], id: "x", type: "post.exploded" }] });
      assert.equal((await wrongType.json()).error.pointer, "/events/0/type");
      assert.equal((await send("/v1/events/ok-but-refused", keys.admin)).status, 404);

      // Control characters and unpaired surrogates in ids would fail in the database (PostgreSQL cannot store NUL).
      for (const [event, pointer] of [
        [{ ...events[1], id: "nul\u0000id" }, "/events/0/id"],
        [{ ...events[1], id: "f1", follower_id: "lone\ud800" }, "/events/0/follower_id"],
        [{ ...events[1], id: "f2", platform_id: "bell\u0007" }, "/events/0/platform_id"],
      ] as const) {
        const refused = await send("/v1/events", keys.ingest, { events: [event] });
        assert.equal(refused.status, 400, pointer);
        assert.equal((await refused.json()).error.pointer, pointer);
      }
      const unicode = await send("/v1/events", keys.ingest, { events: [{ ...events[1], id: "fölgen-🦉-ελ", follower_id: "üser" }] });
      assert.equal(unicode.status, 202, "ordinary non-ASCII ids are fine");

      assert.equal((await send("/v1/events", keys.ingest, "{not json")).status, 400);
      const huge = await send("/v1/events", keys.ingest, { events: [{ ...events[0], id: "big", post: { id: "p", author_id: "a", text: "x".repeat(70 * 1024) } }] });
      assert.equal(huge.status, 413, "the JSON body limit applies");
    });

    it("processes an accepted event into signals shown on GET", async (t) => {
      if (skipReason) return t.skip(skipReason);
      const res = await send("/v1/events", keys.ingest, { events: [{ id: "sig-1", type: "post.created", occurred_at: "2026-01-01T00:00:00Z", post: { id: "p9", author_id: "a9", text: "fresh vornaxle" } }] });
      assert.equal(res.status, 202);
      let body: { state: string; signals: Array<{ kind: string; field: string; hits: Array<{ term: string }> }> } | undefined;
      for (let waited = 0; waited < 10_000; waited += 50) {
        body = await (await send("/v1/events/sig-1", keys.admin)).json();
        if (body?.state === "processed") break;
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(body?.state, "processed");
      assert.deepEqual(body?.signals.map((s) => [s.kind, s.field, s.hits[0]?.term]), [["text", "/post/text", "vornaxle"]]);
    });

    it("keeps event ids apart per platform: the same id from two platforms is two events, each processed once", async (t) => {
      if (skipReason) return t.skip(skipReason);
      const post = (platform?: string) => ({ id: "t1", type: "post.created", occurred_at: "2026-01-01T00:00:00Z", ...(platform ? { platform_id: platform } : {}), post: { id: "tp1", author_id: `ta-${platform ?? "default"}`, text: "fresh vornaxle" } });
      const follow = (platform?: string) => ({ id: "t2", type: "follow", occurred_at: "2026-01-01T00:00:00Z", ...(platform ? { platform_id: platform } : {}), follower_id: "tf1", followee_id: `tf-${platform ?? "default"}` });
      assert.deepEqual(await (await send("/v1/events", keys.ingest, { events: [post(), follow()] })).json(), { accepted: 2, duplicates: 0 });
      assert.deepEqual(await (await send("/v1/events", keys.ingest, { events: [post("forum"), follow("forum"), post("forum")] })).json(), { accepted: 2, duplicates: 1 }, "another platform's t1 and t2 are new; repeated in the batch, a duplicate");
      assert.deepEqual(await (await send("/v1/events", keys.ingest, { events: [post("forum"), follow("forum"), post(), follow()] })).json(), { accepted: 0, duplicates: 4 }, "the same (platform, id) again is a duplicate");

      const read = async (path: string) => {
        for (let waited = 0; ; waited += 50) {
          const body = await (await send(path, keys.admin)).json();
          if (body.state === "processed" || waited >= 10_000) return body;
          await new Promise((r) => setTimeout(r, 50));
        }
      };
      const [home, forum] = [await read("/v1/events/t1"), await read("/v1/events/t1?platform_id=forum")];
      assert.deepEqual([home.platformId, home.actorId, home.state], [null, "ta-default", "processed"], "without platform_id: the default platform's event, platformId null as before");
      assert.deepEqual([forum.platformId, forum.actorId, forum.state], ["forum", "ta-forum", "processed"], "each platform's event got its own job");
      assert.deepEqual(forum.signals.map((s: { kind: string; field: string }) => [s.kind, s.field]), [["text", "/post/text"]]);
      const edges = [await (await send("/v1/events/t2", keys.admin)).json(), await (await send("/v1/events/t2?platform_id=forum", keys.admin)).json()];
      assert.deepEqual(edges.map((e) => [e.platformId, e.event.followee_id]), [[null, "tf-default"], ["forum", "tf-forum"]], "graph-only events too");

      const elsewhere = await send("/v1/events/t1?platform_id=elsewhere", keys.admin);
      assert.equal(elsewhere.status, 404);
      assert.match((await elsewhere.json()).error.message, /platform "elsewhere"/);
      for (const bad of ["bell%07", "x".repeat(201), ""]) {
        const refused = await send(`/v1/events/t1?platform_id=${bad}`, keys.admin);
        assert.equal(refused.status, 400, `platform_id=${bad.slice(0, 12)}`);
        assert.equal((await refused.json()).error.code, "VALIDATION_FAILED");
      }
      const tooLong = await send("/v1/events", keys.ingest, { events: [{ ...post(), platform_id: "x".repeat(201) }] });
      assert.equal(tooLong.status, 400);
      assert.equal((await tooLong.json()).error.pointer, "/events/0/platform_id");
    });

    it("documents the event schema in the OpenAPI document", async (t) => {
      if (skipReason) return t.skip(skipReason);
      const doc = await (await send("/openapi.json", keys.admin)).json();
      const post = doc.paths["/v1/events"]?.post;
      assert.ok(post, "POST /v1/events is documented");
      const text = JSON.stringify(post);
      for (const type of ["account.created", "post.deleted", "interaction", "report.created", "moderation.outcome"]) assert.ok(text.includes(type), type);
    });
  });
}
