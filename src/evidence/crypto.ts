import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { LapwingError } from "../errors/index.js";

/** A master key: 32 bytes and the id items record, so a rotation knows what each data key is wrapped with. */
export interface MasterKey {
  id: string;
  key: Buffer;
}

/** The master key new items are wrapped with, and older ones still readable during a rotation. */
export interface Keyring {
  current: MasterKey;
  previous: readonly MasterKey[];
}

/** An item's data key, wrapped (AES-256-GCM) by a master key: iv ‖ tag ‖ ciphertext, base64. */
export interface WrappedKey {
  keyId: string;
  wrapped: string;
}

/** What the vault stores for one item besides the ciphertext object. */
export interface SealedItem {
  ciphertext: Buffer;
  iv: string;
  tag: string;
  dataKey: WrappedKey;
}

const keyIdPattern = /^[A-Za-z0-9._-]{1,64}$/;
export const generateKeyHint = "generate one with `openssl rand -base64 32` (or `node -e \"console.log(require('crypto').randomBytes(32).toString('base64'))\"`)";

/** Reads a base64 master key of exactly 32 bytes, or says how to make one. */
export function parseMasterKey(id: string, base64: string, setting: string): MasterKey {
  if (!keyIdPattern.test(id)) throw new LapwingError("CONFIG_INVALID", `The evidence master key id ${JSON.stringify(id)} must be 1–64 letters, digits, ".", "_" or "-".`);
  const key = Buffer.from(base64.trim(), "base64");
  if (key.length !== 32 || key.toString("base64") !== base64.trim()) {
    throw new LapwingError("CONFIG_INVALID", `${setting} must be exactly 32 bytes in standard base64 (44 characters ending in "="); ${generateKeyHint}.`);
  }
  return { id, key };
}

/**
 * The keyring from configuration: `LAPWING_EVIDENCE_MASTER_KEY` (with its id,
 * `LAPWING_EVIDENCE_MASTER_KEY_ID`) wraps new items; `LAPWING_EVIDENCE_PREVIOUS_KEYS`
 * (`id:base64,…`) are keys being rotated away from, readable only.
 */
export function keyringFrom(settings: { evidenceMasterKey: string; evidenceMasterKeyId: string; evidencePreviousKeys: string }): Keyring {
  if (settings.evidenceMasterKey.trim() === "") {
    throw new LapwingError(
      "EVIDENCE_KEY_MISSING",
      `Evidence work needs a master key: set LAPWING_EVIDENCE_MASTER_KEY to 32 random bytes in base64 (${generateKeyHint}) and keep a copy offline; without it preserved evidence cannot be read.`,
    );
  }
  const current = parseMasterKey(settings.evidenceMasterKeyId, settings.evidenceMasterKey, "LAPWING_EVIDENCE_MASTER_KEY");
  const previous = settings.evidencePreviousKeys
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((entry) => {
      const colon = entry.indexOf(":");
      if (colon < 1) throw new LapwingError("CONFIG_INVALID", "LAPWING_EVIDENCE_PREVIOUS_KEYS lists keys as id:base64, separated by commas.");
      return parseMasterKey(entry.slice(0, colon), entry.slice(colon + 1), `LAPWING_EVIDENCE_PREVIOUS_KEYS (${entry.slice(0, colon)})`);
    });
  if (previous.some((k) => k.id === current.id)) throw new LapwingError("CONFIG_INVALID", `A previous evidence key reuses the current key id ${JSON.stringify(current.id)}: give each master key its own id.`);
  return { current, previous };
}

function keyOf(keyring: Keyring, id: string): Buffer {
  const found = keyring.current.id === id ? keyring.current : keyring.previous.find((k) => k.id === id);
  if (!found) {
    throw new LapwingError(
      "EVIDENCE_KEY_UNKNOWN",
      `Evidence is wrapped with master key "${id}", which is not configured: add it to LAPWING_EVIDENCE_PREVIOUS_KEYS as ${id}:<base64> (then run \`lapwing evidence rotate-key\`).`,
    );
  }
  return found.key;
}

function gcmSeal(key: Buffer, plaintext: Buffer, aad: Buffer): { iv: Buffer; tag: Buffer; ciphertext: Buffer } {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), ciphertext };
}

function gcmOpen(key: Buffer, iv: Buffer, tag: Buffer, ciphertext: Buffer, aad: Buffer): Buffer | undefined {
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv);
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    return undefined;
  }
}

/** Wraps a data key for one item; the item id is bound in, so a wrapped key moved to another item does not open. */
export function wrapDataKey(keyring: Keyring, itemId: string, dataKey: Buffer): WrappedKey {
  const { iv, tag, ciphertext } = gcmSeal(keyring.current.key, dataKey, Buffer.from(`lapwing-evidence-key:${itemId}`));
  return { keyId: keyring.current.id, wrapped: Buffer.concat([iv, tag, ciphertext]).toString("base64") };
}

export function unwrapDataKey(keyring: Keyring, itemId: string, wrapped: WrappedKey): Buffer {
  const raw = Buffer.from(wrapped.wrapped, "base64");
  const key = gcmOpen(keyOf(keyring, wrapped.keyId), raw.subarray(0, 12), raw.subarray(12, 28), raw.subarray(28), Buffer.from(`lapwing-evidence-key:${itemId}`));
  if (!key || key.length !== 32) throw new LapwingError("EVIDENCE_TAMPERED", `Evidence item ${itemId}: its data key does not open with master key "${wrapped.keyId}" (the wrapped key or the item id was changed).`);
  return key;
}

/**
 * Encrypts an item under a fresh random data key. `aad` (the item's canonical
 * metadata) is authenticated with the bytes, so changing either is detected.
 */
export function sealItem(keyring: Keyring, itemId: string, plaintext: Buffer, aad: string): SealedItem {
  const dataKey = randomBytes(32);
  const { iv, tag, ciphertext } = gcmSeal(dataKey, plaintext, Buffer.from(aad));
  return { ciphertext, iv: iv.toString("base64"), tag: tag.toString("base64"), dataKey: wrapDataKey(keyring, itemId, dataKey) };
}

/** Decrypts an item, or throws `EVIDENCE_TAMPERED` when the bytes or the metadata changed. */
export function openItem(keyring: Keyring, itemId: string, sealed: SealedItem, aad: string): Buffer {
  const key = unwrapDataKey(keyring, itemId, sealed.dataKey);
  const plaintext = gcmOpen(key, Buffer.from(sealed.iv, "base64"), Buffer.from(sealed.tag, "base64"), sealed.ciphertext, Buffer.from(aad));
  if (!plaintext) throw new LapwingError("EVIDENCE_TAMPERED", `Evidence item ${itemId} failed authenticated decryption: its stored bytes or its metadata were changed.`);
  return plaintext;
}

/** SHA-256 over the canonical metadata and the ciphertext: checked before decrypting, on every read. */
export function integrityHash(aad: string, ciphertext: Buffer): string {
  return createHash("sha256").update(aad).update("\n").update(ciphertext).digest("hex");
}

export function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && timingSafeEqual(x, y);
}
