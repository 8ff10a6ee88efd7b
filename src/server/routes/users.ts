import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { maxPasswordChars, roles, type UserService } from "../../users/index.js";
import { actorOf } from "../authenticate.js";
import { userSchema } from "./sessions.js";

/** Console user management, for admins (an admin key or an admin's session). */
export const userRoutes: FastifyPluginAsyncZod<{ users: UserService }> = async (app, { users }) => {
  const config = { scope: "admin" as const };
  const tags = ["users"];
  const params = z.object({ user: z.string().min(1).max(200).describe("the user's id or username") });

  app.get("/users", { config, schema: { summary: "List console users (never their password hashes)", tags, response: { 200: z.object({ users: z.array(userSchema) }) } } }, async () => ({
    users: await users.list(),
  }));

  app.post(
    "/users",
    {
      config,
      schema: {
        summary: "Create a console user with a role and an initial password",
        tags,
        body: z.object({ username: z.string().min(1).max(200), password: z.string().min(1).max(maxPasswordChars), role: z.enum(roles) }),
        response: { 201: userSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await users.create(request.body, actorOf(request))),
  );

  app.get("/users/:user", { config, schema: { summary: "Get a console user", tags, params, response: { 200: userSchema } } }, async (request) => users.get(request.params.user));

  app.patch(
    "/users/:user",
    {
      config,
      schema: {
        summary: "Set a user's role, or disable (ending their sessions) or re-enable them",
        tags,
        params,
        body: z.object({ role: z.enum(roles).optional(), disabled: z.boolean().optional() }),
        response: { 200: userSchema },
      },
    },
    async (request) => {
      const { role, disabled } = request.body;
      const actor = actorOf(request);
      let user = await users.get(request.params.user);
      if (role !== undefined) user = await users.setRole(user.id, role, actor);
      if (disabled === true) user = await users.disable(user.id, actor);
      if (disabled === false) user = await users.enable(user.id, actor);
      return user;
    },
  );
};
