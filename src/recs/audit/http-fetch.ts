import { RecsSourceError } from "./errors.js";

/** Answers larger than this are refused: a suggestion list is kilobytes, not megabytes. */
export const maxAnswerBytes = 8 * 1024 * 1024;

/**
 * Fetches a JSON answer with a deadline over the whole exchange (connect,
 * headers and body), turning every failure into a `RecsSourceError` whose
 * message says which endpoint (`what`, e.g. "the suggestion endpoint") at
 * which URL failed and how.
 */
export async function fetchJson(url: string, init: RequestInit, options: { timeoutMs: number; what: string; hint: string }): Promise<unknown> {
  const { timeoutMs, what, hint } = options;
  let response: Response;
  let body: string;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs), redirect: "error" });
    body = await readLimited(response);
  } catch (error) {
    if (error instanceof RecsSourceError) throw error;
    const name = (error as Error).name;
    if (name === "TimeoutError" || name === "AbortError") {
      throw new RecsSourceError(`${what} at ${url} did not answer within ${timeoutMs} ms; ${hint}`, { cause: error });
    }
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new RecsSourceError(`Could not reach ${what} at ${url} (${reason}); is it running, and is the URL right?`, { cause: error });
  }
  if (!response.ok) {
    throw new RecsSourceError(`${what} at ${url} answered HTTP ${response.status}: ${snippet(body)}`, { details: { status: response.status } });
  }
  try {
    return JSON.parse(body);
  } catch {
    throw new RecsSourceError(`${what} at ${url} answered something that is not JSON: ${snippet(body)}`);
  }
}

async function readLimited(response: Response): Promise<string> {
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > maxAnswerBytes) {
    await response.body?.cancel();
    throw new RecsSourceError(`The answer from ${response.url} declares ${declared} bytes, over the ${maxAnswerBytes}-byte limit.`);
  }
  const text = await response.text();
  if (text.length > maxAnswerBytes) throw new RecsSourceError(`The answer from ${response.url} is over the ${maxAnswerBytes}-byte limit.`);
  return text;
}

/** The start of an answer, for an error message (so a bad answer can be recognised, not dumped). */
export function snippet(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat === "" ? "(an empty body)" : flat;
}
