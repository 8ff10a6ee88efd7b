import { lookup as dnsLookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import { BlockList, isIP, type LookupFunction } from "node:net";

export interface MediaFetchOptions {
  /** Hosts media may be fetched from, exact names, lower case (LAPWING_MEDIA_FETCH_HOSTS). Empty: never fetch. */
  allowedHosts: readonly string[];
  /** Largest body read; a larger one is abandoned (default 50 MiB). */
  maxBytes?: number;
  /** Time for the whole fetch, connection to last byte (default 10 s). */
  timeoutMs?: number;
  /** Tests only: let an allowed host resolve to loopback or private addresses. */
  allowPrivateAddresses?: boolean;
  /** The Accept header sent (default `image/*`); other guarded clients (src/reports/) ask for JSON. */
  accept?: string;
  /** Extra request headers (an Authorization header for a platform callback); never logged. */
  headers?: Readonly<Record<string, string>>;
  /** DNS resolver; tests pass a fixed one. */
  resolve?: (hostname: string) => Promise<Array<{ address: string; family: number }>>;
}

export type MediaFetchResult =
  | { ok: true; bytes: Buffer; /** The Content-Type the host answered with, if any. */ contentType?: string }
  | { ok: false; reason: "host_not_allowed" | "fetch_failed"; message: string; /** The HTTP status when the host answered with one other than 200. */ status?: number };

// Addresses a fetch must never reach: loopback, private, link-local (cloud
// metadata at 169.254.169.254), carrier-grade NAT, multicast, reserved,
// unspecified, and their IPv6 counterparts (including IPv4-mapped forms).
const forbidden = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  forbidden.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b::", 96],
  ["100::", 64],
  ["2001:db8::", 32],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  forbidden.addSubnet(network, prefix, "ipv6");
}

/** True when `address` (an IP literal) is private, loopback or otherwise not on the public internet. */
export function isForbiddenAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return forbidden.check(address, "ipv4");
  if (family !== 6) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return forbidden.check(mapped[1]!, "ipv4");
  return forbidden.check(address, "ipv6");
}

/** Parses LAPWING_MEDIA_FETCH_HOSTS: comma-separated host names, trimmed, lower case. */
export function parseHostList(value: string): string[] {
  return value
    .split(",")
    .map((h) => h.trim().toLowerCase().replace(/\.$/, ""))
    .filter((h) => h.length > 0);
}

/**
 * Fetches media from a URL the platform serves, guarding against
 * server-side request forgery:
 *
 * - only `http:`/`https:` URLs without credentials, whose host is exactly one
 *   of `allowedHosts` (no wildcard, no suffix match);
 * - the host is resolved once, every address is checked, and the connection
 *   is pinned to a checked address (a second DNS answer cannot swap in
 *   127.0.0.1: no rebinding);
 * - redirects are not followed (a redirect could lead anywhere);
 * - the body is abandoned past `maxBytes`, and everything past `timeoutMs`.
 *
 * Never throws: failures come back as `{ ok: false, reason, message }`.
 */
export function createMediaFetcher(options: MediaFetchOptions) {
  const allowed = new Set(options.allowedHosts.map((h) => h.toLowerCase()));
  const maxBytes = options.maxBytes ?? 50 * 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const resolve = options.resolve ?? ((hostname: string) => dnsLookup(hostname, { all: true, verbatim: true }));

  async function fetchMedia(rawUrl: string): Promise<MediaFetchResult> {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      return { ok: false, reason: "fetch_failed", message: "The media URL is not a valid URL." };
    }
    const host = url.hostname.toLowerCase().replace(/\.$/, "").replace(/^\[|\]$/g, "");
    if ((url.protocol !== "http:" && url.protocol !== "https:") || url.username || url.password) {
      return { ok: false, reason: "host_not_allowed", message: "Only http and https URLs without credentials are fetched." };
    }
    if (!allowed.has(host)) {
      return { ok: false, reason: "host_not_allowed", message: `Not fetched: host "${host}" is not in LAPWING_MEDIA_FETCH_HOSTS.` };
    }

    let addresses: Array<{ address: string; family: number }>;
    try {
      addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await resolve(host);
    } catch (error) {
      return { ok: false, reason: "fetch_failed", message: `Could not resolve "${host}": ${(error as Error).message}.` };
    }
    if (addresses.length === 0) return { ok: false, reason: "fetch_failed", message: `"${host}" has no addresses.` };
    if (!options.allowPrivateAddresses) {
      const bad = addresses.find((a) => isForbiddenAddress(a.address));
      if (bad) return { ok: false, reason: "host_not_allowed", message: `Not fetched: "${host}" resolves to a private or reserved address (${bad.address}).` };
    }
    const pinned = addresses[0]!;
    // Connect only to the address checked above, whatever DNS says now.
    const pinnedLookup: LookupFunction = (_hostname, lookupOptions, callback) => {
      if ((lookupOptions as { all?: boolean }).all) (callback as unknown as (e: null, a: typeof addresses) => void)(null, [pinned]);
      else callback(null, pinned.address, pinned.family);
    };
    return download(url, pinnedLookup);
  }

  function download(url: URL, lookup: LookupFunction): Promise<MediaFetchResult> {
    return new Promise((resolvePromise) => {
      let settled = false;
      const finish = (result: MediaFetchResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        request.destroy();
        resolvePromise(result);
      };
      const fail = (message: string) => finish({ ok: false, reason: "fetch_failed", message });
      const client = url.protocol === "https:" ? https : http;
      const request = client.get(url, { lookup, agent: false, headers: { ...options.headers, accept: options.accept ?? "image/*", "user-agent": "lapwing-media-fetch" } }, (response) => {
        const status = response.statusCode ?? 0;
        if (status !== 200) {
          return finish({ ok: false, reason: "fetch_failed", status, message: `The media URL answered HTTP ${status}${status >= 300 && status < 400 ? " (redirects are not followed)" : ""}.` });
        }
        const declared = Number(response.headers["content-length"]);
        if (Number.isFinite(declared) && declared > maxBytes) return fail(`The media is ${declared} bytes, over the ${maxBytes}-byte limit.`);
        const chunks: Buffer[] = [];
        let total = 0;
        response.on("data", (chunk: Buffer) => {
          total += chunk.length;
          if (total > maxBytes) return fail(`The media is over the ${maxBytes}-byte limit.`);
          chunks.push(chunk);
        });
        const contentType = response.headers["content-type"];
        response.on("end", () => finish({ ok: true, bytes: Buffer.concat(chunks), ...(contentType ? { contentType } : {}) }));
        response.on("error", (error) => fail(`Reading the media failed: ${error.message}.`));
      });
      request.on("error", (error) => fail(`Fetching the media failed: ${error.message}.`));
      const timer = setTimeout(() => fail(`Fetching the media took longer than ${timeoutMs} ms.`), timeoutMs);
    });
  }

  return { fetchMedia };
}

export type MediaFetcher = ReturnType<typeof createMediaFetcher>;
