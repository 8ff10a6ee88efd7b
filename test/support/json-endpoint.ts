// A platform's (or a guard's) JSON endpoint, for tests: a real HTTP server on
// 127.0.0.1 that records every request, answers through the test's handler,
// can wait before answering, and counts how many requests were in flight at
// once (to check that a client bounds its concurrency).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface EndpointRequest {
  method: string;
  /** Path and query, as sent. */
  url: URL;
  headers: IncomingMessage["headers"];
  body: string;
}

export interface EndpointAnswer {
  status?: number;
  /** Sent as JSON unless `raw` is given. */
  json?: unknown;
  /** Sent as it is (for malformed answers). */
  raw?: string;
  /** Waits this long before answering (a slow platform). */
  delayMs?: number;
}

export interface JsonEndpoint {
  /** The server's origin, e.g. http://127.0.0.1:40123 */
  url: string;
  readonly requests: readonly EndpointRequest[];
  /** The most requests that were being answered at the same time. */
  readonly maxInFlight: number;
  close(): Promise<void>;
}

export async function startJsonEndpoint(handler: (request: EndpointRequest) => EndpointAnswer | Promise<EndpointAnswer>): Promise<JsonEndpoint> {
  const requests: EndpointRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const recorded: EndpointRequest = { method: request.method ?? "GET", url: new URL(request.url ?? "/", "http://endpoint"), headers: request.headers, body: Buffer.concat(chunks).toString("utf8") };
      requests.push(recorded);
      const answer = await handler(recorded);
      if (answer.delayMs) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => (timers.delete(timer), resolve()), answer.delayMs);
          timers.add(timer);
          response.on("close", () => (clearTimeout(timer), timers.delete(timer), resolve()));
        });
      }
      if (response.destroyed) return;
      response.statusCode = answer.status ?? 200;
      response.setHeader("content-type", "application/json");
      response.end(answer.raw ?? JSON.stringify(answer.json ?? null));
    } finally {
      inFlight--;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
