// A platform's webhook endpoint, for tests: an HTTP server on 127.0.0.1 that
// records every delivery (headers, raw body, whether its signature verifies)
// and answers 200, or 500 when the test asks it to refuse one.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyWebhook } from "../../src/actions/index.js";

export interface WebhookDelivery {
  /** Order of arrival, from 0. */
  n: number;
  /** The raw body, exactly as received. */
  body: string;
  /** The body parsed (an action), or undefined when it was not JSON. */
  action: { id: string; kind: string; accountId: string; target: { type: string; id: string }; [k: string]: unknown } | undefined;
  signature: string | undefined;
  idempotencyKey: string | undefined;
  /** `lapwing-delivery-attempt`, as a number. */
  attempt: number;
  contentType: string | undefined;
  /** verifyWebhook(secret, body, signature) at the time it arrived. */
  verified: boolean;
  /** What the receiver answered. */
  status: number;
}

export interface WebhookReceiver {
  url: string;
  /** Every delivery so far, in order of arrival (refused ones included). */
  readonly deliveries: readonly WebhookDelivery[];
  /** Deliveries grouped by action id (the body's `id`). */
  byActionId(): Map<string, WebhookDelivery[]>;
  /** Ids of the actions answered 2xx at least once. */
  acceptedIds(): Set<string>;
  close(): Promise<void>;
}

export interface WebhookReceiverOptions {
  secret: string;
  /**
   * Called for each delivery before answering; returning a status (e.g. 500)
   * answers with it instead of 200. `previous` is how many deliveries of the
   * same action id arrived before this one.
   */
  answer?: (delivery: Omit<WebhookDelivery, "status">, previous: number) => number | undefined;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

/** Starts a receiver on a free loopback port. */
export async function startWebhookReceiver(options: WebhookReceiverOptions): Promise<WebhookReceiver> {
  const deliveries: WebhookDelivery[] = [];
  const seen = new Map<string, number>();
  const server = createServer((request, response) => {
    readBody(request).then(
      (body) => {
        let action: WebhookDelivery["action"];
        try {
          action = JSON.parse(body) as WebhookDelivery["action"];
        } catch {
          action = undefined;
        }
        const signature = header(request, "lapwing-signature");
        const partial = {
          n: deliveries.length,
          body,
          action,
          signature,
          idempotencyKey: header(request, "idempotency-key"),
          attempt: Number(header(request, "lapwing-delivery-attempt")),
          contentType: header(request, "content-type"),
          verified: request.method === "POST" && verifyWebhook(options.secret, body, signature),
        };
        const id = action?.id ?? "";
        const previous = seen.get(id) ?? 0;
        seen.set(id, previous + 1);
        const status = options.answer?.(partial, previous) ?? 200;
        deliveries.push({ ...partial, status });
        response.writeHead(status, { "content-type": "text/plain" }).end(status < 300 ? "ok" : "refused by the test receiver");
      },
      () => response.writeHead(400).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/lapwing-webhooks`,
    deliveries,
    byActionId() {
      const groups = new Map<string, WebhookDelivery[]>();
      for (const d of deliveries) {
        const id = d.action?.id ?? "";
        groups.set(id, [...(groups.get(id) ?? []), d]);
      }
      return groups;
    },
    acceptedIds() {
      return new Set(deliveries.filter((d) => d.status >= 200 && d.status < 300 && d.action).map((d) => d.action!.id));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
