import { pause, type Job, type JobContext, type JobQueue, type WorkerLog } from "../queue/index.js";
import type { ActionService } from "./service.js";
import { webhookQueueName } from "./service.js";
import { signatureHeader, signWebhook } from "./signing.js";
import { platformViewer } from "./types.js";

export interface WebhookSettings {
  /** LAPWING_WEBHOOK_URL: where actions are POSTed. */
  url: string;
  /** LAPWING_WEBHOOK_SECRET: the HMAC key the platform verifies with. */
  secret: string;
  /** Give up on one attempt after this long (it is retried). */
  timeoutMs: number;
}

/**
 * Delivers one action as a signed webhook. The body is the action as JSON
 * (without `deliveredAt`, so every delivery of an action is byte-identical);
 * headers carry the signature (`lapwing-signature: t=…,v1=…`), the action id as
 * `idempotency-key` (unchanged across retries and replays, so the platform
 * applies each action once) and the attempt number. Any 2xx answer is
 * success; anything else, a timeout or a refused connection throws, and the
 * queue retries with backoff until the job is dead-lettered.
 */
export function createWebhookDelivery(actions: Pick<ActionService, "get" | "markDelivered">, settings: WebhookSettings, clock: () => Date = () => new Date()) {
  return async function deliver(job: Job<{ actionId: string }>, context?: Pick<JobContext, "signal">): Promise<void> {
    // The platform never sees why an action of a restricted case was taken (docs/cases.md).
    const action = await actions.get(job.payload.actionId, platformViewer);
    // Every delivery of an action carries the same body: `deliveredAt` changes after the first, so it stays out.
    const { deliveredAt: _changes, ...immutable } = action;
    const body = JSON.stringify(immutable);
    const response = await fetch(settings.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "lapwing-webhooks",
        [signatureHeader]: signWebhook(settings.secret, body, Math.floor(clock().getTime() / 1000)),
        "idempotency-key": action.id,
        "lapwing-delivery-attempt": String(job.attempts),
      },
      body,
      redirect: "manual",
      // Shutting down aborts a delivery in progress; the job goes back to the queue (src/queue/worker.ts).
      signal: context ? AbortSignal.any([AbortSignal.timeout(settings.timeoutMs), context.signal]) : AbortSignal.timeout(settings.timeoutMs),
    });
    // Drain the body so the connection can be reused; its content is not ours to keep.
    await response.arrayBuffer().catch(() => undefined);
    if (response.status < 200 || response.status > 299) {
      throw new Error(`The webhook endpoint answered HTTP ${response.status} for action ${action.id}; retrying with backoff.`);
    }
    await actions.markDelivered(action.id);
  };
}

/**
 * Runs the webhook delivery worker until `signal` aborts: it drains the
 * outbox (the actions table, whoever wrote the actions) into the `webhooks`
 * queue every `pollMs`, and delivers from that queue. Deliveries run a few at
 * a time; each job's lease outlasts its timeout so a slow endpoint is not
 * sent the same action twice at once.
 */
export function startWebhookWorker(
  deps: { queue: Pick<JobQueue, "runWorker">; actions: Pick<ActionService, "get" | "markDelivered" | "drainOutbox"> },
  settings: WebhookSettings,
  signal: AbortSignal,
  options: { concurrency?: number; pollMs?: number; log?: WorkerLog } = {},
): Promise<void> {
  const delivering = deps.queue.runWorker<{ actionId: string }>({
    queue: webhookQueueName,
    handler: createWebhookDelivery(deps.actions, settings),
    concurrency: options.concurrency ?? 4,
    pollMs: options.pollMs,
    leaseMs: settings.timeoutMs * 4 + 10_000,
    log: options.log,
    signal,
  });
  return Promise.all([delivering, drainOutboxUntil(deps.actions, signal, options.pollMs ?? 1000, options.log)]).then(() => undefined);
}

/** Drains the outbox every `pollMs` (at once again while a batch was full) until `signal` aborts; errors are logged and retried. */
async function drainOutboxUntil(actions: Pick<ActionService, "drainOutbox">, signal: AbortSignal, pollMs: number, log: WorkerLog | undefined): Promise<void> {
  const batch = 1000;
  while (!signal.aborted) {
    let passed = 0;
    try {
      passed = await actions.drainOutbox(batch);
    } catch (error) {
      const message = "webhook outbox drain failed; retrying at the next poll";
      if (log) log.warn({ err: error }, message);
      else console.warn(message, error);
    }
    if (passed < batch) await pause(pollMs, signal);
  }
}
