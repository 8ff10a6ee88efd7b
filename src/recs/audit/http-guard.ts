import { createLimiter } from "./concurrency.js";
import { auditInputError, RecsSourceError } from "./errors.js";
import { fetchJson } from "./http-fetch.js";
import type { GuardAnswer, RecommendationGuard } from "./types.js";

export interface HttpGuardOptions {
  /** A running Lapwing's base URL (`http://127.0.0.1:7878`) or the full filter URL. */
  url: string;
  /** An API key that may call the filter route. */
  apiKey: string;
  timeoutMs?: number;
  maxInFlight?: number;
}

const filterPath = "/v1/recommendations/filter";

/**
 * The guard of a running Lapwing, called over HTTP: `POST
 * /v1/recommendations/filter` with `{viewer, surface, candidates}`, reading
 * `kept` from the answer. The same question is asked once per run.
 */
export function httpGuard(options: HttpGuardOptions): { guard: RecommendationGuard; description: string } {
  const url = filterUrl(options.url);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const limit = createLimiter(options.maxInFlight ?? 8);
  const answers = new Map<string, Promise<GuardAnswer>>();
  const guard: RecommendationGuard = (viewer, surface, candidates) => {
    const body = JSON.stringify({ viewer, surface, candidates });
    let answer = answers.get(body);
    if (!answer) {
      answer = limit(() =>
        fetchJson(
          url,
          { method: "POST", headers: { "content-type": "application/json", accept: "application/json", authorization: `Bearer ${options.apiKey}` }, body },
          { timeoutMs, what: "The Lapwing guard", hint: "raise --timeout-ms or check the server." },
        ),
      ).then((answer) => keptFrom(answer, url));
      answers.set(body, answer);
    }
    return answer;
  };
  return { guard, description: `Lapwing guard at ${url}` };
}

function keptFrom(answer: unknown, url: string): GuardAnswer {
  const { kept, removed } = typeof answer === "object" && answer !== null ? (answer as { kept?: unknown; removed?: unknown }) : {};
  if (!Array.isArray(kept) || !kept.every((id) => typeof id === "string")) {
    throw new RecsSourceError(`The Lapwing guard at ${url} answered without a "kept" list of ids; is this a Lapwing server with the recommender guard?`);
  }
  // The reasons only explain over-filtering in the report: a malformed list is ignored, not fatal.
  const isReason = (r: unknown): r is { id: string; reason: string } =>
    typeof r === "object" && r !== null && typeof (r as { id?: unknown }).id === "string" && typeof (r as { reason?: unknown }).reason === "string";
  return Array.isArray(removed) && removed.every(isReason) ? { kept, removed: removed.map((r) => ({ id: r.id, reason: r.reason })) } : { kept };
}

function filterUrl(base: string): string {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw auditInputError(`The guard URL is not a URL: ${base}. Give a running Lapwing's address, like http://127.0.0.1:7878.`, "/guard-url");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw auditInputError(`The guard URL must be http or https; got ${base}.`, "/guard-url");
  if (!url.pathname.endsWith(filterPath)) url.pathname = url.pathname.replace(/\/+$/, "") + filterPath;
  return url.toString();
}
