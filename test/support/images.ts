// Synthetic test images: gradients, shapes and noise from a seeded generator.
// No photographs, no people.
import zlib from "node:zlib";
import sharp from "sharp";
import { seededRandom } from "../../src/random/index.js";

/**
 * A width×height RGB image of random blobs over a gradient, with hard-edged
 * rectangles and fine noise so PDQ rates it well above its quality floor.
 * Deterministic for a seed.
 */
export function syntheticPixels(width: number, height: number, seed: number): Buffer {
  const rnd = seededRandom(seed);
  const blobs = Array.from({ length: 12 }, () => ({ x: rnd() * width, y: rnd() * height, r: 20 + rnd() * width * 0.4, c: [rnd() * 255, rnd() * 255, rnd() * 255] }));
  const rects = Array.from({ length: 10 }, () => ({ x: rnd() * width, y: rnd() * height, w: 10 + rnd() * width * 0.3, h: 10 + rnd() * height * 0.3, v: rnd() * 255 }));
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let r = (x / width) * 80, g = (y / height) * 80, b = 40;
      for (const blob of blobs) {
        const d = Math.hypot(x - blob.x, y - blob.y);
        if (d < blob.r) {
          const w = 1 - d / blob.r;
          r = r * (1 - w) + blob.c[0]! * w;
          g = g * (1 - w) + blob.c[1]! * w;
          b = b * (1 - w) + blob.c[2]! * w;
        }
      }
      for (const rect of rects) {
        if (x >= rect.x && x < rect.x + rect.w && y >= rect.y && y < rect.y + rect.h) r = g = (r + rect.v) / 2;
      }
      const noise = (rnd() - 0.5) * 40;
      r += noise;
      g += noise;
      b += noise;
      const i = (y * width + x) * 3;
      data[i] = clamp(r);
      data[i + 1] = clamp(g);
      data[i + 2] = clamp(b);
    }
  }
  return data;
}

function clamp(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

export async function syntheticPng(width: number, height: number, seed: number): Promise<Buffer> {
  return sharp(syntheticPixels(width, height, seed), { raw: { width, height, channels: 3 } }).png().toBuffer();
}

export async function syntheticJpeg(width: number, height: number, seed: number, quality = 90): Promise<Buffer> {
  return sharp(syntheticPixels(width, height, seed), { raw: { width, height, channels: 3 } }).jpeg({ quality }).toBuffer();
}

/**
 * A valid-looking PNG whose header claims width×height 8-bit grey pixels,
 * with only `zeroBytes` of zero scanlines deflated: with the defaults, a
 * few-kilobyte decompression bomb.
 */
export function pngBomb(width = 60000, height = 60000, zeroBytes = 1 << 20): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", zlib.deflateSync(Buffer.alloc(zeroBytes), { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/**
 * A hostile image: a few kilobytes of one flat colour that declares
 * width×height pixels, so decoding and hashing it costs far more than its size
 * suggests while staying within the pixel limit.
 */
export async function flatImage(width: number, height: number, format: "jpeg" | "png"): Promise<Buffer> {
  const image = sharp({ create: { width, height, channels: 3, background: { r: 90, g: 140, b: 60 } } });
  return format === "png" ? image.png({ compressionLevel: 9 }).toBuffer() : image.jpeg({ quality: 40 }).toBuffer();
}
