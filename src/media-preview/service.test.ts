import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Kysely } from "kysely";
import type { AuditLog } from "../audit/index.js";
import { LapwingError } from "../errors/index.js";
import type { MediaFetcher, PlatformEvent } from "../events/index.js";
import { createMediaPreview } from "./service.js";

const event: PlatformEvent = {
  id: "e1",
  type: "post.created",
  occurred_at: "2026-03-01T12:00:00Z",
  post: { id: "p1", author_id: "a1", media: [{ kind: "hashes", id: "m1", md5: "0".repeat(32) }, { kind: "hashes", md5: "1".repeat(32) }] },
} as PlatformEvent;

function previews(template: string, answer: Awaited<ReturnType<MediaFetcher["fetchMedia"]>>) {
  const asked: string[] = [];
  const service = createMediaPreview({
    template,
    cases: { summary: async (id) => ({ id, restricted: false }) },
    decisions: { forCase: async () => [{ eventId: "e1" }] },
    events: { get: async () => ({ id: "e1", event }) },
    isSubjectRestricted: async () => false,
    audit: {} as AuditLog,
    db: {} as Kysely<unknown>,
    fetcher: { fetchMedia: async (url: string) => (asked.push(url), answer) },
  });
  return { service, asked };
}
const viewer = { actor: "user:u1", canSeeRestricted: false };
// Synthetic headers only: the first bytes each format must start with, then filler.
const webp = Buffer.concat([Buffer.from("RIFF"), Buffer.alloc(4), Buffer.from("WEBPVP8 "), Buffer.alloc(16)]);
const png = Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), Buffer.alloc(16)]);
const code = (c: string) => (error: unknown) => error instanceof LapwingError && error.code === c;

describe("media previews", () => {
  it("say what to configure when no preview source is set, without fetching", async () => {
    const { service, asked } = previews("", { ok: true, bytes: Buffer.from("x"), contentType: "image/png" });
    assert.equal(service.isConfigured, false);
    await assert.rejects(service.preview("c1", "m1", viewer), (e: unknown) => code("PREVIEW_UNAVAILABLE")(e) && /LAPWING_MEDIA_PREVIEW_URL/.test((e as Error).message));
    assert.deepEqual(asked, []);
  });

  it("fill the template with the encoded id, list only media with ids, and refuse other types", async () => {
    const { service, asked } = previews("https://platform.example/media/{contentId}?size=small", { ok: true, bytes: webp, contentType: "image/webp; q=1" });
    assert.deepEqual((await service.caseContent("c1", viewer)).map((c) => c.contentId), ["p1", "m1"]);
    assert.equal((await service.preview("c1", "m1", viewer)).contentType, "image/webp");
    assert.deepEqual(asked, ["https://platform.example/media/m1?size=small"]);
    await assert.rejects(service.preview("c1", "../admin", viewer), code("PREVIEW_UNAVAILABLE"), "an id the case does not name is never fetched");
    const svg = previews("https://platform.example/m/{contentId}", { ok: true, bytes: Buffer.from("<svg/>"), contentType: "image/svg+xml" });
    await assert.rejects(svg.service.preview("c1", "p1", viewer), code("PREVIEW_FAILED"));
    const missing = previews("https://platform.example/m/{contentId}", { ok: false, reason: "fetch_failed", status: 404, message: "HTTP 404" });
    await assert.rejects(missing.service.preview("c1", "p1", viewer), code("PREVIEW_UNAVAILABLE"));
    const down = previews("https://platform.example/m/{contentId}", { ok: false, reason: "fetch_failed", message: "took too long" });
    await assert.rejects(down.service.preview("c1", "p1", viewer), code("PREVIEW_FAILED"));
  });

  it("refuse bytes that are not the type the platform declared: a page, an empty body, another format", async () => {
    const answers: Array<[string, Buffer, string]> = [
      ["a page sent as image/png", Buffer.from("<html><script>alert(1)</script></html>"), "image/png"],
      ["an empty body", Buffer.alloc(0), "image/png"],
      ["a PNG sent as image/jpeg", png, "image/jpeg"],
      ["a WebP missing its form type", Buffer.concat([Buffer.from("RIFF"), Buffer.alloc(20)]), "image/webp"],
      ["three bytes of a PNG", png.subarray(0, 3), "image/png"],
    ];
    for (const [what, bytes, contentType] of answers) {
      const { service } = previews("https://platform.example/m/{contentId}", { ok: true, bytes, contentType });
      await assert.rejects(service.preview("c1", "m1", viewer), (e: unknown) => code("PREVIEW_FAILED")(e) && /is not image\/\w+ data/.test((e as Error).message), what);
    }
    const { service } = previews("https://platform.example/m/{contentId}", { ok: true, bytes: png, contentType: "image/png" });
    assert.deepEqual((await service.preview("c1", "m1", viewer)).bytes, png);
  });
});
