import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { dialects } from "../../src/store/testing.js";
import { startTestServer, type TestServer } from "../support/server.js";

const password = "a long enough passphrase";

interface Login {
  cookie: string;
  setCookie: string;
  csrfToken: string;
  user: { id: string; username: string; role: string };
}

async function login(s: TestServer, username: string, pass = password): Promise<Login> {
  const res = await s.request("/v1/session", { method: "POST", key: null, json: { username, password: pass } });
  assert.equal(res.status, 200, `login ${username}: ${await res.clone().text()}`);
  const setCookie = res.headers.getSetCookie().join("\n");
  const body = await res.json();
  return { cookie: setCookie.split(";")[0]!, setCookie, csrfToken: body.csrfToken, user: body.user };
}

/** A request as the console makes it: the cookie, and the CSRF header when given. */
function asUser(s: TestServer, session: Pick<Login, "cookie">, path: string, init: RequestInit & { json?: unknown; csrf?: string } = {}) {
  const headers = new Headers(init.headers);
  headers.set("cookie", `theme=dark; ${session.cookie}`);
  if (init.csrf !== undefined) headers.set("x-csrf-token", init.csrf);
  return s.request(path, { ...init, headers, key: null });
}

for (const dialect of dialects) {
  describe(`console sessions over a real socket (${dialect})`, () => {
    let server: TestServer | undefined;
    let skipReason = "";
    before(async () => {
      const started = await startTestServer(dialect);
      if (typeof started === "string") skipReason = started;
      else {
        server = started;
        for (const [username, role] of [["root", "admin"], ["mod", "moderator"], ["gone", "viewer"], ["limited", "viewer"]]) {
          const res = await server.request("/v1/users", { method: "POST", json: { username, password, role } });
          assert.equal(res.status, 201, await res.clone().text());
        }
      }
    });
    after(async () => server?.close());
    const api = (t: { skip(reason: string): void }) => {
      if (!server) t.skip(skipReason);
      return server;
    };

    it("login sets an HttpOnly, SameSite=Strict cookie and returns the CSRF token, never the session token", async (t) => {
      const s = api(t);
      if (!s) return;
      const res = await s.request("/v1/session", { method: "POST", key: null, json: { username: "ROOT", password } });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("cache-control"), "no-store");
      const cookies = res.headers.getSetCookie();
      assert.equal(cookies.length, 1);
      const [pair, ...attributes] = cookies[0]!.split("; ");
      assert.match(pair!, /^lapwing_session=[A-Za-z0-9_-]{43}$/);
      assert.deepEqual(attributes.filter((a) => !a.startsWith("Max-Age=")).sort(), ["HttpOnly", "Path=/", "SameSite=Strict"], "not Secure over plain HTTP with the auto setting");
      const maxAge = Number(attributes.find((a) => a.startsWith("Max-Age="))!.slice(8));
      assert.ok(maxAge > 719 * 60 && maxAge <= 720 * 60, `Max-Age ${maxAge}`);
      const body = await res.json();
      assert.equal(body.user.username, "root");
      assert.equal(body.user.role, "admin");
      assert.match(body.csrfToken, /^[A-Za-z0-9_-]{43}$/);
      assert.ok(!JSON.stringify(body).includes(pair!.split("=")[1]!), "the session token is only in the cookie");
      assert.deepEqual(Object.keys(body.user).sort(), ["createdAt", "disabledAt", "id", "role", "updatedAt", "username"]);
    });

    it("refuses a wrong password and an unknown user alike, without a cookie", async (t) => {
      const s = api(t);
      if (!s) return;
      const answers: Array<[string, string]> = [];
      for (const [username, pass] of [["mod", "not the password"], ["nobody-here", password]]) {
        const res: Response = await s.request("/v1/session", { method: "POST", key: null, json: { username, password: pass } });
        assert.equal(res.status, 401);
        assert.deepEqual(res.headers.getSetCookie(), []);
        const { error } = await res.json();
        answers.push([error.code, error.message]);
      }
      assert.deepEqual(answers[0], answers[1]);
      assert.equal(answers[0]![0], "LOGIN_FAILED");
    });

    it("a session works for GET; an unsafe request needs the CSRF token; roles are enforced", async (t) => {
      const s = api(t);
      if (!s) return;
      const root = await login(s, "root");
      const me = await (await asUser(s, root, "/v1/session")).json();
      assert.equal(me.user.id, root.user.id);
      assert.equal(me.csrfToken, root.csrfToken, "a reloaded console can ask for the CSRF token again");
      assert.equal(me.apiKey, null);
      assert.equal((await asUser(s, root, "/v1/users")).status, 200);

      const create = { method: "POST", json: { username: "newbie", password, role: "viewer" } };
      const missing = await asUser(s, root, "/v1/users", create);
      assert.equal(missing.status, 403);
      assert.equal((await missing.json()).error.code, "CSRF_FAILED");
      const wrong = await asUser(s, root, "/v1/users", { ...create, csrf: root.csrfToken.slice(0, -2) + "AA" });
      assert.equal(wrong.status, 403);
      const mod = await login(s, "mod");
      assert.equal((await asUser(s, root, "/v1/users", { ...create, csrf: mod.csrfToken })).status, 403, "another session's token does not do");
      const created = await asUser(s, root, "/v1/users", { ...create, csrf: root.csrfToken });
      assert.equal(created.status, 201);

      // The audit log names the console user who acted.
      const log = await (await s.request("/v1/audit?action=user.create&limit=1000")).json();
      assert.equal(log.entries.at(-1).actor, `user:${root.user.id}`);
      assert.equal(log.entries.at(-1).details.username, "newbie");

      // A moderator may use the checks, not the admin routes.
      const check = await asUser(s, mod, "/v1/search/check", { method: "POST", json: { query: "hello" }, csrf: mod.csrfToken });
      assert.equal(check.status, 200);
      const denied = await asUser(s, mod, "/v1/users");
      assert.equal(denied.status, 403);
      assert.equal((await denied.json()).error.code, "FORBIDDEN");

      // An API key is judged alone, whatever cookie comes with it.
      const keyed = await s.request("/v1/users", { key: s.checkKey, headers: { cookie: root.cookie } });
      assert.equal(keyed.status, 403);
    });

    it("logout needs the CSRF token, clears the cookie and ends the session", async (t) => {
      const s = api(t);
      if (!s) return;
      const session = await login(s, "mod");
      assert.equal((await asUser(s, session, "/v1/session", { method: "DELETE" })).status, 403, "no forced logout from another site");
      const out = await asUser(s, session, "/v1/session", { method: "DELETE", csrf: session.csrfToken });
      assert.equal(out.status, 204);
      assert.match(out.headers.getSetCookie()[0]!, /^lapwing_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Strict$/);
      const after = await asUser(s, session, "/v1/session");
      assert.equal(after.status, 401);
      assert.equal((await after.json()).error.code, "UNAUTHENTICATED");
      assert.equal((await s.request("/v1/session", { key: null, headers: { cookie: "lapwing_session=garbage" } })).status, 401);
    });

    it("disabling a user ends their session at once", async (t) => {
      const s = api(t);
      if (!s) return;
      const session = await login(s, "gone");
      assert.equal((await asUser(s, session, "/v1/session")).status, 200);
      const disabled = await s.request("/v1/users/gone", { method: "PATCH", json: { disabled: true } });
      assert.equal(disabled.status, 200);
      assert.ok((await disabled.json()).disabledAt);
      assert.equal((await asUser(s, session, "/v1/session")).status, 401);
      assert.equal((await s.request("/v1/session", { method: "POST", key: null, json: { username: "gone", password } })).status, 401);
    });

    it("changing one's password ends every session of the user", async (t) => {
      const s = api(t);
      if (!s) return;
      const first = await login(s, "limited");
      const second = await login(s, "limited");
      const change = await asUser(s, first, "/v1/session/password", { method: "PUT", json: { currentPassword: password, newPassword: "a brand new passphrase" }, csrf: first.csrfToken });
      assert.equal(change.status, 204);
      assert.equal((await asUser(s, second, "/v1/session")).status, 401);
      await login(s, "limited", "a brand new passphrase");
    });

    it("limits wrong current passwords, so a stolen session cannot guess the password", async (t) => {
      const s = api(t);
      if (!s) return;
      const session = await login(s, "root");
      const change = (currentPassword: string) =>
        asUser(s, session, "/v1/session/password", { method: "PUT", json: { currentPassword, newPassword: "whatever new passphrase" }, csrf: session.csrfToken });
      for (let i = 0; i < 5; i++) assert.equal((await change(`guess number ${i}`)).status, 400);
      const limited = await change(password);
      assert.equal(limited.status, 429);
      assert.equal((await limited.json()).error.code, "RATE_LIMITED");
      assert.equal((await asUser(s, session, "/v1/session")).status, 200, "the password did not change");
    });

    it("limits failed logins per address and username, even for the right password", async (t) => {
      const s = api(t);
      if (!s) return;
      for (let i = 0; i < 5; i++) {
        const res = await s.request("/v1/session", { method: "POST", key: null, json: { username: "newbie", password: `wrong guess ${i}` } });
        assert.equal(res.status, 401);
      }
      const limited = await s.request("/v1/session", { method: "POST", key: null, json: { username: "newbie", password } });
      assert.equal(limited.status, 429);
      assert.equal((await limited.json()).error.code, "RATE_LIMITED");
      const retryAfter = Number(limited.headers.get("retry-after"));
      assert.ok(retryAfter > 0 && retryAfter <= 900, `Retry-After ${retryAfter}`);
      await login(s, "root");
    });
  });
}

describe("failed-login limit shared by two servers on one PostgreSQL", () => {
  it("counts failures sent to either server: the fifth refuses the next attempt on both", async (t) => {
    const first = await startTestServer("postgres");
    if (typeof first === "string") return t.skip(first);
    const second = await startTestServer("postgres", {}, first.database);
    if (typeof second === "string") {
      await first.close();
      return t.skip(second);
    }
    try {
      const created = await first.request("/v1/users", { method: "POST", json: { username: "shared", password, role: "viewer" } });
      assert.equal(created.status, 201, await created.clone().text());
      const attempt = (s: TestServer, pass: string) => s.request("/v1/session", { method: "POST", key: null, json: { username: "shared", password: pass } });
      // Alternate between the servers: with a limit per process, each would have seen only 2 or 3.
      for (let i = 0; i < 5; i++) assert.equal((await attempt(i % 2 === 0 ? first : second, `wrong guess ${i}`)).status, 401, `guess ${i}`);
      for (const s of [first, second]) {
        const limited = await attempt(s, password);
        assert.equal(limited.status, 429, "refused on each server, even with the right password");
        assert.equal((await limited.json()).error.code, "RATE_LIMITED");
      }
    } finally {
      await second.close();
      await first.close();
    }
  });
});

describe("console session cookie behind HTTPS (sqlite)", () => {
  let s: TestServer;
  before(async () => {
    s = (await startTestServer("sqlite", { sessionCookieSecure: "always" })) as TestServer;
    assert.equal((await s.request("/v1/users", { method: "POST", json: { username: "root", password, role: "admin" } })).status, 201);
  });
  after(async () => s?.close());

  it("marks the cookie Secure when configured to", async () => {
    const session = await login(s, "root");
    assert.match(session.setCookie, /; HttpOnly; SameSite=Strict; Secure$/);
  });
});
