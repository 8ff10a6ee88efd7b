import { createHash } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import sharp from "sharp";

/**
 * The demo's stand-in for a platform's preview source: for any content id, a
 * synthetic picture (coloured shapes drawn from the id's hash, the same
 * picture for the same id), so a newcomer sees the console's blurred,
 * greyscale media and the reveal work. Nothing real is ever shown. Listens on
 * loopback only.
 */
export async function startSyntheticPreviews(): Promise<{ template: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    const match = /^\/media\/([^/?#]{1,600})$/.exec(request.url ?? "");
    if (!match) return void response.writeHead(404).end();
    syntheticPicture(decodeURIComponent(match[1]!)).then(
      (png) => response.writeHead(200, { "content-type": "image/png", "cache-control": "no-store" }).end(png),
      () => response.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    template: `http://127.0.0.1:${port}/media/{contentId}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A 320×240 PNG of a few circles and bars whose colours and places come from the id's SHA-256. */
export async function syntheticPicture(id: string): Promise<Buffer> {
  const h = createHash("sha256").update(id).digest();
  const colour = (i: number) => `rgb(${h[i]},${h[i + 1]},${h[i + 2]})`;
  const shapes = [0, 1, 2, 3]
    .map((k) => `<circle cx="${(h[10 + k]! * 320) / 255}" cy="${(h[14 + k]! * 240) / 255}" r="${20 + (h[18 + k]! % 60)}" fill="${colour(3 + k * 3)}"/>`)
    .join("");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="240"><rect width="320" height="240" fill="${colour(0)}"/><rect y="${h[22]! % 200}" width="320" height="24" fill="${colour(23)}"/>${shapes}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}
