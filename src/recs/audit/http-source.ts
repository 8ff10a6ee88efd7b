import type { RecommendationSurface } from "../../network/index.js";
import { createLimiter } from "./concurrency.js";
import { auditInputError, RecsSourceError } from "./errors.js";
import { fetchJson, snippet } from "./http-fetch.js";
import type { RecommendationSource } from "./types.js";

export interface HttpSourceOptions {
  /**
   * The endpoint's URL with placeholders, each URL-encoded when filled in:
   * `{viewer}` (required: the walk's position, whose suggestions are asked
   * for), `{surface}`, `{origin}` (the simulated account), `{step}` (1..K).
   * Example: `http://127.0.0.1:8080/suggestions?viewer={viewer}&surface={surface}`.
   */
  template: string;
  /** Deadline of one request, answer included (default 10 s). */
  timeoutMs?: number;
  /** Requests in flight at once, whatever the walks do (default 8). */
  maxInFlight?: number;
  /** Extra request headers (a platform's own token, say). */
  headers?: Record<string, string>;
}

const placeholders = ["viewer", "surface", "origin", "step"] as const;

/**
 * A source that asks a platform's live endpoint: `GET` the template's URL,
 * which answers a JSON array of ids or `{"candidates": [...]}` (ids as
 * strings, numbers, or `{"id": ...}` objects), best first. The same URL is
 * asked once per run: answers are reused, so a recommender whose answers
 * depend on the simulated account should put `{origin}` in the template.
 * Failures (unreachable, too slow, an HTTP error, a malformed answer) are
 * `RECS_SOURCE_FAILED` errors that name the URL.
 */
export function httpSource(options: HttpSourceOptions): RecommendationSource {
  const template = validateTemplate(options.template);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const limit = createLimiter(options.maxInFlight ?? 8);
  const answers = new Map<string, Promise<string[]>>();
  return {
    description: `endpoint ${template}`,
    suggest: (viewer, surface, context) => {
      const url = fill(template, { viewer, surface, origin: context.origin, step: String(context.step) });
      let answer = answers.get(url);
      if (!answer) {
        answer = limit(() => fetchJson(url, { headers: { accept: "application/json", ...options.headers } }, { timeoutMs, what: "The suggestion endpoint", hint: "raise --timeout-ms or check the endpoint." })).then(
          (body) => candidatesFrom(body, url),
        );
        answers.set(url, answer);
      }
      return answer;
    },
  };
}

/** Reads an endpoint's answer: a JSON array of ids, or `{"candidates": [...]}`. */
export function candidatesFrom(body: unknown, url: string): string[] {
  const list = Array.isArray(body) ? body : typeof body === "object" && body !== null && Array.isArray((body as { candidates?: unknown }).candidates) ? (body as { candidates: unknown[] }).candidates : undefined;
  if (!list) {
    throw new RecsSourceError(`The suggestion endpoint at ${url} answered ${snippet(JSON.stringify(body) ?? "")}; expected a JSON array of ids or {"candidates": ["id", ...]}.`);
  }
  return list.map((item, i) => {
    const id = typeof item === "object" && item !== null ? (item as { id?: unknown }).id : item;
    if (typeof id === "string" && id !== "") return id;
    if (typeof id === "number" && Number.isSafeInteger(id)) return String(id);
    throw new RecsSourceError(`The suggestion endpoint at ${url} answered a candidate that is not an id at index ${i}: ${snippet(JSON.stringify(item) ?? "")}.`);
  });
}

function validateTemplate(template: string): string {
  if (!template.includes("{viewer}")) throw auditInputError(`The endpoint template must contain {viewer} (where the account whose suggestions are wanted goes); got ${template}.`, "/endpoint");
  const unknown = [...template.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]!).filter((p) => !(placeholders as readonly string[]).includes(p));
  if (unknown.length) throw auditInputError(`The endpoint template has unknown placeholders {${unknown.join("}, {")}}; it may use ${placeholders.map((p) => `{${p}}`).join(", ")}.`, "/endpoint");
  let url: URL;
  try {
    url = new URL(fill(template, { viewer: "v", surface: "accounts", origin: "o", step: "1" }));
  } catch {
    throw auditInputError(`The endpoint template is not a URL once filled in: ${template}.`, "/endpoint");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw auditInputError(`The endpoint must be an http or https URL; got ${template}.`, "/endpoint");
  return template;
}

function fill(template: string, values: { viewer: string; surface: RecommendationSurface | string; origin: string; step: string }): string {
  return template.replace(/\{(viewer|surface|origin|step)\}/g, (_, key: keyof typeof values) => encodeURIComponent(values[key]));
}
