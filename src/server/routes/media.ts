import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { signalTypes } from "../../banks/index.js";
import { inputProblems, LapwingError } from "../../errors/index.js";
import type { Services } from "../../services.js";
import type { Metrics } from "../metrics.js";
import { checkedHashes, checkResult, dihedralHashes, mediaHashes, pdqError, verdict, hashMatch } from "./schemas.js";

const booleanFlag = z
  .enum(["true", "false", "1", "0"])
  .optional()
  .transform((v) => v === "true" || v === "1");

/** The JSON body of /v1/media/check when the caller sends hashes instead of bytes. */
export const hashQuery = z.strictObject({
  pdq: z.string().optional(),
  quality: z.number().int().min(0).max(100).optional(),
  md5: z.string().optional(),
  sha256: z.string().optional(),
  dihedral: dihedralHashes.optional(),
});

const maxLookupBatch = 1000;

export const mediaRoutes: FastifyPluginAsyncZod<{ services: Services; metrics: Metrics }> = async (app, { services, metrics }) => {
  const config = { scope: "check" as const };
  const tags = ["media"];

  app.post(
    "/media/hash",
    {
      config,
      schema: {
        summary: "Hash uploaded media: PDQ, quality, MD5, SHA-256 and optionally the 8 dihedral PDQ hashes",
        description:
          "Send the file's bytes as the body with Content-Type application/octet-stream or image/*. Hashing runs in a pool of threads; when every thread is busy and the queue is full the answer is 503 `MEDIA_BUSY` with a Retry-After header.",
        tags,
        querystring: z.object({ dihedral: booleanFlag, mode: z.enum(["full", "reference"]).optional() }),
        response: { 200: mediaHashes },
      },
    },
    async (request) => services.knownMedia.hash(mediaBody(request.body), { dihedral: request.query.dihedral, mode: request.query.mode, whenBusy: "refuse" }),
  );

  app.post(
    "/media/check",
    {
      config,
      schema: {
        summary: "Check media against every enabled hash bank",
        description:
          "Send the file's bytes (application/octet-stream or image/*) to hash and check them, or a JSON object of hashes you computed (`pdq`, `quality`, `md5`, `sha256`, `dihedral`). Returns every match with its bank, distance and entry, and a verdict. The MD5 and SHA-256 of the bytes are always matched, whatever the file is; when it is not a decodable image (a video, an SVG, a corrupt or oversized file) `pdqError` says why it has no PDQ hash. When every hashing thread is busy and the queue is full the answer is 503 `MEDIA_BUSY` with a Retry-After header.",
        tags,
        querystring: z.object({ dihedral: booleanFlag }),
        response: { 200: checkResult.extend({ hashes: checkedHashes.optional(), pdqError: pdqError.optional() }) },
      },
    },
    async (request) => {
      const result = Buffer.isBuffer(request.body)
        ? await services.knownMedia.checkMedia(mediaBody(request.body), { dihedral: request.query.dihedral, whenBusy: "refuse" })
        : await services.knownMedia.checkHashes(parseJson(hashQuery, request.body));
      metrics.mediaChecks.inc({ verdict: result.verdict });
      return result;
    },
  );

  app.post(
    "/hashes/lookup",
    {
      config,
      schema: {
        summary: `Check a batch of up to ${maxLookupBatch} hashes against every enabled bank`,
        tags,
        body: z.object({
          hashes: z
            .array(z.object({ signalType: z.enum(signalTypes), signal: z.string(), quality: z.number().int().min(0).max(100).optional() }))
            .min(1)
            .max(maxLookupBatch),
        }),
        response: { 200: z.object({ results: z.array(z.object({ signalType: z.enum(signalTypes), signal: z.string(), verdict, matches: z.array(hashMatch), notes: z.array(z.string()) })) }) },
      },
    },
    async (request) => {
      const results = [];
      for (const [i, item] of request.body.hashes.entries()) {
        try {
          const result = await services.knownMedia.checkHashes({ [item.signalType]: item.signal, quality: item.quality });
          results.push({ signalType: item.signalType, signal: item.signal, ...result });
        } catch (error) {
          if (error instanceof LapwingError) throw new LapwingError(error.code, `hashes[${i}]: ${error.message}`, { pointer: `/hashes/${i}/signal` });
          throw error;
        }
      }
      return { results };
    },
  );
};

function mediaBody(body: unknown): Buffer {
  if (!Buffer.isBuffer(body)) {
    throw new LapwingError("UNSUPPORTED_CONTENT_TYPE", "Send the media bytes as the request body with Content-Type application/octet-stream or image/*.");
  }
  return body;
}

function parseJson<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  if (body === undefined || body === null) {
    throw new LapwingError("BAD_REQUEST", "Send media bytes (application/octet-stream or image/*) or a JSON object of hashes.");
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const problems = inputProblems(parsed.error.issues.map((issue) => ({ ...issue, keys: issue.code === "unrecognized_keys" ? issue.keys : undefined })));
    const { pointer, message } = problems[0]!;
    throw new LapwingError("VALIDATION_FAILED", `Invalid body: ${pointer} ${message}.`, { pointer, details: problems });
  }
  return parsed.data;
}
