import { auditInputError } from "./errors.js";
import { viewerGroups, type ViewerGroups } from "./types.js";

/**
 * Reads the simulated accounts per group: `{"teen": [...], "fresh": [...],
 * "other": [...]}` (any of the three may be missing; other keys are ignored,
 * so a scenario may list more groups than the audit reports on).
 */
export function parseViewerGroups(text: string, name = "the viewers file"): ViewerGroups {
  const value = parseJson(text, name);
  if (!isObject(value)) throw auditInputError(`${name} must be a JSON object like {"teen": ["id", ...], "fresh": [...], "other": [...]}.`, "/");
  if (!viewerGroups.some((g) => g in value)) throw auditInputError(`${name} names none of the groups ${viewerGroups.join(", ")}.`, "/");
  return Object.fromEntries(viewerGroups.map((g) => [g, g in value ? idList(value[g], `/${g}`, name) : []])) as ViewerGroups;
}

/**
 * Reads the network's members from a file in any of these shapes:
 * - a JSON array of ids: `["a", "b"]`;
 * - a labels file: an object whose `network` is such an array, an array of
 *   `{"id"}` / `{"account"}` objects, or an object holding one of those under
 *   `members` or `accounts` (also accepted at the top level);
 * - plain text, one id per line (blank lines and lines starting with # skipped).
 */
export function parseNetworkList(text: string, name = "the network file"): Set<string> {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith("[") && !trimmed.startsWith("{")) {
    return new Set(
      text
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== "" && !l.startsWith("#")),
    );
  }
  const value = parseJson(text, name);
  if (Array.isArray(value)) return new Set(idList(value, "", name));
  if (isObject(value)) {
    for (const [path, candidate] of [
      ["/network", value.network],
      ["/network/members", isObject(value.network) ? value.network.members : undefined],
      ["/network/accounts", isObject(value.network) ? value.network.accounts : undefined],
      ["/members", value.members],
      ["/accounts", value.accounts],
    ] as const) {
      if (Array.isArray(candidate)) return new Set(idList(candidate, path, name));
    }
  }
  throw auditInputError(`${name} holds no network list: give a JSON array of ids, an object with a "network" array (ids or {"id": ...} objects), or one id per line.`, "/");
}

/**
 * Reads a list of ids: strings, whole numbers (written as strings), or
 * objects with an `id` or `account` field. Anything else is an error that
 * points at the bad item.
 */
export function idList(value: unknown, pointer: string, name: string): string[] {
  if (!Array.isArray(value)) throw auditInputError(`${name}: ${pointer || "the top level"} must be a list of ids.`, pointer || "/");
  return value.map((item, i) => {
    const id = isObject(item) ? (item.id ?? item.account) : item;
    if (typeof id === "string" && id !== "") return id;
    if (typeof id === "number" && Number.isSafeInteger(id)) return String(id);
    throw auditInputError(`${name}: ${pointer}/${i} is not an id (a non-empty string, a whole number, or an object with "id"); got ${JSON.stringify(item)?.slice(0, 80)}.`, `${pointer}/${i}`);
  });
}

export function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw auditInputError(`${name} is not valid JSON (${(error as Error).message}).`, "/");
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
