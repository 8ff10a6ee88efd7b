import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyPluginAsync, FastifyReply } from "fastify";

/** Where `npm run build:console` writes the console (vite's outDir). */
export const consoleDistDir = fileURLToPath(new URL("../../console/dist/", import.meta.url));

/**
 * The console's Content-Security-Policy: its own scripts and styles only (no
 * inline code, no CDN), calls to its own origin, media previews through the
 * API (or blob: URLs made from them), and it may not be framed.
 */
export const consoleCsp = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const notBuilt = `The Lapwing console has not been built, so there is nothing to show at this address yet.

Build it with:

    npm run build:console

(npm install and npm ci build it too), then reload this page. The API itself is running: see /docs.
`;

function secureHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header("content-security-policy", consoleCsp)
    .header("x-content-type-options", "nosniff")
    .header("referrer-policy", "no-referrer")
    .header("x-frame-options", "DENY");
}

/**
 * Serves the built console at `/`: files from `console/dist`, and
 * `index.html` for every other path outside the API (the console routes on
 * the client), so `/cases/abc` can be reloaded or shared. Paths under `/v1`
 * keep the API's JSON 404. The files are public (the console logs in through
 * the API); every API call it makes is authenticated.
 */
export const consoleRoutes: FastifyPluginAsync<{ dir?: string }> = async (app, { dir = consoleDistDir }) => {
  const isBuilt = existsSync(join(dir, "index.html"));
  if (isBuilt) await app.register(fastifyStatic, { root: dir, serve: false, cacheControl: false, etag: true, lastModified: true, index: false, dotfiles: "deny" });

  app.get("/*", { config: { scope: "public" }, schema: { hide: true } }, async (request, reply) => {
    const path = (request.params as { "*": string })["*"] ?? "";
    if (path === "v1" || path.startsWith("v1/")) return reply.callNotFound();
    if (!isBuilt) return secureHeaders(reply).status(503).type("text/plain; charset=utf-8").header("cache-control", "no-store").send(notBuilt);
    const hasExtension = /\.[a-z0-9]+$/i.test(path);
    if (hasExtension) {
      if (!existsSync(join(dir, path)) || path.split("/").some((part) => part.startsWith("."))) return reply.callNotFound();
      // Vite names built assets by content hash: they never change under one name.
      const immutable = path.startsWith("assets/");
      return secureHeaders(reply)
        .header("cache-control", immutable ? "public, max-age=31536000, immutable" : "no-cache")
        .sendFile(path);
    }
    return secureHeaders(reply).header("cache-control", "no-cache").type("text/html; charset=utf-8").sendFile("index.html");
  });
};
