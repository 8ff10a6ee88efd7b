// Issue 10, rough edges: unknown query parameters and body fields, and
// mangled cursors, are refused with a 400 naming them on every route, never
// ignored (a misspelt optional field would otherwise change the answer
// without a word). The list of routes comes from /openapi.json, so a route
// added later is checked without being listed here.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestServer, type TestServer } from "../support/server.js";

interface Operation {
  requestBody?: { content?: Record<string, { schema?: { type?: string; properties?: unknown; additionalProperties?: unknown } }> };
}

describe("strict input on every route", () => {
  let s: TestServer | undefined;
  let skipReason = "";
  let operations: Array<{ method: string; path: string; operation: Operation }> = [];

  before(async () => {
    const started = await startTestServer("sqlite");
    if (typeof started === "string") return void (skipReason = started);
    s = started;
    const doc = (await (await s.request("/openapi.json")).json()) as { paths: Record<string, Record<string, Operation>> };
    // `{id}` gets a well-formed Lapwing id (some routes refuse any other shape first); other parameters "1".
    const filled = (path: string) => path.replace(/\{id\}/g, "01JZZZZZZZZZZZZZZZZZZZZZZZ").replace(/\{[^}]+\}/g, "1");
    operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ method: method.toUpperCase(), path: filled(path), operation })));
    assert.ok(operations.length > 30, "the document lists the routes");
  });
  after(async () => {
    await s?.close();
  });

  const details = async (res: Response) => ((await res.json()) as { error: { code: string; pointer?: string; details?: Array<{ pointer: string }> } }).error;

  it("refuses an unknown query parameter on every read, naming it", async (t) => {
    if (!s) return t.skip(skipReason);
    for (const { path } of operations.filter((o) => o.method === "GET")) {
      const res = await s.request(`${path}?zzunknown=1`);
      assert.equal(res.status, 400, `GET ${path}?zzunknown=1`);
      const error = await details(res);
      assert.equal(error.code, "VALIDATION_FAILED");
      assert.ok(error.pointer === "/zzunknown" || error.details?.some((d) => d.pointer === "/zzunknown"), `GET ${path}: ${JSON.stringify(error)}`);
    }
  });

  it("refuses an unknown top-level field in every JSON body, naming it, and says so in the document", async (t) => {
    if (!s) return t.skip(skipReason);
    const withJson = operations.filter((o) => o.operation.requestBody?.content?.["application/json"]);
    assert.ok(withJson.length > 10);
    for (const { method, path, operation } of withJson) {
      const schema = operation.requestBody!.content!["application/json"]!.schema!;
      // A fixed-shape body documents it; a free-form one (a policy set) is checked field by field by its service.
      if (schema.type === "object" && schema.properties) assert.equal(schema.additionalProperties, false, `${method} ${path} documents additionalProperties: false`);
      const res = await s.request(path, { method, json: { zzunknown: 1 } });
      assert.equal(res.status, 400, `${method} ${path}`);
      const error = await details(res);
      assert.ok(error.pointer === "/zzunknown" || error.details?.some((d) => d.pointer === "/zzunknown"), `${method} ${path}: ${JSON.stringify(error)}`);
    }
  });

  it("names the unknown field first, before the field it is probably a misspelling of", async (t) => {
    if (!s) return t.skip(skipReason);
    const error = await details(await s.request("/v1/keys", { method: "POST", json: { name: "k", scope: ["check"] } }));
    assert.equal(error.pointer, "/scope");
    assert.ok(error.details?.some((d) => d.pointer === "/scopes"));
  });

  it("refuses unknown fields inside events, where a misspelt optional field would be lost", async (t) => {
    if (!s) return t.skip(skipReason);
    const at = "2026-03-01T12:00:00Z";
    const res = await s.request("/v1/events", { method: "POST", json: { events: [{ id: "e1", type: "account.created", occurred_at: at, account: { id: "a1", ageband: { value: "13_15", source: "declared" } } }] } });
    assert.equal(res.status, 400);
    assert.equal((await details(res)).pointer, "/events/0/account/ageband");
  });

  it("refuses a mangled cursor instead of answering an empty page", async (t) => {
    if (!s) return t.skip(skipReason);
    for (const path of ["/v1/actions?after=zz'", "/v1/actions?after=", "/v1/actions?after=1e3", "/v1/audit?after=-1", "/v1/jobs/dead?queue=webhooks&after=zz'", "/v1/banks/x/entries?after=zz'"]) {
      const res = await s.request(path);
      assert.equal(res.status, 400, path);
      assert.equal((await details(res)).pointer, "/after", path);
    }
    assert.equal((await s.request("/v1/actions?after=0")).status, 200);
    assert.equal((await s.request("/v1/actions")).status, 200);
  });
});
