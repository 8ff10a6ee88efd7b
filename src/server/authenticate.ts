import type { FastifyInstance, FastifyRequest, FastifySchema, HTTPMethods, RouteOptions } from "fastify";
import { apiScopes, grants, type ApiKeyInfo, type ApiKeyService, type ApiScope } from "../auth/index.js";
import { auditActor } from "../audit/index.js";
import { LapwingError } from "../errors/index.js";
import { csrfMatches, isRole, mayViewChildSafetyCases, roles, type ActiveSession, type Role, type UserService } from "../users/index.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The scope a route needs; `"any"` for any valid key or session, `"public"` for none (only /healthz, login, /openapi.json and /docs). */
    scope?: ApiScope | "any" | "public";
    /**
     * The console roles that may call the route with a session, replacing the
     * default for its scope (see {@link rolesForScope}). `admin` is not implied:
     * a route for CSAM cases or evidence lists `child_safety_reviewer` alone.
     * `viewer` may only be listed on GET routes.
     */
    roles?: readonly Role[];
  }
  interface FastifyRequest {
    apiKey?: ApiKeyInfo;
    /** The console session that authenticated the request (absent for API keys). */
    session?: ActiveSession;
  }
}

/** The console's session cookie. */
export const sessionCookieName = "lapwing_session";
/** The header that must carry the session's CSRF token on every unsafe request made with the cookie. */
export const csrfHeaderName = "x-csrf-token";
const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);
const routeScopes: ReadonlySet<string> = new Set([...apiScopes, "any", "public"]);

/**
 * Which console roles may use a route that declares `scope` and no `roles`:
 * - `admin` (or no scope): admins, who may do everything an admin key may;
 * - `check`: admins, child-safety reviewers and moderators;
 * - `ingest`: admins (platforms send events with keys, not people);
 * - `any`: every role (who-am-I, the API document, metrics);
 * - `public`: nobody needs to log in.
 * Viewers get nothing by default: a GET route opts them in with `roles`.
 */
export function rolesForScope(scope: ApiScope | "any" | "public"): readonly Role[] {
  switch (scope) {
    case "any":
      return roles;
    case "check":
      return ["admin", "child_safety_reviewer", "moderator"];
    case "ingest":
    case "admin":
      return ["admin"];
    case "public":
      return [];
  }
}

/**
 * Every route needs an API key or a console session unless it says
 * `scope: "public"`; a route that forgets to declare a scope needs `admin`,
 * so forgetting fails closed.
 *
 * ## Keys and sessions
 *
 * A request with `Authorization: Bearer lw_…` (or `x-api-key`) is judged by the
 * key's scopes alone, exactly as before sessions existed. Otherwise the
 * `lapwing_session` cookie is looked up; an unsafe method (anything but GET,
 * HEAD, OPTIONS) must then also send the session's CSRF token in `x-csrf-token`,
 * and the user's role must be one the route allows (`config.roles`, else
 * {@link rolesForScope}).
 *
 * ## Declarations are checked at start-up
 *
 * An unknown scope or role, `roles` on a public route, or `viewer` on a route
 * that is not GET-only throws when the route is added. Each route's declared
 * scope and roles are also written into its OpenAPI entry as
 * `x-lapwing-access`, so the document says who may call what, and the role
 * matrix test reads them from there.
 */
export function registerAuthentication(app: FastifyInstance, keys: ApiKeyService, users?: UserService) {
  app.decorateRequest("apiKey", undefined);
  app.decorateRequest("session", undefined);

  app.addHook("onRoute", (route) => {
    checkDeclaration(route);
    const access = { scope: route.config?.scope ?? null, roles: route.config?.roles ?? null };
    route.schema = { ...route.schema, "x-lapwing-access": access } as FastifySchema;
  });

  app.addHook("onRequest", async (request) => {
    const config = request.routeOptions.config;
    const scope = config?.scope ?? "admin";
    if (scope === "public") return;
    const presented = readKey(request);
    if (presented) {
      const key = await keys.authenticate(presented);
      if (!key) throw new LapwingError("UNAUTHENTICATED", "The API key is unknown or revoked.");
      request.apiKey = key;
      if (scope !== "any" && !grants(key.scopes, scope)) {
        throw new LapwingError("FORBIDDEN", `This endpoint needs the "${scope}" scope; the key "${key.name}" has ${key.scopes.join(", ")}.`);
      }
      return;
    }
    const token = users ? sessionTokenOf(request) : undefined;
    if (!token || !users) {
      throw new LapwingError(
        "UNAUTHENTICATED",
        "This endpoint needs an API key (send `Authorization: Bearer lw_…`; create one with `lapwing keys create`) or a console session (log in with POST /v1/session).",
      );
    }
    const session = await users.authenticate(token);
    if (!session) throw new LapwingError("UNAUTHENTICATED", "The console session has ended (logged out, expired, idle too long, or the user was disabled); log in again with POST /v1/session.");
    request.session = session;
    if (!safeMethods.has(request.method)) {
      const header = request.headers[csrfHeaderName];
      if (!csrfMatches(token, typeof header === "string" ? header : undefined)) {
        throw new LapwingError("CSRF_FAILED", `A ${request.method} with a console session needs the session's CSRF token in the ${csrfHeaderName} header (returned by POST and GET /v1/session).`);
      }
    }
    const allowed = config?.roles ?? rolesForScope(scope);
    if (!allowed.includes(session.user.role)) {
      throw new LapwingError(
        "FORBIDDEN",
        `This endpoint is not open to the "${session.user.role}" role; it is open to ${allowed.length ? allowed.join(", ") : "API keys only"}.`,
      );
    }
  });
}

function checkDeclaration(route: RouteOptions): void {
  const where = `${String(route.method)} ${route.url}`;
  const scope = route.config?.scope;
  if (scope !== undefined && !routeScopes.has(scope)) throw new Error(`Route ${where} declares an unknown scope "${scope}".`);
  const declared = route.config?.roles;
  if (declared === undefined) return;
  if (scope === "public") throw new Error(`Route ${where} is public; "roles" would mean nothing there.`);
  for (const role of declared) {
    if (!isRole(role)) throw new Error(`Route ${where} declares an unknown role "${String(role)}"; roles are ${roles.join(", ")}.`);
  }
  const methods: HTTPMethods[] = Array.isArray(route.method) ? route.method : [route.method];
  if (declared.includes("viewer") && methods.some((m) => !safeMethods.has(m.toUpperCase()))) {
    throw new Error(`Route ${where} opens a ${methods.join("/")} to viewers; viewers may only read (GET).`);
  }
}

function readKey(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.toLowerCase().startsWith("bearer ")) return header.slice(7).trim();
  const alt = request.headers["x-api-key"];
  return typeof alt === "string" ? alt : undefined;
}

/** The session token from the request's `lapwing_session` cookie, if any (the first one, as browsers send the most specific first). */
export function sessionTokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === sessionCookieName) return part.slice(eq + 1).trim().replace(/^"(.*)"$/, "$1");
  }
  return undefined;
}

/**
 * A `Set-Cookie` value for the session: HttpOnly (no script can read it),
 * SameSite=Strict (never sent on a request another site starts), Path=/, and
 * Secure as configured. An empty token with `maxAgeSeconds: 0` clears it.
 */
export function sessionCookie(token: string, options: { maxAgeSeconds: number; secure: boolean }): string {
  const parts = [`${sessionCookieName}=${token}`, "Path=/", `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`, "HttpOnly", "SameSite=Strict"];
  if (options.secure) parts.push("Secure");
  return parts.join("; ");
}

/**
 * Whether the caller may see restricted (child sexual abuse) cases and what
 * names them: child-safety reviewers only, never an API key or an admin.
 * Every route that can reveal such a case passes this to its service.
 */
export function viewerOf(request: FastifyRequest): { canSeeRestricted: boolean } {
  return { canSeeRestricted: mayViewChildSafetyCases(request.session?.user.role) };
}

/** The audit-log actor for a request: the API key or the console user that made it. */
export function actorOf(request: FastifyRequest): string {
  if (request.apiKey) return auditActor.key(request.apiKey.id, request.apiKey.name);
  if (request.session) return auditActor.user(request.session.user.id);
  return auditActor.system;
}
