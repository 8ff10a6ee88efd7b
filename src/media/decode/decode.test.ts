import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { packPath, referenceRows } from "../test-pack.js";
import { decodeImage, sniffFormat } from "./index.js";

test("every pack file decodes to the reference decoder's exact samples", async (t) => {
  const mismatches: string[] = [];
  let matched = 0;
  for (const row of referenceRows) {
    const image = await decodeImage(readFileSync(packPath(row.file)));
    const sha = createHash("sha256").update(image.data).digest("hex");
    const facts = `${image.format} ${image.width}x${image.height}x${image.channels}`;
    const expected = `${row.format} ${row.width}x${row.height}x${row.channels}`;
    if (sha === row.decoded_sha256 && facts === expected) matched++;
    else mismatches.push(`${row.file}: ${facts} (want ${expected}), sha ${sha === row.decoded_sha256 ? "ok" : "differs"}`);
  }
  t.diagnostic(`decoded_sha256 and channels match for ${matched} of ${referenceRows.length} files`);
  assert.deepEqual(mismatches, []);
  assert.equal(matched, 163);
});

test("formats are detected from magic bytes, not names", () => {
  const head = (file: string): Uint8Array => readFileSync(packPath(file)).subarray(0, 64);
  assert.equal(sniffFormat(head("images/synth/plasma_1024.jpg")), "jpeg");
  assert.equal(sniffFormat(head("images/synth/fbm_noise_512.png")), "png");
  assert.equal(sniffFormat(head("images/synth/mix_640x480.gif")), "gif");
  assert.equal(sniffFormat(head("images/synth/plasma_640x480.webp")), "webp");
  assert.equal(sniffFormat(head("images/synth/mix_640x480_24bit.bmp")), "bmp");
  assert.equal(sniffFormat(Uint8Array.of(0x49, 0x49, 0x2a, 0x00)), "tiff");
  assert.equal(sniffFormat(Uint8Array.of(0, 0, 0, 0x1c, ...new TextEncoder().encode("ftypavif"), 0, 0, 0, 0)), "avif");
  assert.equal(sniffFormat(Uint8Array.of(0, 0, 0, 0x18, ...new TextEncoder().encode("ftypheic"), 0, 0, 0, 0)), undefined);
  assert.equal(sniffFormat(new TextEncoder().encode("GIF")), undefined);
});
