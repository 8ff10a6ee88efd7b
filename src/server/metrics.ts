import type { FastifyInstance } from "fastify";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { EnforcementObserver } from "../enforcement/index.js";

/** Prometheus metrics for one app instance (its own registry: no global state). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "lapwing_" });
  return {
    registry,
    httpRequests: new Counter({
      name: "lapwing_http_requests_total",
      help: "HTTP requests by route, method and status.",
      labelNames: ["route", "method", "status"] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: "lapwing_http_request_duration_seconds",
      help: "HTTP request duration by route.",
      labelNames: ["route", "method"] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    mediaChecks: new Counter({
      name: "lapwing_media_checks_total",
      help: "Media checks by verdict.",
      labelNames: ["verdict"] as const,
      registers: [registry],
    }),
    indexedHashes: new Gauge({
      name: "lapwing_pdq_index_hashes",
      help: "PDQ hashes held in this process's match index.",
      registers: [registry],
    }),
    queueJobs: new Gauge({
      name: "lapwing_queue_jobs",
      help: "Jobs in the durable queue by queue and state (ready, running, done, dead).",
      labelNames: ["queue", "state"] as const,
      registers: [registry],
    }),
    queueOldestReadySeconds: new Gauge({
      name: "lapwing_queue_oldest_ready_age_seconds",
      help: "How long the oldest due, unclaimed job of each queue has waited (processing lag); 0 when none waits.",
      labelNames: ["queue"] as const,
      registers: [registry],
    }),
    decisions: new Counter({
      name: "lapwing_decisions_total",
      help: "Automated policy decisions by kind (block, hold, review, suspend, report, safeguard) and mode (enforce, shadow), counted by the process that made them.",
      labelNames: ["decision", "mode"] as const,
      registers: [registry],
    }),
    timeToAction: new Histogram({
      name: "lapwing_time_to_action_seconds",
      help: "From an event's arrival to the action a policy emitted for it (committed), by action kind.",
      labelNames: ["action"] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
      registers: [registry],
    }),
    casesUndecided: new Gauge({
      name: "lapwing_cases_undecided",
      help: "Cases waiting for a reviewer, by state (open, claimed, escalated).",
      labelNames: ["state"] as const,
      registers: [registry],
    }),
    indexLagSeconds: new Gauge({
      name: "lapwing_pdq_index_sync_age_seconds",
      help: "Seconds since this process last caught up with the bank change feed.",
      registers: [registry],
    }),
    mediaHashing: new Gauge({
      name: "lapwing_media_hashing_jobs",
      help: "Media hashing jobs in this process's thread pool by state: busy (on a thread), queued (uploads waiting; MEDIA_BUSY beyond LAPWING_MEDIA_QUEUE), waiting (event media waiting).",
      labelNames: ["state"] as const,
      registers: [registry],
    }),
    mediaThreadsReplaced: new Gauge({
      name: "lapwing_media_threads_replaced",
      help: "Media hashing threads replaced since start because they ran out of memory, crashed or overran LAPWING_MEDIA_TIMEOUT_MS.",
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** Feeds enforcement's committed decisions and actions into the metrics. */
export function enforcementObserver(metrics: Metrics): EnforcementObserver {
  return {
    decision: (kind, mode) => metrics.decisions.inc({ decision: kind, mode }),
    action: (action, seconds) => metrics.timeToAction.observe({ action: action.kind }, seconds),
  };
}

export function registerRequestMetrics(app: FastifyInstance, metrics: Metrics) {
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unmatched";
    metrics.httpRequests.inc({ route, method: request.method, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ route, method: request.method }, reply.elapsedTime / 1000);
  });
}
