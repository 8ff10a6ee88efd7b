import { endpoints, type EndpointName } from "./endpoints";

/** An error answer from the API: `{error: {code, message}}` with its HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
const sessionEndedListeners = new Set<() => void>();

/** The session's CSRF token, sent as `x-csrf-token` on every unsafe request (set at login and by who-am-I). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when any request answers 401: the session ended (expired, logged out elsewhere, user disabled). */
export function onSessionEnded(listener: () => void): () => void {
  sessionEndedListeners.add(listener);
  return () => sessionEndedListeners.delete(listener);
}

export interface CallOptions {
  params?: Record<string, string>;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Do not report a 401 as the end of the session (the login call itself). */
  quiet401?: boolean;
}

/** Fills a path template's `{name}` parts, each encoded. */
export function fillPath(template: string, params: Record<string, string> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${template}`);
    return encodeURIComponent(value);
  });
}

/**
 * Calls one endpoint of {@link endpoints} with the session cookie (same
 * origin) and, for unsafe methods, the CSRF token. Resolves with the parsed
 * JSON (or `null` for 204); rejects with an {@link ApiError}.
 */
export async function call<T>(name: EndpointName, options: CallOptions = {}): Promise<T> {
  const { method, path } = endpoints[name];
  let url = fillPath(path, options.params);
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(options.query ?? {})) if (value !== undefined && value !== "") query.set(key, String(value));
  if ([...query].length) url += `?${query}`;
  const headers: Record<string, string> = { accept: "application/json" };
  if (method !== "GET" && csrfToken) headers["x-csrf-token"] = csrfToken;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  const res = await fetch(url, { method, headers, body, credentials: "same-origin", cache: "no-store" });
  if (res.status === 204) return null as T;
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // A proxy's HTML error page: keep the status, say what happened.
  }
  if (!res.ok) {
    const error = (json as { error?: { code?: string; message?: string } } | null)?.error;
    if (res.status === 401 && !options.quiet401) for (const listener of sessionEndedListeners) listener();
    throw new ApiError(res.status, error?.code ?? `HTTP_${res.status}`, error?.message ?? `The server answered ${res.status} ${res.statusText}.`);
  }
  return json as T;
}
