// The console's API client (console/src/api/endpoints.ts) against the server's
// generated OpenAPI document: every method + path it calls exists, and every
// response field it reads is in that route's 200 response schema. A renamed
// route or dropped field fails here rather than on a moderator's screen.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { consoleApiEndpoints, endpoints, fieldsRead, type EndpointName } from "../../console/src/api/endpoints.js";
import { startTestServer, type TestServer } from "../support/server.js";

type Schema = { type?: string; properties?: Record<string, Schema>; items?: Schema; anyOf?: Schema[]; oneOf?: Schema[]; allOf?: Schema[]; nullable?: boolean; $ref?: string };
type Operation = { responses?: Record<string, { content?: Record<string, { schema?: Schema }> }> };

/** The schema at a pointer (`/cases/items/priority`), looking through nullable unions; undefined when absent. */
function schemaAt(root: Schema, pointer: string): Schema | undefined {
  let node: Schema | undefined = root;
  for (const part of pointer.split("/").filter(Boolean)) {
    if (!node) return undefined;
    const options: Schema[] = [node, ...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])];
    let next: Schema | undefined;
    for (const option of options) {
      next = part === "items" ? option.items : option.properties?.[part];
      if (next) break;
    }
    node = next;
  }
  return node;
}

describe("the console's API client matches /openapi.json", () => {
  let server: TestServer | undefined;
  let skip = "";
  before(async () => {
    const started = await startTestServer("sqlite");
    if (typeof started === "string") skip = started;
    else server = started;
  });
  after(async () => server?.close());

  it("calls only routes the server has, and reads only fields they send", async (t) => {
    if (!server) return t.skip(skip);
    const doc = (await (await server.request("/openapi.json")).json()) as { paths: Record<string, Record<string, Operation>> };
    const problems: string[] = [];
    const awaited: string[] = [];
    for (const [name, { method, path }] of Object.entries(endpoints)) {
      const operation = doc.paths[path]?.[method.toLowerCase()];
      if (!operation && consoleApiEndpoints.includes(name as EndpointName)) {
        awaited.push(`${method} ${path}`);
        continue;
      }
      if (!operation) {
        problems.push(`${name}: ${method} ${path} is not in /openapi.json`);
        continue;
      }
      const pointers = fieldsRead[name as keyof typeof endpoints] ?? [];
      if (pointers.length === 0) continue;
      const ok = Object.entries(operation.responses ?? {}).find(([status]) => status.startsWith("2"));
      const schema = ok?.[1].content?.["application/json"]?.schema;
      if (!schema) {
        problems.push(`${name}: ${method} ${path} declares no JSON success response, yet the console reads ${pointers.join(", ")}`);
        continue;
      }
      for (const pointer of pointers) if (!schemaAt(schema, pointer)) problems.push(`${name}: ${method} ${path} sends no ${pointer}`);
    }
    assert.deepEqual(problems, []);
    // TODO(lead): the console API branch serves these; once merged, this list is empty and each is checked above.
    if (awaited.length > 0) t.todo(`not on this server yet, checked once they are: ${awaited.join(", ")}`);
  });

  it("would notice a route or field that is not there", () => {
    const schema: Schema = { type: "object", properties: { cases: { type: "array", items: { type: "object", properties: { id: { type: "string" } } } } } };
    assert.ok(schemaAt(schema, "/cases/items/id"));
    assert.equal(schemaAt(schema, "/cases/items/nope"), undefined);
    assert.equal(schemaAt(schema, "/nope"), undefined);
  });
});
