import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

// Passwords are hashed with scrypt (RFC 7914) from node:crypto, which is
// OpenSSL's implementation: no npm package (and no native build or download)
// is needed for a memory-hard password hash. argon2id would be the other
// choice, but its npm packages ship native code fetched or built at install.
//
// Cost: N = 2^15, r = 8, p = 1 (the parameters OWASP's Password Storage Cheat
// Sheet lists for scrypt) uses 128·N·r = 32 MiB and ~50–100 ms per hash here.
// The parameters are stored with each hash, so raising them later still
// verifies old hashes, and `needsRehash` says when to upgrade one at login.

/** The cost used for new hashes. */
export const defaultScryptCost = { log2N: 15, r: 8, p: 1 } as const;
export type ScryptCost = { log2N: number; r: number; p: number };

const saltBytes = 16;
const keyBytes = 32;
/** Longest password accepted; longer input would only cost time, never add strength. */
export const maxPasswordChars = 1024;
/** Shortest password accepted (NIST SP 800-63B asks for at least 8; this holds child-safety data). */
export const minPasswordChars = 12;
const hashPattern = /^scrypt\$(\d{1,2})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** cost.log2N, r: cost.r, p: cost.p, maxmem: 256 * 2 ** cost.log2N * cost.r };
  // NFKC so that the same password typed on two keyboards (composed or decomposed
  // accents) hashes alike, as NIST SP 800-63B §5.1.1.2 recommends.
  const normalized = Buffer.from(password.normalize("NFKC"), "utf8");
  return new Promise((resolve, reject) => scrypt(normalized, salt, keyBytes, options, (error, key) => (error ? reject(error) : resolve(key))));
}

/**
 * Hashes a password with a fresh random salt: `scrypt$15$8$1$<salt>$<hash>`
 * (log2 N, r, p, then base64url salt and key). Runs on libuv's thread pool,
 * not the event loop.
 */
export async function hashPassword(password: string, cost: ScryptCost = defaultScryptCost): Promise<string> {
  const salt = randomBytes(saltBytes);
  const key = await derive(password, salt, cost);
  return `scrypt$${cost.log2N}$${cost.r}$${cost.p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

/**
 * True when `password` matches `stored`. The comparison is constant-time; a
 * malformed or out-of-range stored hash is simply a mismatch (never a throw),
 * so a damaged row cannot be told apart from a wrong password.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const actual = await derive(password, parsed.salt, parsed.cost);
  return actual.length === parsed.key.length && timingSafeEqual(actual, parsed.key);
}

/** True when `stored` was made with another cost than `cost` (rehash it after a successful login). */
export function needsRehash(stored: string, cost: ScryptCost = defaultScryptCost): boolean {
  const parsed = parseHash(stored);
  return !parsed || parsed.cost.log2N !== cost.log2N || parsed.cost.r !== cost.r || parsed.cost.p !== cost.p;
}

function parseHash(stored: string): { cost: ScryptCost; salt: Buffer; key: Buffer } | undefined {
  const match = hashPattern.exec(stored);
  if (!match) return undefined;
  const cost = { log2N: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
  // Bounds keep a tampered row from asking for gigabytes or minutes of work.
  if (cost.log2N < 1 || cost.log2N > 20 || cost.r < 1 || cost.r > 32 || cost.p < 1 || cost.p > 16) return undefined;
  return { cost, salt: Buffer.from(match[4]!, "base64url"), key: Buffer.from(match[5]!, "base64url") };
}
