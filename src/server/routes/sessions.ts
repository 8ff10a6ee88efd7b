import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { apiScopes } from "../../auth/index.js";
import type { Config } from "../../config/index.js";
import { LapwingError } from "../../errors/index.js";
import { maxPasswordChars, roles, type LoginLimiter, type UserService } from "../../users/index.js";
import { actorOf, sessionCookie, sessionTokenOf } from "../authenticate.js";

export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  role: z.enum(roles),
  createdAt: z.string(),
  updatedAt: z.string(),
  disabledAt: z.string().nullable(),
});

const loginBody = z.object({ username: z.string().min(1).max(200), password: z.string().min(1).max(maxPasswordChars) });

export interface SessionRouteOptions {
  users: UserService;
  /** Failed-login limits, kept in the store (services.loginLimits). */
  loginLimits: { perUser: LoginLimiter; perAddress: LoginLimiter };
  config: Pick<Config, "sessionCookieSecure">;
}

/**
 * Console login, logout, who-am-I and one's own password. Login is public and
 * limited: 5 failures per 15 minutes for one address and username, 50 for one
 * address whatever the username; a success clears the pair's count. The counts
 * are kept in the store, so they hold however many processes serve.
 * The address is the socket's (fastify's `request.ip`), so behind a proxy the
 * server must be told to trust it, or every user shares one address.
 */
export const sessionRoutes: FastifyPluginAsyncZod<SessionRouteOptions> = async (app, { users, loginLimits, config }) => {
  const tags = ["session"];
  const { perUser, perAddress } = loginLimits;
  const secure = (request: FastifyRequest) => config.sessionCookieSecure === "always" || (config.sessionCookieSecure === "auto" && request.protocol === "https");
  const clearCookie = (request: FastifyRequest, reply: FastifyReply) => reply.header("set-cookie", sessionCookie("", { maxAgeSeconds: 0, secure: secure(request) }));

  app.post(
    "/session",
    {
      config: { scope: "public" },
      schema: {
        summary: "Log in to the console: sets the lapwing_session cookie and returns the CSRF token for x-csrf-token",
        tags,
        security: [],
        body: loginBody,
        response: { 200: z.object({ user: userSchema, csrfToken: z.string(), expiresAt: z.string() }) },
      },
    },
    async (request, reply) => {
      const pair = `${request.ip}\n${request.body.username.trim().toLowerCase()}`;
      const waitMs = Math.max(await perUser.retryAfterMs(pair), await perAddress.retryAfterMs(request.ip));
      if (waitMs > 0) {
        const seconds = Math.ceil(waitMs / 1000);
        request.log.warn({ ip: request.ip }, "login refused: too many failures");
        void reply.header("retry-after", String(seconds));
        throw new LapwingError("RATE_LIMITED", `Too many failed logins from this address; try again in ${seconds} s.`);
      }
      let result;
      try {
        result = await users.login(request.body.username, request.body.password, { ip: request.ip });
      } catch (error) {
        if (error instanceof LapwingError && error.code === "LOGIN_FAILED") {
          await perUser.failed(pair);
          await perAddress.failed(request.ip);
        }
        throw error;
      }
      await perUser.succeeded(pair);
      const maxAgeSeconds = (Date.parse(result.expiresAt) - Date.now()) / 1000;
      void reply.header("set-cookie", sessionCookie(result.token, { maxAgeSeconds, secure: secure(request) })).header("cache-control", "no-store");
      return { user: result.user, csrfToken: result.csrfToken, expiresAt: result.expiresAt };
    },
  );

  app.get(
    "/session",
    {
      config: { scope: "any" },
      schema: {
        summary: "Who am I: the console user (with the session's CSRF token) or the API key making the request",
        tags,
        response: {
          200: z.object({
            user: userSchema.nullable(),
            csrfToken: z.string().nullable(),
            expiresAt: z.string().nullable(),
            apiKey: z.object({ id: z.string(), name: z.string(), scopes: z.array(z.enum(apiScopes)) }).nullable(),
          }),
        },
      },
    },
    async (request, reply) => {
      void reply.header("cache-control", "no-store");
      const { session, apiKey } = request;
      return {
        user: session?.user ?? null,
        csrfToken: session?.csrfToken ?? null,
        expiresAt: session?.expiresAt ?? null,
        apiKey: apiKey ? { id: apiKey.id, name: apiKey.name, scopes: apiKey.scopes } : null,
      };
    },
  );

  app.delete(
    "/session",
    { config: { scope: "any" }, schema: { summary: "Log out: ends the console session and clears its cookie (a no-op for an API key)", tags, response: { 204: z.null() } } },
    async (request, reply) => {
      const token = sessionTokenOf(request);
      if (request.session && token) await users.logout(token);
      return clearCookie(request, reply).status(204).send(null);
    },
  );

  app.put(
    "/session/password",
    {
      config: { scope: "any" },
      schema: {
        summary: "Change the logged-in user's own password; every session of the user ends, this one too",
        tags,
        body: z.object({ currentPassword: z.string().min(1).max(maxPasswordChars), newPassword: z.string().min(1).max(maxPasswordChars) }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      if (!request.session) throw new LapwingError("BAD_REQUEST", "Only a console user has a password; API keys are revoked and re-created instead.");
      // A stolen session must not become a way to guess the password (and keep the account).
      const guesses = `password\n${request.session.user.id}`;
      const waitMs = await perUser.retryAfterMs(guesses);
      if (waitMs > 0) {
        void reply.header("retry-after", String(Math.ceil(waitMs / 1000)));
        throw new LapwingError("RATE_LIMITED", `Too many wrong current passwords; try again in ${Math.ceil(waitMs / 1000)} s.`);
      }
      try {
        await users.changePassword(request.session.user.id, request.body.newPassword, actorOf(request), { currentPassword: request.body.currentPassword });
      } catch (error) {
        if (error instanceof LapwingError && error.pointer === "/currentPassword") await perUser.failed(guesses);
        throw error;
      }
      return clearCookie(request, reply).status(204).send(null);
    },
  );
};
