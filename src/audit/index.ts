/**
 * The audit trail: an append-only log of who did what, each entry chained to
 * the one before by SHA-256, so an edited, deleted, reordered or forged entry
 * is found by {@link AuditLog.verify} (and `lapwing audit verify`).
 *
 * ## Recording inside a change
 *
 * Pass the transaction that makes the change to `record`, so the entry commits
 * or rolls back with it. Positions come from the global `seq` counter, whose row
 * lock orders writers: on SQLite and on PostgreSQL with many processes the chain
 * stays one line. Passing the root `db` while a transaction is open on SQLite
 * would wait on that transaction; pass the transaction.
 *
 * @example
 * import { auditActor, createAuditLog, createAuditRepository, type AuditTables } from "../audit/index.js";
 *
 * const audit = createAuditLog(createAuditRepository(store.db as Kysely<AuditTables>), clock);
 * await repo.transaction(async (trx) => {
 *   await repo.insertBank(trx, bank);
 *   await audit.record(trx, {
 *     actor: auditActor.key(key.id, key.name),
 *     action: "bank.create",
 *     target: { type: "bank", id: bank.id },
 *     details: { name: bank.name, pdqThreshold: bank.pdqThreshold },
 *   });
 * });
 *
 * ## What details may hold
 *
 * Small facts: ids, names, counts, verdicts, digests. Never secrets (keys named
 * like `secret`, `password` or `token` are refused) and never media bytes
 * (binary values are refused); record a SHA-256 instead.
 *
 * ## Append-only
 *
 * The service has no update or delete, and migration 0003 adds triggers that
 * refuse UPDATE and DELETE on `audit_log` (and TRUNCATE on PostgreSQL). Someone
 * with full database access can drop them and even recompute the chain; keep the
 * head that `verify` returns (`formatAuditAnchor`) somewhere else and pass it back
 * as `anchor` to detect a rewritten or truncated tail.
 *
 * @packageDocumentation
 */
export { createAuditLog, type AuditLog } from "./service.js";
export { createAuditRepository, type AuditRepository } from "./repository.js";
export { auditActor } from "./actors.js";
export { formatAuditAnchor, parseAuditAnchor } from "./anchor.js";
export { entryHash, genesisHash } from "./chain.js";
export type { AuditAnchor, AuditEntry, AuditListOptions, AuditRecord, AuditTarget, AuditVerification, AuditVerifyOptions } from "./types.js";
export type { AuditTables } from "./tables.js";
