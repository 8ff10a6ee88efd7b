// THE ROLE MATRIX: every route of the API, called by every kind of caller (no
// credentials, an API key of each scope, a console session of each role), must
// allow or refuse exactly as the route's declaration says. The expectation is
// written out here, apart from src/server/authenticate.ts, from each route's
// declared `scope` and `roles` (published in /openapi.json as x-lapwing-access),
// so a route added without a declaration, or a change to who may call what,
// fails this test until someone decides it on purpose.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import fastifySwagger from "@fastify/swagger";
import Fastify from "fastify";
import type { ApiKeyService } from "../../src/auth/index.js";
import { registerAuthentication } from "../../src/server/authenticate.js";
import { handleError } from "../../src/server/errors.js";
import { apiScopes, type ApiScope } from "../../src/auth/index.js";
import { dialects } from "../../src/store/testing.js";
import { roles, type Role } from "../../src/users/index.js";
import { startTestServer, type TestServer } from "../support/server.js";

type Scope = ApiScope | "any" | "public";
interface Access {
  scope: Scope | null;
  roles: Role[] | null;
}
type Caller = { name: string; kind: "none" } | { name: string; kind: "key"; scope: ApiScope } | { name: string; kind: "session"; role: Role };

/** Which key scopes a route's scope admits. */
const keyScopesFor: Record<Exclude<Scope, "public">, readonly ApiScope[]> = {
  check: ["check", "admin"],
  ingest: ["ingest", "admin"],
  admin: ["admin"],
  any: apiScopes,
};
/** Which console roles a route's scope admits when it declares no `roles`. */
const sessionRolesFor: Record<Exclude<Scope, "public">, readonly Role[]> = {
  check: ["admin", "child_safety_reviewer", "moderator"],
  ingest: ["admin"],
  admin: ["admin"],
  any: roles,
};
/** Routes hidden from the document, with their declarations as written in src/server/routes/system.ts. */
const hiddenRoutes: Array<[string, string, Access]> = [
  ["GET", "/openapi.json", { scope: "public", roles: null }],
  ["GET", "/docs", { scope: "public", roles: null }],
  ["GET", "/metrics", { scope: "any", roles: null }],
  // The console's files and its client-side routes (src/server/console.ts): public, the API calls it makes are not.
  ["GET", "/*", { scope: "public", roles: null }],
];

const callers: Caller[] = [
  { name: "no credentials", kind: "none" },
  ...apiScopes.map((scope): Caller => ({ name: `${scope} key`, kind: "key", scope })),
  ...roles.map((role): Caller => ({ name: `${role} session`, kind: "session", role })),
];

/** 401 / 403 / "allowed" (any other status) for a caller on a route declared `access`. */
function expected(caller: Caller, access: Access & { scope: Scope }): 401 | 403 | "allowed" {
  if (access.scope === "public") return "allowed";
  if (caller.kind === "none") return 401;
  if (caller.kind === "key") return keyScopesFor[access.scope].includes(caller.scope) ? "allowed" : 403;
  return (access.roles ?? sessionRolesFor[access.scope]).includes(caller.role) ? "allowed" : 403;
}

const password = "role matrix passphrase";

for (const dialect of dialects) {
  describe(`role matrix: every route × every caller (${dialect})`, () => {
    let server: TestServer | undefined;
    let skipReason = "";
    const keys = new Map<ApiScope, string>();
    const sessions = new Map<Role, { cookie: string; csrfToken: string }>();

    const logIn = async (s: TestServer, role: Role) => {
      const res = await s.request("/v1/session", { method: "POST", key: null, json: { username: role, password } });
      assert.equal(res.status, 200, `${role} logs in`);
      sessions.set(role, { cookie: res.headers.getSetCookie()[0]!.split(";")[0]!, csrfToken: (await res.json()).csrfToken });
    };

    before(async () => {
      const started = await startTestServer(dialect);
      if (typeof started === "string") return void (skipReason = started);
      server = started;
      for (const scope of apiScopes) {
        const res = await server.request("/v1/keys", { method: "POST", json: { name: `matrix-${scope}`, scopes: [scope] } });
        assert.equal(res.status, 201);
        keys.set(scope, (await res.json()).secret);
      }
      for (const role of roles) {
        assert.equal((await server.request("/v1/users", { method: "POST", json: { username: role, password, role } })).status, 201);
        await logIn(server, role);
      }
    });
    after(async () => server?.close());

    it("allows and refuses exactly as each route declares", async (t) => {
      const s = server;
      if (!s) return t.skip(skipReason);
      const doc = (await (await s.request("/openapi.json")).json()) as { paths: Record<string, Record<string, { "x-lapwing-access"?: Access }>> };
      const routes: Array<[string, string, Access | undefined]> = [
        ...Object.entries(doc.paths).flatMap(([path, methods]) =>
          Object.entries(methods).map(([method, operation]) => [method.toUpperCase(), path.replace(/\{[^}]+\}/g, "x"), operation["x-lapwing-access"]] as [string, string, Access | undefined]),
        ),
        ...hiddenRoutes,
      ];
      assert.ok(routes.length >= 20, `expected the API's routes in the document, got ${routes.length}`);

      const problems: string[] = [];
      let checked = 0;
      for (const [method, path, access] of routes) {
        if (!access?.scope) {
          problems.push(`${method} ${path} declares no scope: add config.scope (and roles if console users need it) to the route`);
          continue;
        }
        if (access.roles?.includes("viewer") && method !== "GET") problems.push(`${method} ${path} opens a write to viewers`);
        const declared = { ...access, scope: access.scope };
        for (const caller of callers) {
          const headers = new Headers();
          let key: string | null = null;
          if (caller.kind === "key") key = keys.get(caller.scope)!;
          if (caller.kind === "session") {
            const session = sessions.get(caller.role)!;
            headers.set("cookie", session.cookie);
            if (method !== "GET") headers.set("x-csrf-token", session.csrfToken);
          }
          const res = await s.request(path, { method, key, headers });
          const body = await res.text();
          checked++;
          const want = expected(caller, declared);
          const got = res.status === 401 || res.status === 403 ? res.status : "allowed";
          if (got !== want) problems.push(`${method} ${path} by ${caller.name}: expected ${want}, got ${res.status} ${body.slice(0, 160)}`);
          if (got === 403 && !/"code":"FORBIDDEN"/.test(body)) problems.push(`${method} ${path} by ${caller.name}: 403 without FORBIDDEN: ${body.slice(0, 160)}`);
          // A call that was let through may have ended the session (logout); start a new one.
          if (caller.kind === "session" && method !== "GET" && got === "allowed") {
            const alive = await s.request("/v1/session", { key: null, headers: { cookie: sessions.get(caller.role)!.cookie } });
            if (alive.status === 401) await logIn(s, caller.role);
          }
        }
      }
      assert.deepEqual(problems, [], `${problems.length} of ${checked} calls disagree with the declarations`);
      assert.ok(checked >= routes.length * callers.length - callers.length * 2);
    });

    it("keeps moderators and viewers out of every evidence route, and declares them for child-safety reviewers and admins only", async (t) => {
      const s = server;
      if (!s) return t.skip(skipReason);
      const doc = (await (await s.request("/openapi.json")).json()) as { paths: Record<string, Record<string, { "x-lapwing-access"?: Access }>> };
      const evidencePaths = Object.entries(doc.paths).filter(([path]) => path.includes("/evidence"));
      assert.ok(evidencePaths.length >= 6, "the evidence routes are in the document");
      for (const [path, methods] of evidencePaths) {
        for (const [method, operation] of Object.entries(methods)) {
          const access = operation["x-lapwing-access"]!;
          // The platform's upload answers a content.preserve action with an ingest key; no console role may use it but admin.
          if (path.endsWith("/preservations/{id}")) assert.deepEqual(access, { scope: "ingest", roles: null }, path);
          else assert.deepEqual(access, { scope: "admin", roles: ["admin", "child_safety_reviewer"] }, `${method} ${path}`);
          for (const role of ["moderator", "viewer"] as const) {
            const session = sessions.get(role)!;
            const headers = new Headers({ cookie: session.cookie, "x-csrf-token": session.csrfToken });
            const res = await s.request(`${path.replace(/\{[^}]+\}/g, "x")}?reason=curious`, { method: method.toUpperCase(), key: null, headers, json: method === "get" ? undefined : { reason: "curious" } });
            assert.equal(res.status, 403, `${method.toUpperCase()} ${path} by a ${role}`);
          }
          for (const scope of ["check", "ingest"] as const) {
            if (path.endsWith("/preservations/{id}") && scope === "ingest") continue;
            const res = await s.request(`${path.replace(/\{[^}]+\}/g, "x")}?reason=curious`, { method: method.toUpperCase(), key: keys.get(scope)!, json: method === "get" ? undefined : { reason: "curious" } });
            assert.equal(res.status, 403, `${method.toUpperCase()} ${path} by a ${scope} key`);
          }
        }
      }
    });

    it("declares the console's routes as decided: media for reviewers only, figures for every role, preferences for anyone", async (t) => {
      const s = server;
      if (!s) return t.skip(skipReason);
      const doc = (await (await s.request("/openapi.json")).json()) as { paths: Record<string, Record<string, { "x-lapwing-access"?: Access }>> };
      const reviewers: Role[] = ["admin", "child_safety_reviewer", "moderator"];
      const everyone: Role[] = [...roles];
      const decided: Array<[string, string, Access]> = [
        ["get", "/v1/cases/{id}/content", { scope: "admin", roles: reviewers }],
        ["get", "/v1/media/preview/{contentId}", { scope: "admin", roles: reviewers }],
        ["post", "/v1/console/reveals", { scope: "admin", roles: reviewers }],
        ["get", "/v1/me/preferences", { scope: "any", roles: null }],
        ["put", "/v1/me/preferences", { scope: "any", roles: null }],
        ["get", "/v1/stats/dashboard", { scope: "admin", roles: everyone }],
        ["get", "/v1/stats/policies", { scope: "admin", roles: everyone }],
        ["post", "/v1/policies/validate", { scope: "admin", roles: null }],
        ["post", "/v1/lexicons/test", { scope: "admin", roles: null }],
        ["post", "/v1/lexicons/{name}/try", { scope: "admin", roles: null }],
      ];
      for (const [method, path, access] of decided) assert.deepEqual(doc.paths[path]?.[method]?.["x-lapwing-access"], access, `${method} ${path}`);
    });

    it("refuses every session call that changes something without the CSRF token", async (t) => {
      const s = server;
      if (!s) return t.skip(skipReason);
      const doc = (await (await s.request("/openapi.json")).json()) as { paths: Record<string, Record<string, { "x-lapwing-access"?: Access }>> };
      for (const [path, methods] of Object.entries(doc.paths)) {
        for (const [method, operation] of Object.entries(methods)) {
          if (method === "get" || operation["x-lapwing-access"]?.scope === "public") continue;
          const res = await s.request(path.replace(/\{[^}]+\}/g, "x"), { method: method.toUpperCase(), key: null, headers: { cookie: sessions.get("admin")!.cookie } });
          assert.equal(res.status, 403, `${method} ${path}`);
          assert.equal((await res.json()).error.code, "CSRF_FAILED");
        }
      }
    });
  });
}

describe("CyberTipline report routes", () => {
  it("are declared for admins and child-safety reviewers only (a report describes a child sexual abuse case)", async (t) => {
    const s = await startTestServer("sqlite");
    if (typeof s === "string") return t.skip(s);
    try {
      const doc = (await (await s.request("/openapi.json")).json()) as { paths: Record<string, Record<string, { "x-lapwing-access"?: Access }>> };
      const reportRoutes = Object.entries(doc.paths).flatMap(([path, methods]) =>
        Object.entries(methods)
          .filter(([, op]) => path.startsWith("/v1/reports") || path === "/v1/cases/{id}/reports")
          .map(([method, op]) => [`${method.toUpperCase()} ${path}`, op["x-lapwing-access"]] as const),
      );
      assert.deepEqual(reportRoutes.map(([route]) => route).sort(), ["GET /v1/cases/{id}/reports", "GET /v1/reports", "GET /v1/reports/{id}", "GET /v1/reports/{id}/xml", "POST /v1/reports/{id}/retry"]);
      for (const [route, access] of reportRoutes) assert.deepEqual(access, { scope: "admin", roles: ["admin", "child_safety_reviewer"] }, route);
    } finally {
      await s.close();
    }
  });
});

describe("route access declarations", () => {
  it("are published as x-lapwing-access, undeclared ones as null, and bad ones refused when the route is added", async () => {
    const app = Fastify();
    app.setErrorHandler(handleError);
    await app.register(fastifySwagger, { openapi: { info: { title: "t", version: "0" } } });
    registerAuthentication(app, { authenticate: async () => null } as unknown as ApiKeyService);
    app.get("/undeclared", async () => "");
    app.get("/for-viewers", { config: { scope: "check", roles: ["viewer", "moderator"] } }, async () => "");
    assert.throws(() => app.post("/write", { config: { scope: "check", roles: ["viewer"] } }, async () => ""), /viewers may only read/);
    assert.throws(() => app.post("/login", { config: { scope: "public", roles: ["admin"] } }, async () => ""), /public/);
    // @ts-expect-error an unknown role from untyped code
    assert.throws(() => app.get("/typo", { config: { scope: "check", roles: ["moderater"] } }, async () => ""), /unknown role "moderater"/);
    // @ts-expect-error an unknown scope from untyped code
    assert.throws(() => app.get("/typo2", { config: { scope: "root" } }, async () => ""), /unknown scope "root"/);
    await app.ready();
    const paths = (app.swagger() as unknown as { paths: Record<string, { get: { "x-lapwing-access": Access } }> }).paths;
    assert.deepEqual(paths["/undeclared"]!.get["x-lapwing-access"], { scope: null, roles: null });
    assert.deepEqual(paths["/for-viewers"]!.get["x-lapwing-access"], { scope: "check", roles: ["viewer", "moderator"] });
    assert.equal((await app.inject("/undeclared")).statusCode, 401, "undeclared needs admin: forgetting fails closed");
    await app.close();
  });
});
