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

/** The id of the job processing `eventId` (its key). */
async function jobOf(store: Store, eventId: string): Promise<string> {
  const row = await (store.db as Kysely<{ jobs: { id: string; idempotency_key: string } }>).selectFrom("jobs").select("id").where("idempotency_key", "=", eventId).executeTakeFirstOrThrow();
  return row.id;
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
        const done = startEventWorker(services, stop.signal, { pollMs: 20, batchSize: 7 });
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

    it("processes a batch in one transaction with one policy lookup, and isolates an event that fails", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { services, events, jobs } = await setUp(store);
        const repo = createEventRepository(store.db as Kysely<EventTables>);
        let prepares = 0;
        const committed: string[] = [];
        // A stand-in enforcer whose write fails for one event: the rest of its batch must still commit.
        const enforcer = {
          prepare: async () => ++prepares,
          enforceMany: async (_trx: unknown, _prepared: unknown, inputs: ReadonlyArray<{ eventId: string }>) => {
            if (inputs.some((input) => input.eventId === "b3")) throw new Error("synthetic write failure");
            return inputs.map((input) => input.eventId);
          },
          afterCommit: (outcome: unknown) => void committed.push(outcome as string),
        };
        const processor = createEventProcessor({ repo, textCheck: services.textCheck, knownMedia: services.knownMedia, enforcer, clock });
        await events.accept(Array.from({ length: 8 }, (_, i) => ({ id: `b${i}`, type: "post.created", occurred_at: at, post: { id: `bp${i}`, author_id: "a1", text: "hello" } })));
        const claimed = await jobs.claim("events", { worker: "w1", limit: 100, leaseMs: 60_000 });
        assert.equal(claimed.length, 8);
        const signal = new AbortController().signal;
        const result = await processor.handleBatch(claimed as never, { signal, worker: "w1", complete: (trx, ids) => jobs.completeWithin(trx, ids, "w1") });
        assert.deepEqual(result.failed.map((f) => [claimed.find((j) => j.id === f.jobId)?.key, (f.error as Error).message]), [["b3", "synthetic write failure"]]);
        assert.equal(prepares, 1, "one policy-set lookup for the batch");
        assert.deepEqual(committed.sort(), ["b0", "b1", "b2", "b4", "b5", "b6", "b7"], "every other event committed, each once");
        for (const job of claimed) {
          const state = (await jobs.get(job.id)).state;
          assert.equal(state, job.key === "b3" ? "running" : "done", `job of ${job.key}`);
          assert.equal((await events.get(job.key)).state, job.key === "b3" ? "pending" : "processed");
        }
        // The same batch delivered again (a crash before the worker recorded anything) changes nothing twice.
        const again = await processor.handleBatch(claimed as never, { signal, worker: "w1", complete: (trx, ids) => jobs.completeWithin(trx, ids, "w1") });
        assert.deepEqual(again.failed.length, 1);
        assert.equal(committed.length, 7, "no second outcome for an event already processed");
      });
    });

    it("renews the leases of a long batch and records a failed event's error on its job", async (t) => {
      await withStore(dialect, (r) => t.skip(r), async (store) => {
        const { services, events, jobs } = await setUp(store);
        const repo = createEventRepository(store.db as Kysely<EventTables>);
        let release: () => void = () => {};
        const held = new Promise<void>((resolve) => (release = resolve));
        let entered: () => void = () => {};
        const inside = new Promise<void>((resolve) => (entered = resolve));
        // Slow detection (a media check that waits): on SQLite the transaction holds the one connection,
        // so the time a batch can run long, and its leases be renewed, is before it, in the detectors.
        const knownMedia = {
          checkMedia: services.knownMedia.checkMedia,
          checkHashes: async (hashes: Parameters<typeof services.knownMedia.checkHashes>[0]) => {
            if (hashes.pdq === listedPdq) {
              entered();
              await held;
            }
            return services.knownMedia.checkHashes(hashes);
          },
        };
        const enforcer = {
          prepare: async () => undefined,
          enforceMany: async (_trx: unknown, _prepared: unknown, inputs: ReadonlyArray<{ eventId: string }>) => {
            if (inputs.some((input) => input.eventId === "bad")) throw new Error("synthetic write failure");
            return inputs.map(() => undefined);
          },
          afterCommit: () => {},
        };
        const processor = createEventProcessor({ repo, textCheck: services.textCheck, knownMedia, enforcer, clock: () => new Date() });
        const realJobs = createJobQueue(store.db, store.dialect);
        await events.accept([
          { id: "slow", type: "post.created", occurred_at: at, post: { id: "sp", author_id: "a1", text: "hello", media: [{ kind: "hashes", pdq: listedPdq, quality: 100 }] } },
          { id: "bad", type: "post.created", occurred_at: at, post: { id: "bp", author_id: "a1", text: "hello" } },
        ]);
        const stop = new AbortController();
        const done = realJobs.runBatchWorker<{ eventId: string }>({ queue: "events", handler: processor.handleBatch, batchSize: 10, pollMs: 20, leaseMs: 300, worker: "w-long", signal: stop.signal, log: { warn: () => {} } });
        await inside;
        const slow = await jobOf(store, "slow");
        const firstLease = Date.parse((await jobs.get(slow)).lockedUntil!);
        await new Promise((r) => setTimeout(r, 700));
        const later = Date.parse((await jobs.get(slow)).lockedUntil!);
        assert.ok(later > firstLease, "the lease was extended while the batch ran");
        assert.equal((await jobs.get(slow)).lockedBy, "w-long", "no other worker took it over");
        release();
        for (let waited = 0; waited < 10_000 && (await jobs.get(slow)).state !== "done"; waited += 20) await new Promise((r) => setTimeout(r, 20));
        stop.abort();
        await done;
        assert.equal((await jobs.get(slow)).state, "done");
        const bad = await jobs.get(await jobOf(store, "bad"));
        assert.equal(bad.state, "ready", "the failed event is retried later");
        assert.match(bad.lastError ?? "", /synthetic write failure/, "its error is kept on its job");
        assert.equal((await events.get("bad")).state, "pending");
      });
    });
  });
}
