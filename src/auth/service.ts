import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Kysely } from "kysely";
import { auditActor, type AuditLog } from "../audit/index.js";
import { LapwingError } from "../errors/index.js";
import { newId } from "../store/index.js";
import { apiScopes, type ApiScope } from "./scopes.js";
import type { ApiKeyTables } from "./tables.js";

export interface ApiKeyInfo {
  id: string;
  name: string;
  scopes: ApiScope[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** A new key: `secret` is shown once and never stored (only its SHA-256 is). */
export interface CreatedApiKey extends ApiKeyInfo {
  secret: string;
}

const keyPattern = /^lw_([0-9A-Z]{26})_([A-Za-z0-9_-]{43})$/;

/**
 * API keys for platforms and operators. A key reads `lw_<id>_<secret>`; the
 * id finds the row, the secret (256 random bits) is compared by hash in
 * constant time. SHA-256 suffices here because the secret is random, not a
 * password a person chose.
 */
export function createApiKeyService(db: Kysely<ApiKeyTables>, options: { clock?: () => Date; audit?: AuditLog } = {}) {
  const clock = options.clock ?? (() => new Date());

  async function create(name: string, scopes: readonly ApiScope[], actor: string = auditActor.system): Promise<CreatedApiKey> {
    const trimmed = name.trim();
    if (!trimmed) throw new LapwingError("VALIDATION_FAILED", "Give the key a name that says who uses it, e.g. \"forum-prod\".");
    const invalid = scopes.filter((s) => !apiScopes.includes(s));
    if (scopes.length === 0 || invalid.length > 0) {
      throw new LapwingError("VALIDATION_FAILED", `Scopes must be one or more of ${apiScopes.join(", ")}${invalid.length ? `; got ${invalid.join(", ")}` : ""}.`);
    }
    const id = newId(clock().getTime());
    const secret = randomBytes(32).toString("base64url");
    const createdAt = clock().toISOString();
    const unique = [...new Set(scopes)];
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto("api_keys")
        .values({ id, name: trimmed, secret_hash: hashSecret(secret), scopes: unique.join(","), created_at: createdAt })
        .execute();
      await options.audit?.record(trx as unknown as Kysely<unknown>, { actor, action: "key.create", target: { type: "api_key", id }, details: { name: trimmed, scopes: unique } });
    });
    return { id, name: trimmed, scopes: unique, createdAt, lastUsedAt: null, revokedAt: null, secret: `lw_${id}_${secret}` };
  }

  /** Returns the key's identity, or null for anything that is not a live key. */
  async function authenticate(presented: string): Promise<ApiKeyInfo | null> {
    const match = keyPattern.exec(presented.trim());
    if (!match) return null;
    const row = await db.selectFrom("api_keys").selectAll().where("id", "=", match[1]!).executeTakeFirst();
    if (!row || row.revoked_at) return null;
    const expected = Buffer.from(row.secret_hash, "hex");
    const actual = Buffer.from(hashSecret(match[2]!), "hex");
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
    const now = clock().toISOString();
    // Best effort, at most once a minute per key, so a busy key does not write on every request.
    if (!row.last_used_at || Date.parse(now) - Date.parse(row.last_used_at) > 60_000) {
      await db.updateTable("api_keys").set({ last_used_at: now }).where("id", "=", row.id).execute();
      row.last_used_at = now;
    }
    return toInfo(row);
  }

  async function list(): Promise<ApiKeyInfo[]> {
    const rows = await db.selectFrom("api_keys").selectAll().orderBy("id").execute();
    return rows.map(toInfo);
  }

  async function revoke(id: string, actor: string = auditActor.system): Promise<ApiKeyInfo> {
    const now = clock().toISOString();
    const result = await db.transaction().execute(async (trx) => {
      const updated = await trx.updateTable("api_keys").set({ revoked_at: now }).where("id", "=", id).where("revoked_at", "is", null).executeTakeFirst();
      if (Number(updated.numUpdatedRows) > 0) await options.audit?.record(trx as unknown as Kysely<unknown>, { actor, action: "key.revoke", target: { type: "api_key", id }, details: {} });
      return updated;
    });
    if (Number(result.numUpdatedRows) === 0) {
      const exists = await db.selectFrom("api_keys").select("id").where("id", "=", id).executeTakeFirst();
      if (!exists) throw new LapwingError("NOT_FOUND", `No API key has id ${id}; \`lapwing keys list\` shows them.`);
    }
    const row = await db.selectFrom("api_keys").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    return toInfo(row);
  }

  return { create, authenticate, list, revoke };
}

export type ApiKeyService = ReturnType<typeof createApiKeyService>;

function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

function toInfo(row: ApiKeyTables["api_keys"]): ApiKeyInfo {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes.split(",").filter(Boolean) as ApiScope[],
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}
