import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { evidenceKinds, evidenceSources, type EvidenceAccess } from "../../evidence/index.js";
import { LapwingError } from "../../errors/index.js";
import type { Services } from "../../services.js";
import { actorOf } from "../authenticate.js";
import { accountPlatformField, lapwingId } from "./schemas.js";

const item = z.object({
  id: z.string(),
  caseId: z.string(),
  accountId: z.string(),
  platformId: accountPlatformField,
  kind: z.enum(evidenceKinds),
  contentId: z.string().nullable(),
  targetType: z.string().nullable(),
  fileName: z.string(),
  mimeType: z.string(),
  byteSize: z.number().int(),
  md5: z.string(),
  sha256: z.string(),
  pdq: z.string().nullable(),
  pdqQuality: z.number().int().nullable(),
  capturedAt: z.string(),
  source: z.enum(evidenceSources),
  sourceUrl: z.string().nullable(),
  eventId: z.string().nullable(),
  trigger: z.string(),
  publishedAt: z.string().nullable(),
  retainUntil: z.string().nullable().describe("Deletable after this unless held; null until the case is reported (or dismissed)"),
  held: z.boolean(),
  keyId: z.string(),
});

const hold = z.object({
  id: z.string(),
  caseId: z.string(),
  reason: z.string(),
  setBy: z.string(),
  setAt: z.string(),
  until: z.string().nullable(),
  releasedAt: z.string().nullable(),
  releasedBy: z.string().nullable(),
  releaseReason: z.string().nullable(),
  history: z.array(z.object({ at: z.string(), actor: z.string(), change: z.enum(["set", "extend", "release"]), reason: z.string(), until: z.string().nullable() })),
});

const request = z.object({
  id: z.string(),
  caseId: z.string(),
  accountId: z.string(),
  platformId: accountPlatformField,
  target: z.object({ type: z.string(), id: z.string() }),
  expectedSha256: z.string().nullable(),
  state: z.enum(["pending", "received", "cancelled"]),
  requestedAt: z.string(),
  receivedAt: z.string().nullable(),
  itemId: z.string().nullable(),
});

const reason = z.string().min(1).max(500).describe("Why you need the evidence; recorded in the audit log with your name");
const withReason = z.object({ reason });
const caseParams = z.object({ id: z.string().min(1).max(100) });
const itemParams = z.object({ id: lapwingId("an evidence item id") });
const holdParams = z.object({ id: lapwingId("a hold id") });
const requestParams = z.object({ id: lapwingId("a preservation request id") });

/** Child-safety reviewers and admins; API keys need the admin scope (the report outbox runs inside Lapwing, not over HTTP). */
const vault = { scope: "admin" as const, roles: ["admin", "child_safety_reviewer"] as const };

/**
 * Decrypted evidence leaves as a download, never shown inline and never kept
 * by a cache on the way; its hash travels in a header so the receiver can
 * record it with the hand-over.
 */
function sendEvidenceFile(reply: FastifyReply, file: { bytes: Buffer; contentType: string; fileName: string; hash: [header: string, sha256: string] }) {
  return reply
    .type(file.contentType)
    .header(file.hash[0], file.hash[1])
    .header("content-disposition", `attachment; filename="${file.fileName}"`)
    .header("cache-control", "no-store")
    .send(file.bytes);
}

function accessOf(request: FastifyRequest, why: string): EvidenceAccess {
  // The route's roles already refused everyone else; the service checks the reason.
  return { actor: actorOf(request), mayAccess: true, reason: why };
}

/**
 * The evidence vault over HTTP (docs/evidence.md): a case's items, holds and
 * pending preservation requests, an item's metadata and decrypted bytes, legal
 * holds, the law-enforcement export, and the platform's upload endpoint for
 * `content.preserve`. Every read states a reason and is audited; moderators
 * and viewers are refused.
 */
export const evidenceRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const { evidence } = services;
  const tags = ["evidence"];

  app.get(
    "/cases/:id/evidence",
    {
      config: vault,
      schema: {
        summary: "A case's preserved evidence, legal holds and pending preservation requests (audited)",
        tags,
        params: caseParams,
        querystring: withReason,
        response: { 200: z.object({ caseId: z.string(), items: z.array(item), holds: z.array(hold), pending: z.array(request) }) },
      },
    },
    async (req) => evidence.caseEvidence(req.params.id, accessOf(req, req.query.reason)),
  );

  app.get(
    "/evidence/:id",
    { config: vault, schema: { summary: "One preserved item's metadata (audited)", tags, params: itemParams, querystring: withReason, response: { 200: item } } },
    async (req) => evidence.get(req.params.id, accessOf(req, req.query.reason)),
  );

  app.get(
    "/evidence/:id/content",
    {
      config: vault,
      schema: {
        summary: "One preserved item's decrypted bytes (audited; integrity checked)",
        description: "The bytes as stored, after checking the item's integrity hash and authenticated decryption; `x-lapwing-sha256` carries their SHA-256. A changed item answers 500 `EVIDENCE_TAMPERED` and returns nothing.",
        tags,
        params: itemParams,
        querystring: withReason,
      },
    },
    async (req, reply) => {
      const { item: found, bytes } = await evidence.read(req.params.id, accessOf(req, req.query.reason));
      return sendEvidenceFile(reply, { bytes, contentType: found.mimeType, fileName: found.id, hash: ["x-lapwing-sha256", found.sha256] });
    },
  );

  app.post(
    "/cases/:id/evidence/holds",
    {
      config: vault,
      schema: {
        summary: "Place a legal hold on a case's evidence: nothing of the case is purged while it is in force",
        tags,
        params: caseParams,
        body: z.object({ reason, until: z.iso.datetime({ offset: true }).optional().describe("When the hold lapses; omit to hold until released") }),
        response: { 201: hold },
      },
    },
    async (req, reply) => reply.status(201).send(await evidence.setHold(req.params.id, { until: req.body.until }, accessOf(req, req.body.reason))),
  );

  app.post(
    "/evidence/holds/:id/extend",
    {
      config: vault,
      schema: { summary: "Extend a legal hold to a later date", tags, params: holdParams, body: z.object({ reason, until: z.iso.datetime({ offset: true }) }), response: { 200: hold } },
    },
    async (req) => evidence.extendHold(req.params.id, { until: req.body.until }, accessOf(req, req.body.reason)),
  );

  app.post(
    "/evidence/holds/:id/release",
    { config: vault, schema: { summary: "Release a legal hold (retention then applies again)", tags, params: holdParams, body: withReason, response: { 200: hold } } },
    async (req) => evidence.releaseHold(req.params.id, accessOf(req, req.body.reason)),
  );

  app.post(
    "/cases/:id/evidence/export",
    {
      config: vault,
      schema: {
        summary: "Export a case's evidence for law enforcement as a tar archive (audited)",
        description:
          "A POSIX tar holding `manifest.json` (every file with its size, MD5 and SHA-256), `manifest.sha256` (the manifest's own SHA-256) and the decrypted items. Check it with `lapwing evidence verify ARCHIVE` or `sha256sum -c manifest.sha256`. `x-lapwing-manifest-sha256` carries the manifest's hash, to record with the hand-over.",
        tags,
        params: caseParams,
        body: withReason,
      },
    },
    async (req, reply) => {
      const { archive, manifestSha256 } = await evidence.exportCase(req.params.id, accessOf(req, req.body.reason));
      return sendEvidenceFile(reply, { bytes: archive, contentType: "application/x-tar", fileName: `evidence-${req.params.id}.tar`, hash: ["x-lapwing-manifest-sha256", manifestSha256] });
    },
  );

  app.post(
    "/evidence/preservations/:id",
    {
      config: { scope: "ingest" as const },
      schema: {
        summary: "Upload content Lapwing asked to preserve (the answer to a `content.preserve` action)",
        description:
          "The platform sends the content's original bytes as application/octet-stream (or image/*) for the request id in the action's `details.preservation`. When Lapwing knew the content's SHA-256, the upload must match it (422 `EVIDENCE_HASH_MISMATCH`); a request is answered once (409 after).",
        tags,
        params: requestParams,
        response: { 201: z.object({ request, itemId: z.string(), sha256: z.string() }) },
      },
    },
    async (req, reply) => {
      if (!Buffer.isBuffer(req.body)) throw new LapwingError("UNSUPPORTED_CONTENT_TYPE", "Send the content's bytes as the request body with Content-Type application/octet-stream or image/*.");
      const { request: answered, item: stored } = await evidence.acceptUpload(req.params.id, req.body, actorOf(req));
      return reply.status(201).send({ request: answered, itemId: stored.id, sha256: stored.sha256 });
    },
  );
};
