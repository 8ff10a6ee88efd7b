import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import type { ErrorCode } from "../../errors/index.js";
import { LapwingError } from "../../errors/index.js";
import { hashMedia } from "../index.js";
import { packPath } from "../test-pack.js";
import { pngBomb } from "../../../test/support/images.js";
import { decodeImage, defaultDecodeLimits } from "./index.js";

async function assertCode(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof LapwingError, `expected a LapwingError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return true;
  });
}

const png = readFileSync(packPath("images/synth/shapes_800x600.png"));
const jpeg = readFileSync(packPath("images/synth/plasma_1024.jpg"));

describe("bad input is a LapwingError with the right code, never a crash", () => {
  test("zero bytes", async () => {
    await assertCode(decodeImage(new Uint8Array(0)), "MEDIA_EMPTY");
    await assertCode(hashMedia(new Uint8Array(0)), "MEDIA_EMPTY");
  });

  test("over maxBytes", async () => {
    await assertCode(decodeImage(png, { maxBytes: 1000 }), "PAYLOAD_TOO_LARGE");
    await assertCode(hashMedia(png, { limits: { maxBytes: png.length - 1 } }), "PAYLOAD_TOO_LARGE");
    // Exactly at the limit is accepted.
    assert.equal((await decodeImage(png, { maxBytes: png.length })).width, 800);
  });

  test("truncated PNG", async () => {
    await assertCode(decodeImage(png.subarray(0, png.length >> 1)), "MEDIA_DECODE_FAILED");
    await assertCode(decodeImage(png.subarray(0, 40)), "MEDIA_DECODE_FAILED");
    await assertCode(decodeImage(png.subarray(0, 8)), "MEDIA_DECODE_FAILED");
  });

  test("truncated JPEG", async () => {
    await assertCode(decodeImage(jpeg.subarray(0, jpeg.length >> 1)), "MEDIA_DECODE_FAILED");
    await assertCode(decodeImage(jpeg.subarray(0, 200)), "MEDIA_DECODE_FAILED");
    await assertCode(decodeImage(jpeg.subarray(0, 3)), "MEDIA_DECODE_FAILED");
  });

  test("corrupt PNG data (bytes flipped in the middle)", async () => {
    const broken = Buffer.from(png);
    for (let i = broken.length >> 2; i < (broken.length >> 2) + 64; i++) broken[i] ^= 0x5a;
    await assertCode(decodeImage(broken), "MEDIA_DECODE_FAILED");
  });

  test("random bytes", async () => {
    let state = 42;
    const noise = new Uint8Array(4096).map(() => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state >>> 24;
    });
    await assertCode(decodeImage(noise), "MEDIA_UNSUPPORTED_FORMAT");
    // Random bytes behind a valid magic number are a corrupt image, not a crash.
    for (const magic of [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], [0xff, 0xd8, 0xff], [0x47, 0x49, 0x46, 0x38, 0x39, 0x61], [0x42, 0x4d]]) {
      const fake = Uint8Array.from([...magic, ...noise]);
      await assertCode(decodeImage(fake), "MEDIA_DECODE_FAILED");
    }
  });

  test("a text file", async () => {
    await assertCode(decodeImage(new TextEncoder().encode("hello, this is not an image\n".repeat(20))), "MEDIA_UNSUPPORTED_FORMAT");
    await assertCode(hashMedia(new TextEncoder().encode("<svg xmlns='http://www.w3.org/2000/svg'/>")), "MEDIA_UNSUPPORTED_FORMAT");
  });

  test("a decompression-bomb PNG claiming 60000x60000 is refused before decoding", async () => {
    const bomb = pngBomb(60000, 60000, 8 * 1024 * 1024);
    assert.ok(bomb.length < 64 * 1024, `bomb is ${bomb.length} bytes`);
    const before = process.memoryUsage().rss;
    await assertCode(decodeImage(bomb), "MEDIA_TOO_MANY_PIXELS");
    await assertCode(hashMedia(bomb), "MEDIA_TOO_MANY_PIXELS");
    // Refused from the header: nowhere near 3.6 GB allocated.
    assert.ok(process.memoryUsage().rss - before < 512 * 1024 * 1024);
    // A tighter limit refuses an honest image too.
    await assertCode(decodeImage(png, { maxPixels: 800 * 600 - 1 }), "MEDIA_TOO_MANY_PIXELS");
    assert.ok(defaultDecodeLimits.maxPixels < 60000 * 60000);
  });

  test("a BMP header claiming 60000x60000 is refused before decoding", async () => {
    const header = Buffer.alloc(54);
    header.write("BM", 0, "latin1");
    header.writeUInt32LE(54, 10);
    header.writeUInt32LE(40, 14);
    header.writeInt32LE(60000, 18);
    header.writeInt32LE(60000, 22);
    header.writeUInt16LE(1, 26);
    header.writeUInt16LE(24, 28);
    await assertCode(decodeImage(header), "MEDIA_TOO_MANY_PIXELS");
  });

  test("a truncated BMP", async () => {
    const bmp = readFileSync(packPath("images/synth/mix_640x480_24bit.bmp"));
    await assertCode(decodeImage(bmp.subarray(0, bmp.length >> 1)), "MEDIA_DECODE_FAILED");
    await assertCode(decodeImage(bmp.subarray(0, 30)), "MEDIA_DECODE_FAILED");
  });

  test("invalid limits are a programming error", async () => {
    await assert.rejects(decodeImage(png, { maxPixels: 0 }), RangeError);
  });
});
