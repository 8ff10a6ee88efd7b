import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import type { Kysely } from "kysely";
import sharp from "sharp";
import { loadConfig } from "../config/index.js";
import { createJobQueue } from "../queue/index.js";
import { seededRandom } from "../random/index.js";
import { createServices } from "../services.js";
import { databaseId, type Store } from "../store/index.js";
import { dialects, withStore } from "../store/testing.js";
import { createEventProcessor } from "./processor.js";
import { createEventRepository } from "./repository.js";
import { createEventService } from "./service.js";
import type { EventSignal, MediaMatchSignal, MediaUncheckedSignal, TextSignal } from "./signals.js";
import type { EventTables } from "./tables.js";
import { startEventWorker } from "./worker.js";

const at = "2026-01-01T00:00:00.000Z";
const clock = () => new Date(at);
// Synthetic hashes only: a listed PDQ hash and one 3 bits from it.
const listedPdq = "a5".repeat(32);
const nearPdq = "a2" + "a5".repeat(31);

/** A deterministic noise PNG: no people, nothing real. */
async function noisePng(seed: number): Promise<Buffer> {
  const rnd = seededRandom(seed);
  const pixels = Buffer.alloc(64 * 64 * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.floor(rnd() * 256);
  return sharp(pixels, { raw: { width: 64, height: 64, channels: 3 } }).png().toBuffer();
}

async function setUp(store: Store) {
  const config = loadConfig({ env: {}, overrides: { databaseUrl: "sqlite::memory:", defaultLexicon: false, logLevel: "silent" } });
  const services = createServices(config, store, { databaseId: await databaseId(store.db), clock });
  await services.lexicons.put("stand-ins", { entries: [{ term: "vornaxle", category: "coded-term", severity: "block", source: "synthetic stand-in" }] }, ["post", "bio", "hashtag", "comment"]);
  await services.banks.createBank({ name: "synthetic-known", matchVerdict: "hold" });
  await services.banks.addEntries("synthetic-known", [{ signalType: "pdq", signal: listedPdq, category: "synthetic" }]);
  await Promise.all(services.followers.map((f) => f.catchUp()));
  const repo = createEventRepository(store.db as Kysely<EventTables>);
  const jobs = createJobQueue(store.db, store.dialect, { clock });
  const events = createEventService(repo, jobs, { clock });
  const processor = createEventProcessor({ repo, textCheck: services.textCheck, knownMedia: services.knownMedia, clock });
  return { services, events, processor, jobs };
}

const byKind = <K extends EventSignal["kind"]>(signals: EventSignal[] | null, kind: K) =>
  (signals ?? []).filter((s): s is Extract<EventSignal, { kind: K }> => s.kind === kind);

for (const dialect of dialects) {
  describe(`event processing (${dialect})`, () => {
    it("finds a stand-in lexicon term in a post, its hashtags and a bio, and nothing in clean text", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { events, processor } = await setUp(store);
        await events.accept([
          { id: "p1", type: "post.created", occurred_at: at, post: { id: "post-1", author_id: "a1", text: "fresh v0rnaxle here", hashtags: ["#garden", "#vornaxleclub"] } },
          { id: "a1", type: "account.updated", occurred_at: at, account: { id: "a1", bio: "VORNAXLE", display_name: "Mossy" } },
          { id: "clean", type: "comment.created", occurred_at: at, comment: { id: "c1", post_id: "post-1", author_id: "a2", text: "lovely garden" } },
        ]);
        const post = await processor.process("p1");
        assert.equal(post.isWritten, true);
        const text = byKind(post.signals, "text") as TextSignal[];
        assert.deepEqual(text.map((s) => [s.field, s.contentKind, s.verdict]), [
          ["/post/text", "post", "block"],
          ["/post/hashtags/1", "hashtag", "block"],
        ]);
        assert.equal(text[0]!.hits[0]!.term, "vornaxle");
        assert.match(text[0]!.reasons.join(" "), /vornaxle/);

        const bio = await processor.process("a1");
        assert.deepEqual(bio.signals.map((s) => s.field), ["/account/bio"]);
        const clean = await processor.process("clean");
        assert.deepEqual(clean.signals, []);

        const stored = await events.get("p1");
        assert.equal(stored.state, "processed");
        assert.equal(stored.processedAt, at);
        assert.deepEqual(stored.signals, post.signals);
      });
    });

    it("matches precomputed PDQ hashes against a bank and notes media it could not check", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { events, processor } = await setUp(store);
        await events.accept([
          {
            id: "m1",
            type: "post.created",
            occurred_at: at,
            post: {
              id: "post-2",
              author_id: "a1",
              media: [
                { kind: "hashes", pdq: nearPdq.toUpperCase(), quality: 90 },
                { kind: "hashes", pdq: "0".repeat(64), quality: 90 },
                { kind: "url", url: "https://media.example/one.png" },
                { kind: "hashes", pdq: listedPdq, quality: 10 },
                { kind: "bytes", data_base64: Buffer.from("not an image at all").toString("base64") },
              ],
            },
          },
        ]);
        const { signals } = await processor.process("m1");
        const [match] = byKind(signals, "media.match") as MediaMatchSignal[];
        assert.equal(match?.field, "/post/media/0");
        assert.equal(match?.verdict, "hold");
        assert.equal(match?.matches[0]?.bank.name, "synthetic-known");
        assert.equal(match?.matches[0]?.distance, 3);
        const unchecked = byKind(signals, "media.unchecked") as MediaUncheckedSignal[];
        assert.deepEqual(unchecked.map((s) => [s.field, s.reason]), [
          ["/post/media/2", "host_not_allowed"],
          ["/post/media/3", "low_quality"],
          ["/post/media/4", "decode_failed"],
        ]);

        // Undecodable bytes leave the store too: their digests stay, with why they had no PDQ hash.
        const stored = await events.get("m1");
        const notImage = (stored.event as { post: { media: Array<Record<string, unknown>> } }).post.media[4]!;
        assert.deepEqual(Object.keys(notImage).sort(), ["hashed_from", "kind", "md5", "pdq_error", "sha256"]);
        assert.equal(notImage.sha256, createHash("sha256").update("not an image at all").digest("hex"));
        const again = await processor.process("m1", { reprocess: true });
        assert.deepEqual(again.signals, signals, "re-processing the stored digests gives the same findings");
      });
    });

    it("hashes inline bytes, matches them, and keeps only their hashes in the stored event", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { services, events, processor } = await setUp(store);
        const png = await noisePng(11);
        const sha256 = createHash("sha256").update(png).digest("hex");
        await services.banks.addEntries("synthetic-known", [{ signalType: "sha256", signal: sha256 }]);
        await events.accept([{ id: "b1", type: "account.created", occurred_at: at, account: { id: "a9", avatar: { kind: "bytes", id: "av1", data_base64: png.toString("base64") } } }]);
        const { signals } = await processor.process("b1");
        const [match] = byKind(signals, "media.match") as MediaMatchSignal[];
        assert.deepEqual([match?.field, match?.source, match?.matches[0]?.signalType], ["/account/avatar", "bytes", "sha256"]);

        const stored = await events.get("b1");
        const avatar = (stored.event as { account: { avatar: Record<string, unknown> } }).account.avatar;
        assert.equal(avatar.kind, "hashes");
        assert.equal(avatar.sha256, sha256);
        assert.equal(avatar.id, "av1");
        assert.equal(avatar.data_base64, undefined, "the bytes are gone");
        assert.ok(!JSON.stringify(stored).includes(png.toString("base64").slice(0, 40)));

        // Re-processing reads the hashes and finds the same match.
        const again = await processor.process("b1", { reprocess: true });
        assert.deepEqual(again.signals, signals);
      });
    });

    it("is idempotent: a second delivery writes nothing, and the worker processes each accepted event once", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { services, events, processor, jobs } = await setUp(store);
        await events.accept([{ id: "p1", type: "post.created", occurred_at: at, post: { id: "post-1", author_id: "a1", text: "vornaxle" } }]);
        const first = await processor.process("p1");
        const second = await processor.process("p1");
        assert.equal(first.isWritten, true);
        assert.equal(second.isWritten, false);
        assert.deepEqual(second.signals, first.signals);
        assert.deepEqual((await processor.process("missing")).isWritten, false);

        // End to end through the queue: accept, run the worker until drained.
        const batch = Array.from({ length: 30 }, (_, i) => ({ id: `w${i}`, type: "post.created", occurred_at: at, post: { id: `wp${i}`, author_id: "a1", text: i % 3 === 0 ? "vornaxle" : "hello" } }));
        await events.accept(batch);
        const stop = new AbortController();
        const done = startEventWorker(services, stop.signal, { pollMs: 20, concurrency: 3 });
        for (let waited = 0; waited < 10_000; waited += 50) {
          const stats = (await jobs.stats()).find((s) => s.queue === "events");
          if (stats && stats.ready === 0 && stats.running === 0) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        stop.abort();
        await done;
        const stats = (await jobs.stats()).find((s) => s.queue === "events");
        assert.deepEqual([stats?.done, stats?.dead], [31, 0]);
        for (const [i] of batch.entries()) {
          const stored = await events.get(`w${i}`);
          assert.equal(stored.state, "processed");
          assert.equal((stored.signals ?? []).length, i % 3 === 0 ? 1 : 0);
        }
      });
    });
  });
}
