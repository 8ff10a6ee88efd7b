import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { LapwingError } from "../../errors/index.js";
import type { PreviewViewer } from "../../media-preview/index.js";
import type { Services } from "../../services.js";
import { actorOf, viewerOf } from "../authenticate.js";
import { lapwingId } from "./schemas.js";

// The people who work cases: viewers read the queue but are never shown media.
const reviewers = ["admin", "child_safety_reviewer", "moderator"] as const;
// Case ids are Lapwing's own: a malformed one is refused as such on either database, before any lookup.
const caseId = lapwingId("a case id");
const contentId = z.string().min(1).max(200);

const caseContent = z.object({
  contentId: z.string().describe("Fills {contentId} in LAPWING_MEDIA_PREVIEW_URL"),
  kind: z.enum(["media", "post", "comment", "account"]),
  eventId: z.string(),
  field: z.string().describe("A JSON pointer into the event (/post/media/0), empty for the event's subject itself"),
  subjectId: z.string().describe("The post, comment or account the content belongs to"),
});
const preferences = z.object({
  blurMedia: z.boolean().describe("Media start blurred; revealing one is a deliberate, audited act"),
  greyscaleMedia: z.boolean(),
  updatedAt: z.string().nullable().describe("Null while the user has the defaults"),
});

function previewViewer(request: FastifyRequest): PreviewViewer {
  return { actor: actorOf(request), ...viewerOf(request) };
}

/**
 * What the review console needs beside the review queue: the content of a
 * case, media previews proxied from the platform (never stored), audited
 * reveals, and each user's own preferences.
 */
export const consoleApiRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const { mediaPreview, preferences: prefs } = services;
  const tags = ["console"];
  const review = { scope: "admin" as const, roles: reviewers };

  app.get(
    "/cases/:id/content",
    {
      config: review,
      schema: {
        summary: "The content a case names (its posts, comments, accounts and media with ids), for previews",
        description: `Whether a preview source is configured is in \`previewSource\`; ask for each preview with GET /v1/media/preview/{contentId}?caseId=.`,
        tags,
        params: z.object({ id: caseId }),
        response: { 200: z.object({ previewSource: z.boolean(), content: z.array(caseContent) }) },
      },
    },
    async (request) => ({ previewSource: mediaPreview.isConfigured, content: await mediaPreview.caseContent(request.params.id, previewViewer(request)) }),
  );

  app.get(
    "/media/preview/:contentId",
    {
      config: review,
      schema: {
        summary: "A preview of one piece of a case's content, fetched from the platform and proxied, never stored",
        description:
          "Fetched through LAPWING_MEDIA_PREVIEW_URL from its host alone (SSRF-guarded, no redirects, bounded in size and time) and answered with `cache-control: no-store`. " +
          "404 PREVIEW_UNAVAILABLE when no preview source is configured, the platform has none, or the case holds no such content you may see; 404 CASE_NOT_FOUND for a case you may not see; 502 PREVIEW_FAILED when the platform could not be read. " +
          "The console shows it blurred and greyscale until the reviewer reveals it (POST /v1/console/reveals).",
        tags,
        params: z.object({ contentId }),
        querystring: z.object({ caseId: caseId.describe("The case the content is shown in") }),
      },
    },
    async (request, reply) => {
      const { bytes, contentType } = await mediaPreview.preview(request.query.caseId, request.params.contentId, previewViewer(request));
      return reply
        .header("cache-control", "no-store")
        .header("x-content-type-options", "nosniff")
        .header("content-security-policy", "default-src 'none'; sandbox")
        .header("content-disposition", "inline")
        .type(contentType)
        .send(bytes);
    },
  );

  app.post(
    "/console/reveals",
    {
      config: review,
      schema: {
        summary: "Record that you revealed (un-blurred) one item of a case: an audit entry `media.reveal`",
        description: "Refused like the preview itself (404) for a case or content the caller may not see.",
        tags,
        body: z.object({ caseId, contentId }),
        response: { 201: z.object({ position: z.number().int(), at: z.string(), action: z.literal("media.reveal") }) },
      },
    },
    async (request, reply) => {
      const entry = await mediaPreview.recordReveal(request.body.caseId, request.body.contentId, previewViewer(request));
      return reply.status(201).send({ position: entry.position, at: entry.at, action: "media.reveal" as const });
    },
  );

  const me = { scope: "any" as const };
  const sessionUser = (request: FastifyRequest) => {
    const user = request.session?.user;
    if (!user) throw new LapwingError("NOT_FOUND", "Preferences belong to console users; an API key has none. Log in with POST /v1/session.");
    return user;
  };

  app.get(
    "/me/preferences",
    { config: me, schema: { summary: "Your own console preferences (media blurred and greyscale by default)", tags, response: { 200: preferences } } },
    async (request) => prefs.get(sessionUser(request).id),
  );

  app.put(
    "/me/preferences",
    {
      config: me,
      schema: {
        summary: "Change your own console preferences; fields left out keep their value",
        tags,
        body: z.object({ blurMedia: z.boolean().optional(), greyscaleMedia: z.boolean().optional() }),
        response: { 200: preferences },
      },
    },
    async (request) => prefs.update(sessionUser(request).id, request.body),
  );
};
