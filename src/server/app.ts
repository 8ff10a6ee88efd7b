import fastifySwagger from "@fastify/swagger";
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import type { Config } from "../config/index.js";
import type { Services } from "../services.js";
import { registerAuthentication } from "./authenticate.js";
import { handleError } from "./errors.js";
import { refuseUnknownFields } from "./strict-input.js";
import { LapwingError } from "../errors/index.js";
import { createMetrics, registerRequestMetrics, type Metrics } from "./metrics.js";
import { auditRoutes } from "./routes/audit.js";
import { bankRoutes } from "./routes/banks.js";
import { eventRoutes } from "./routes/events.js";
import { jobRoutes } from "./routes/jobs.js";
import { keyRoutes } from "./routes/keys.js";
import { lexiconRoutes } from "./routes/lexicons.js";
import { mediaRoutes } from "./routes/media.js";
import { policyRoutes } from "./routes/policies.js";
import { searchRoutes } from "./routes/search.js";
import { sessionRoutes } from "./routes/sessions.js";
import { systemRoutes } from "./routes/system.js";
import { textRoutes } from "./routes/text.js";
import { actionRoutes } from "./routes/actions.js";
import { caseRoutes } from "./routes/cases.js";
import { reportRoutes } from "./routes/reports.js";
import { networkRoutes } from "./routes/network.js";
import { userRoutes } from "./routes/users.js";
import { evidenceRoutes } from "./routes/evidence.js";
import { consoleApiRoutes } from "./routes/console-api.js";
import { statsRoutes } from "./routes/stats.js";
import { consoleRoutes } from "./console.js";

export interface AppOptions {
  config: Config;
  services: Services;
  /** Pass `false` to silence request logs (tests). */
  logger?: boolean;
  /** Where log lines go (default stdout); tests pass a stream to read them. */
  logStream?: NodeJS.WritableStream;
  /** Metrics the process already feeds (the workers' observer); a fresh set by default. */
  metrics?: Metrics;
  /** Where the built console lives (default console/dist); tests point it elsewhere. */
  consoleDir?: string;
}

/**
 * Fastify logs two lines per request at info; operators want one, at debug:
 * method, URL, status and time when the response is sent.
 */
class QuietRequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null, request: FastifyRequest, reply: FastifyReply): void {
    const line = { method: request.method, url: request.url, statusCode: reply.statusCode, responseTimeMs: Math.round(reply.elapsedTime) };
    if (error) reply.log.error({ ...line, err: error }, "request errored");
    else reply.log.debug(line, "request");
  }
}

/**
 * Builds the HTTP app without listening, so tests can start it on a real
 * socket of their own. Routes are plugins that receive the services they use.
 */
export async function buildApp({ config, services, logger = true, logStream, metrics = createMetrics(), consoleDir }: AppOptions): Promise<FastifyInstance & { metrics: Metrics }> {
  const app = Fastify({
    logger: logger
      ? {
          level: config.logLevel,
          // Keys and cookies must never reach a log line.
          redact: { paths: ["req.headers.authorization", "req.headers.cookie", 'req.headers["x-api-key"]'], censor: "[redacted]" },
          ...(logStream ? { stream: logStream } : {}),
        }
      : false,
    bodyLimit: config.maxJsonBytes,
    logController: new QuietRequestLog(),
    // Media bodies are parsed once into a Buffer; nothing else reads them.
    requestIdHeader: false,
    genReqId: () => crypto.randomUUID(),
    // A URL the router cannot decode (invalid UTF-8, a broken escape) gets the same error body as every other 4xx.
    frameworkErrors: (error, request, reply) => void handleError(error, request, reply),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({
      error: { code: "NOT_FOUND", message: `No route ${request.method} ${request.url.split("?")[0]}; see /openapi.json.`, requestId: request.id },
    });
  });

  const asBuffer = { parseAs: "buffer" as const, bodyLimit: config.maxUploadBytes };
  app.addContentTypeParser("application/octet-stream", asBuffer, (_request, body, done) => done(null, body));
  app.addContentTypeParser(/^image\/[\w.+-]+$/, asBuffer, (_request, body, done) => done(null, body));
  app.addContentTypeParser(["text/csv", "text/plain"], { parseAs: "string", bodyLimit: config.maxUploadBytes }, (_request, body, done) =>
    done(null, body),
  );

  // Before the document plugin and every route, so both see the strict schemas.
  refuseUnknownFields(app);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "Lapwing API",
        version: "0.1.0",
        description:
          "Self-hostable child-safety engine. Every endpoint except /healthz, this document and its /docs page needs an API key: `Authorization: Bearer lw_…` (create one with `lapwing keys create`).",
      },
      components: { securitySchemes: { apiKey: { type: "http", scheme: "bearer" } } },
      security: [{ apiKey: [] }],
    },
    transform: jsonSchemaTransform,
  });

  const { users } = services;
  // A NUL in a path or query is never meant (and PostgreSQL cannot look it up): refuse it the same way on both backends.
  app.addHook("onRequest", async (request) => {
    if (/%00|\u0000/i.test(request.url)) throw new LapwingError("VALIDATION_FAILED", "The URL holds a NUL character (%00); remove it.", { pointer: "/" });
  });
  registerAuthentication(app, services.keys, users);
  registerRequestMetrics(app, metrics);

  await app.register(systemRoutes, { services, metrics });
  await app.register(mediaRoutes, { services, metrics, prefix: "/v1" });
  await app.register(bankRoutes, { services, prefix: "/v1" });
  await app.register(keyRoutes, { services, prefix: "/v1" });
  await app.register(lexiconRoutes, { services, prefix: "/v1" });
  await app.register(searchRoutes, { services, prefix: "/v1" });
  await app.register(textRoutes, { services, prefix: "/v1" });
  await app.register(auditRoutes, { services, prefix: "/v1" });
  await app.register(eventRoutes, { services, prefix: "/v1" });
  await app.register(networkRoutes, { services, prefix: "/v1" });
  await app.register(policyRoutes, { services, prefix: "/v1" });
  await app.register(jobRoutes, { services, prefix: "/v1" });
  await app.register(caseRoutes, { services, prefix: "/v1" });
  await app.register(actionRoutes, { services, prefix: "/v1" });
  await app.register(reportRoutes, { services, prefix: "/v1" });
  await app.register(evidenceRoutes, { services, prefix: "/v1" });
  await app.register(consoleApiRoutes, { services, prefix: "/v1" });
  await app.register(statsRoutes, { services, prefix: "/v1" });
  await app.register(sessionRoutes, { users, loginLimits: services.loginLimits, config, prefix: "/v1" });
  await app.register(userRoutes, { users, prefix: "/v1" });
  // Last and as a wildcard: every other route, /healthz, /openapi.json and /docs included, wins over it.
  await app.register(consoleRoutes, { dir: consoleDir });

  return Object.assign(app, { metrics });
}
