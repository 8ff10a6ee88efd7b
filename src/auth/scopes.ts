/**
 * What an API key may do. `check` calls the synchronous checks (hash, match,
 * lookup); `ingest` sends events; `admin` manages banks, keys and everything
 * else, and implies the other two.
 */
export const apiScopes = ["check", "ingest", "admin"] as const;
export type ApiScope = (typeof apiScopes)[number];

export function grants(held: readonly ApiScope[], needed: ApiScope): boolean {
  return held.includes(needed) || held.includes("admin");
}
