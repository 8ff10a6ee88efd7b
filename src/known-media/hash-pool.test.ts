import assert from "node:assert/strict";
import { describe, it } from "node:test";
import sharp from "sharp";
import { isLapwingError, type LapwingError } from "../errors/index.js";
import { defaultDecodeLimits, digestMedia, hashMedia } from "../media/index.js";
import { createMediaHashPool, type HashJob } from "./hash-pool.js";

const standIn = new URL("../../test/support/stand-in-hash-thread.mjs", import.meta.url);
const stuckLoading = new URL("../../test/support/stand-in-stuck-loading-hash-thread.mjs", import.meta.url);
// The stand-in's behaviours (test/support/stand-in-hash-thread.mjs), by first byte.
const answer = 0, exitAfterDigests = 1, hang = 2, throwUncaught = 3, exhaustHeap = 4, failWithoutCode = 5;
const job = (bytes: Uint8Array): HashJob => ({ bytes, mode: "full", dihedral: false, limits: defaultDecodeLimits });
const first = (behaviour: number) => job(Uint8Array.of(behaviour, 1, 2, 3));

describe("media hash pool", () => {
  it("hashes in a thread exactly as hashMedia does in process, and gives digests without PDQ for bytes that are not an image", async () => {
    const pool = createMediaHashPool({ threads: 1 });
    try {
      const png = await sharp({ create: { width: 96, height: 64, channels: 3, background: { r: 40, g: 90, b: 160 } } })
        .composite([{ input: { create: { width: 30, height: 20, channels: 3, background: { r: 250, g: 240, b: 10 } } }, left: 9, top: 13 }])
        .png()
        .toBuffer();
      const inProcess = await hashMedia(png, { dihedral: true });
      const { digests, image, error } = await pool.run({ ...job(png), dihedral: true }, "refuse");
      assert.equal(error, undefined);
      assert.deepEqual({ ...image, ...digests }, inProcess);

      const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
      const notImage = await pool.run(job(svg), "refuse");
      assert.deepEqual(notImage.digests, digestMedia(svg));
      assert.equal(notImage.image, undefined);
      assert.equal((notImage.error as LapwingError).code, "MEDIA_UNSUPPORTED_FORMAT");
    } finally {
      await pool.close();
    }
  });

  it("replaces a thread that dies, overruns its time or exhausts its heap; the job ends with digests and a clear error, the next one is served", async () => {
    for (const [behaviour, why, timeoutMs] of [
      [exitAfterDigests, /stopped unexpectedly \(exit code 3\)/, 60_000],
      [hang, /took longer than 300 ms/, 300],
      [throwUncaught, /crashed \(stand-in thread failure\)/, 60_000],
      [exhaustHeap, /ran out of its 32 MiB memory budget/, 60_000],
    ] as const) {
      const pool = createMediaHashPool({ threads: 1, threadScript: standIn, timeoutMs, threadMemoryMb: 32 });
      try {
        const failing = first(behaviour);
        const failed = await pool.run(failing, "refuse");
        assert.ok(isLapwingError(failed.error), `behaviour ${behaviour}`);
        assert.equal(failed.error.code, "MEDIA_DECODE_FAILED");
        assert.match(failed.error.message, why);
        // The digests the thread sent before failing, or (when it died before they arrived) computed here.
        assert.ok(["d".repeat(32), digestMedia(failing.bytes).md5].includes(failed.digests.md5), `behaviour ${behaviour} keeps digests`);
        const next = await pool.run(first(answer), "refuse");
        assert.equal(next.image?.pdq, "0".repeat(64), `a new thread serves the job after behaviour ${behaviour}`);
        assert.equal(pool.stats.replaced, 1);
      } finally {
        await pool.close();
      }
    }
  });

  it("turns a thread failure without a known code into MEDIA_DECODE_FAILED with the digests, not a plain Error (a 500, a retried event)", async () => {
    const pool = createMediaHashPool({ threads: 1, threadScript: standIn, timeoutMs: 60_000 });
    try {
      const failed = await pool.run(first(failWithoutCode), "refuse");
      assert.ok(isLapwingError(failed.error));
      assert.equal(failed.error.code, "MEDIA_DECODE_FAILED");
      assert.match(failed.error.message, /stand-in unexpected failure/);
      assert.equal(failed.digests.md5, "d".repeat(32));
      assert.equal(pool.stats.replaced, 0);
    } finally {
      await pool.close();
    }
  });

  it("times out a job whose thread never finishes loading (the limit runs from the job's start, not from the thread's ready)", { timeout: 20_000 }, async () => {
    const pool = createMediaHashPool({ threads: 1, threadScript: stuckLoading, timeoutMs: 300 });
    try {
      const stuck = first(answer);
      const failed = await pool.run(stuck, "refuse");
      assert.ok(isLapwingError(failed.error));
      assert.equal(failed.error.code, "MEDIA_DECODE_FAILED");
      assert.match(failed.error.message, /took longer than 300 ms/);
      assert.deepEqual(failed.digests, digestMedia(stuck.bytes));
      assert.equal(pool.stats.replaced, 1);
    } finally {
      await pool.close();
    }
  });

  it("bounds the queue: a refusable job beyond it gets MEDIA_BUSY with a retry estimate, a waiting job queues, close() ends them all", async () => {
    const pool = createMediaHashPool({ threads: 1, maxQueued: 1, threadScript: standIn, timeoutMs: 60_000 });
    const running = pool.run(first(hang), "refuse");
    const queued = pool.run(first(hang), "refuse");
    await assert.rejects(pool.run(first(answer), "refuse"), (error: LapwingError) => {
      assert.equal(error.code, "MEDIA_BUSY");
      assert.ok((error.details as { retryAfterSeconds: number }).retryAfterSeconds >= 1);
      return true;
    });
    const waiting = pool.run(first(answer), "wait");
    assert.deepEqual([pool.stats.busy, pool.stats.queued, pool.stats.waiting], [1, 1, 1]);
    const ended = [running, queued, waiting].map((pending) => assert.rejects(pending, /closed/));
    await pool.close();
    await Promise.all(ended);
    await assert.rejects(pool.run(first(answer), "wait"), /closed/);
  });
});
