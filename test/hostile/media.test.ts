// Hostile media, on both backends: images that cost far more to decode than
// their size suggests must not freeze the server, files PDQ cannot hash are
// still matched by their digests, and inline bytes never stay in the store.
// Every file is generated here (flat colours, seeded noise, a stand-in SVG).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it, type TestContext } from "node:test";
import { decodeImage, digestMedia, pdqFromPixels } from "../../src/media/index.js";
import { seededRandom } from "../../src/random/index.js";
import { dialects } from "../../src/store/testing.js";
import { runLapwing, waitFor } from "../support/cli.js";
import { flatImage, syntheticJpeg } from "../support/images.js";
import { startTestServer, type TestServer } from "../support/server.js";

// 36 Mpx each, within the default 40 Mpx limit, a few hundred kilobytes; hashing
// one takes about half a second of one thread, long beside a loaded machine's
// scheduling noise, so the comparison below has room on both sides.
const side = 6000;
const hostileCount = 4;
const at = "2026-01-01T00:00:00Z";

/**
 * Asks /healthz, one request after another, until `work` settles; returns the
 * slowest answer and how long the work took.
 */
async function healthDuring(s: TestServer, work: Promise<unknown>): Promise<{ slowestMs: number; answers: number; workMs: number }> {
  const started = performance.now();
  let isSettled = false;
  const settled = work.finally(() => (isSettled = true));
  let slowestMs = 0;
  let answers = 0;
  while (!isSettled) {
    const asked = performance.now();
    const res = await s.request("/healthz", { key: null });
    await res.arrayBuffer();
    assert.equal(res.status, 200);
    slowestMs = Math.max(slowestMs, performance.now() - asked);
    answers++;
    await sleep(10);
  }
  await settled;
  return { slowestMs, answers, workMs: performance.now() - started };
}

/**
 * How long hashing one of these images holds the thread that does it, measured
 * here, now, on the test's own thread: the machine's load at this moment is in
 * it. A server that hashed on its event loop could not answer a health check
 * for about that long, so its slowest answer would be about this figure.
 */
function onLoopHashMs(image: Buffer): Promise<number> {
  return decodeImage(image).then((pixels) => {
    const started = performance.now();
    pdqFromPixels(pixels);
    return performance.now() - started;
  });
}

/** Compared with the calibrated cost of one image, not with a fixed time: the machines are shared and noisy. */
function assertResponsive(t: TestContext, health: { slowestMs: number; answers: number; workMs: number }, oneImageMs: number) {
  const detail = `slowest /healthz ${health.slowestMs.toFixed(0)} ms of ${health.answers} answers while hashing took ${health.workMs.toFixed(0)} ms; one image holds a thread ${oneImageMs.toFixed(0)} ms`;
  t.diagnostic(detail);
  assert.ok(health.answers >= 5, detail);
  assert.ok(health.slowestMs * 2 < oneImageMs, detail);
}

async function hostileImages(): Promise<Buffer[]> {
  const jpeg = await flatImage(side, side, "jpeg");
  const png = await flatImage(side, side, "png");
  assert.ok(Math.max(jpeg.length, png.length) * 100 < side * side, "small files declaring many pixels");
  return Array.from({ length: hostileCount }, (_, i) => (i % 2 === 0 ? jpeg : png));
}

const check = (s: TestServer, body: Uint8Array) =>
  s.request("/v1/media/check", { method: "POST", key: s.checkKey, headers: { "content-type": "application/octet-stream" }, body });

const processed = (s: TestServer, id: string) =>
  waitFor(
    `event ${id} processed`,
    async () => {
      const body = await (await s.request(`/v1/events/${id}`)).json();
      return body.state === "processed" ? body : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 50 },
  );

const postWithBytes = (id: string, files: readonly Uint8Array[]) => ({
  id,
  type: "post.created",
  occurred_at: at,
  post: { id: `post-${id}`, author_id: "author-1", media: files.map((f, i) => ({ kind: "bytes", id: `m${i}`, data_base64: Buffer.from(f).toString("base64") })) },
});

for (const dialect of dialects) {
  describe(`hostile media (${dialect})`, () => {
    let s: TestServer | undefined;
    let skipReason = "";
    let hostile: Buffer[] = [];
    before(async () => {
      const started = await startTestServer(dialect);
      if (typeof started === "string") skipReason = started;
      else s = started;
      hostile = await hostileImages();
    });
    after(() => s?.close());
    const server = (t: TestContext) => {
      if (!s) t.skip(skipReason);
      return s;
    };

    it("keeps /healthz responsive while hostile images are hashed through /v1/media/check", async (t) => {
      const api = server(t);
      if (!api) return;
      const checks = Promise.all(hostile.map((image) => check(api, image).then(async (res) => ({ status: res.status, body: await res.json() }))));
      const health = await healthDuring(api, checks);
      const oneImageMs = await onLoopHashMs(hostile[0]!);
      for (const { status, body } of await checks) {
        assert.equal(status, 200, JSON.stringify(body));
        assert.equal(body.hashes.width, side);
        assert.match(body.hashes.pdq, /^[0-9a-f]{64}$/);
      }
      assertResponsive(t, health, oneImageMs);
    });

    it("keeps /healthz responsive while hostile images sent as event bytes are hashed, and stores only their hashes", async (t) => {
      const api = server(t);
      if (!api) return;
      const accepted = await api.request("/v1/events", { method: "POST", json: { events: [postWithBytes("hostile-1", hostile)] } });
      assert.equal(accepted.status, 202);
      const done = processed(api, "hostile-1");
      const health = await healthDuring(api, done);
      const oneImageMs = await onLoopHashMs(hostile[0]!);
      const stored = await done;
      assert.equal(stored.event.post.media.length, hostileCount);
      for (const media of stored.event.post.media) {
        assert.equal(media.kind, "hashes");
        assert.match(media.pdq, /^[0-9a-f]{64}$/);
        assert.equal(media.data_base64, undefined);
      }
      assertResponsive(t, health, oneImageMs);
    });

    it("matches the MD5/SHA-256 of listed files PDQ cannot hash (random bytes, an SVG, a truncated JPEG), over HTTP, events and the CLI", async (t) => {
      const api = server(t);
      if (!api) return;
      const rnd = seededRandom(7);
      const random = Buffer.from(Array.from({ length: 3000 }, () => Math.floor(rnd() * 256)));
      const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480"><rect width="320" height="240" fill="teal"/></svg>');
      const jpeg = await syntheticJpeg(128, 96, 5);
      const truncated = jpeg.subarray(0, Math.floor(jpeg.length / 2));
      const unlisted = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>');
      const files = [
        { name: "random", bytes: random, signalType: "md5", pdqError: "MEDIA_UNSUPPORTED_FORMAT" },
        { name: "svg", bytes: svg, signalType: "sha256", pdqError: "MEDIA_UNSUPPORTED_FORMAT" },
        { name: "truncated", bytes: truncated, signalType: "sha256", pdqError: "MEDIA_DECODE_FAILED" },
      ] as const;
      assert.equal((await api.request("/v1/banks", { method: "POST", json: { name: "listed-files", matchVerdict: "block" } })).status, 201);
      const entries = files.map((f) => ({ signalType: f.signalType, signal: digestMedia(f.bytes)[f.signalType], category: "synthetic" }));
      assert.equal((await api.request("/v1/banks/listed-files/entries", { method: "POST", json: { entries } })).status, 201);

      for (const file of files) {
        const res = await check(api, file.bytes);
        const body = await res.json();
        assert.equal(res.status, 200, `${file.name}: ${JSON.stringify(body)}`);
        assert.equal(body.verdict, "block", file.name);
        assert.deepEqual(body.matches.map((m: { signalType: string }) => m.signalType), [file.signalType], file.name);
        assert.equal(body.pdqError.code, file.pdqError, file.name);
        assert.ok(body.pdqError.message.length > 20, "the decode error is given");
        assert.equal(body.hashes.pdq, undefined);
        assert.deepEqual([body.hashes.md5, body.hashes.sha256], [digestMedia(file.bytes).md5, digestMedia(file.bytes).sha256]);
        assert.ok(body.notes.some((n: string) => /No PDQ hash .*only the MD5 and SHA-256 digests were checked/.test(n)), JSON.stringify(body.notes));
      }
      const miss = await (await check(api, unlisted)).json();
      assert.deepEqual([miss.verdict, miss.pdqError.code], ["allow", "MEDIA_UNSUPPORTED_FORMAT"]);

      // The same files as event bytes (and an unlisted SVG, and bytes that decode to nothing).
      const event = postWithBytes("undecodable-1", [...files.map((f) => f.bytes), unlisted]);
      event.post.media.push({ kind: "bytes", id: "empty", data_base64: "A" });
      assert.equal((await api.request("/v1/events", { method: "POST", json: { events: [event] } })).status, 202);
      const stored = await processed(api, "undecodable-1");
      const byField = new Map(stored.signals.map((signal: { field: string }) => [signal.field, signal]));
      files.forEach((file, i) => {
        const signal = byField.get(`/post/media/${i}`) as { kind: string; source: string; verdict: string; matches: Array<{ signalType: string }> };
        assert.deepEqual([signal?.kind, signal?.source, signal?.verdict, signal?.matches[0]?.signalType], ["media.match", "bytes", "block", file.signalType], file.name);
      });
      assert.deepEqual((byField.get("/post/media/3") as { kind: string; reason: string }).reason, "decode_failed");
      assert.deepEqual((byField.get("/post/media/4") as { kind: string; reason: string }).reason, "decode_failed");
      assert.ok(stored.decision, "the digest match reached a decision");
      // Whatever the outcome, the stored event keeps digests and never the bytes.
      assert.ok(!JSON.stringify(stored).includes("data_base64"), JSON.stringify(stored.event));
      for (const [i, media] of stored.event.post.media.entries()) {
        assert.equal(media.kind, "hashes", `media ${i}`);
        assert.match(media.md5, /^[0-9a-f]{32}$/);
        assert.match(media.sha256, /^[0-9a-f]{64}$/);
        assert.equal(media.pdq, undefined);
        assert.match(media.pdq_error, /No PDQ hash/);
      }
      assert.equal(stored.event.post.media[4].sha256, digestMedia(new Uint8Array(0)).sha256);

      // And from the command line, on the same database.
      const dir = mkdtempSync(join(tmpdir(), "lapwing-hostile-"));
      try {
        const path = join(dir, "listed.svg");
        writeFileSync(path, svg);
        const run = await runLapwing(["--database", api.database.url, "match", path, "--json"]);
        assert.equal(run.code, 3, run.stderr);
        const result = JSON.parse(run.stdout);
        assert.deepEqual([result.verdict, result.matches[0].signalType, result.pdqError.code], ["block", "sha256", "MEDIA_UNSUPPORTED_FORMAT"]);
        const text = await runLapwing(["--database", api.database.url, "match", path]);
        assert.match(text.stdout, /block \(1 match\)[\s\S]*note: No PDQ hash \(MEDIA_UNSUPPORTED_FORMAT\)/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe(`hostile media with one hashing thread and no queue (${dialect})`, () => {
    let s: TestServer | undefined;
    let skipReason = "";
    before(async () => {
      const started = await startTestServer(dialect, { mediaThreads: 1, mediaQueue: 0 });
      if (typeof started === "string") skipReason = started;
      else s = started;
    });
    after(() => s?.close());

    it("refuses an upload with 503 MEDIA_BUSY and Retry-After while the thread is busy, and event media waits instead of failing", async (t) => {
      if (!s) return t.skip(skipReason);
      const api = s;
      const image = await flatImage(side, side, "jpeg");
      const answers = await Promise.all([check(api, image), check(api, image)]);
      const statuses = answers.map((res) => res.status).sort();
      assert.deepEqual(statuses, [200, 503]);
      const busy = answers.find((res) => res.status === 503)!;
      assert.match(busy.headers.get("retry-after") ?? "", /^[1-9]\d*$/);
      const body = await busy.json();
      assert.equal(body.error.code, "MEDIA_BUSY");
      assert.match(body.error.message, /retry in \d+ s/);
      const metrics = await (await api.request("/metrics")).text();
      assert.match(metrics, /lapwing_media_hashing_jobs\{state="queued"\} 0/);
      assert.match(metrics, /lapwing_media_threads_replaced 0/);

      // Three events at once, each with an image: the worker runs them concurrently, and each waits for the thread.
      const events = ["wait-1", "wait-2", "wait-3"].map((id) => postWithBytes(id, [image]));
      assert.equal((await api.request("/v1/events", { method: "POST", json: { events } })).status, 202);
      for (const { id } of events) {
        const stored = await processed(api, id);
        assert.match(stored.event.post.media[0].pdq, /^[0-9a-f]{64}$/, `${id} was hashed, not refused`);
        assert.equal(stored.event.post.media[0].pdq_error, undefined);
      }
    });
  });
}
