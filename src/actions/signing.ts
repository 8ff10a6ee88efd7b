import { createHmac, timingSafeEqual } from "node:crypto";

/** The header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const signatureHeader = "lapwing-signature";
/** How far a signature's timestamp may be from the receiver's clock (replay window). */
export const defaultToleranceSeconds = 300;

/**
 * Signs a webhook body: HMAC-SHA256 with the shared secret over the Unix
 * timestamp, a dot, and the exact body bytes. Signing the timestamp with the
 * body stops an old delivery being replayed later; the receiver checks both.
 *
 * @example
 * signWebhook("secret", '{"id":"a1"}', 1767225600); // → "t=1767225600,v1=5f0c…"
 */
export function signWebhook(secret: string, body: string, timestampSeconds: number): string {
  const mac = createHmac("sha256", secret).update(`${timestampSeconds}.${body}`).digest("hex");
  return `t=${timestampSeconds},v1=${mac}`;
}

/**
 * Checks a `lapwing-signature` header against the raw body (what a receiver
 * runs; docs/actions.md has a standalone copy). Constant-time comparison;
 * several `v1=` values are accepted so secrets can be rotated.
 */
export function verifyWebhook(secret: string, body: string, header: string | undefined, options: { nowSeconds?: number; toleranceSeconds?: number } = {}): boolean {
  if (!header) return false;
  const parts = header.split(",").map((part) => part.trim().split("="));
  const timestamp = Number(parts.find(([k]) => k === "t")?.[1]);
  if (!Number.isInteger(timestamp)) return false;
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? defaultToleranceSeconds)) return false;
  const expected = Buffer.from(createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex"));
  return parts.some(([k, v]) => k === "v1" && v !== undefined && v.length === expected.length && timingSafeEqual(Buffer.from(v), expected));
}
