import type { Kysely } from "kysely";
import { LapwingError } from "../errors/index.js";
import { newId, type SeqBlock } from "../store/index.js";
import { canonicalDetails, entryHash, genesisHash } from "./chain.js";
import type { AuditRepository, AuditRow } from "./repository.js";
import type { AuditTables } from "./tables.js";
import type { AuditAnchor, AuditEntry, AuditListOptions, AuditRecord, AuditVerification, AuditVerifyOptions } from "./types.js";
import { validateRecord } from "./validate.js";

const defaultListLimit = 50;
const maxListLimit = 1000;
const defaultPageRows = 2000;

/**
 * The hash each open transaction appended last (whichever audit log wrote it): a transaction that
 * records many times (an event batch's decisions and actions) reads the chain's head once.
 */
const appendedHead = new WeakMap<object, string>();

/**
 * The append-only, hash-chained audit log. It can add entries, list them and
 * verify the chain; it has no way to change or remove one.
 *
 * @example
 * const audit = createAuditLog(createAuditRepository(store.db), clock);
 * await audit.record(trx, { actor: "cli", action: "key.create", target: { type: "key", id } });
 * const newest = await audit.list({ order: "desc", limit: 20, action: "key.create" });
 * const { ok, firstBadPosition, problem } = await audit.verify();
 */
export function createAuditLog(repo: AuditRepository, clock: () => Date = () => new Date()) {
  /**
   * Appends entries in order, in `db`'s transaction when it is one (so they
   * commit or roll back with the change they record), else in a transaction of
   * their own. Everything is validated before anything is written. `numbers`:
   * the positions, from a block of `seq` the caller's transaction took for
   * this and other rows (src/store/counters.ts `allocateSeqBlock`).
   */
  async function recordMany<DB>(db: Kysely<DB>, records: readonly AuditRecord[], numbers?: SeqBlock): Promise<AuditEntry[]> {
    const prepared = records.map((record, i) => {
      const pointer = records.length === 1 ? "" : `/${i}`;
      validateRecord(record, pointer);
      return { record, details: canonicalDetails(record.details, `${pointer}/details`) };
    });
    if (prepared.length === 0) return [];
    return repo.inTransaction(db as unknown as Kysely<AuditTables>, async (trx) => {
      const { firstPosition, headHash } = await repo.reserve(trx, prepared.length, appendedHead.get(trx), numbers);
      const now = clock();
      const at = now.toISOString();
      let prevHash = headHash ?? genesisHash;
      const rows: AuditRow[] = prepared.map(({ record, details }, i) => {
        const fields = {
          position: firstPosition + i,
          at,
          actor: record.actor,
          action: record.action,
          targetType: record.target?.type ?? null,
          targetId: record.target?.id ?? null,
          details,
          prevHash,
        };
        const hash = entryHash(fields);
        prevHash = hash;
        return {
          position: fields.position,
          id: newId(now.getTime()),
          at,
          actor: fields.actor,
          action: fields.action,
          target_type: fields.targetType,
          target_id: fields.targetId,
          details,
          prev_hash: fields.prevHash,
          hash,
        };
      });
      await repo.insert(trx, rows);
      if (trx.isTransaction) appendedHead.set(trx, prevHash);
      return rows.map(toEntry);
    });
  }

  async function record<DB>(db: Kysely<DB>, entry: AuditRecord): Promise<AuditEntry> {
    const [recorded] = await recordMany(db, [entry]);
    return recorded!;
  }

  async function list(options: AuditListOptions = {}): Promise<AuditEntry[]> {
    const limit = options.limit ?? defaultListLimit;
    if (!Number.isInteger(limit) || limit < 1 || limit > maxListLimit) {
      throw new LapwingError("VALIDATION_FAILED", `The limit must be a whole number from 1 to ${maxListLimit}.`, { pointer: "/limit" });
    }
    for (const key of ["after", "before"] as const) {
      const value = options[key];
      if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
        throw new LapwingError("VALIDATION_FAILED", `"${key}" must be an entry position (a whole number ≥ 0).`, { pointer: `/${key}` });
      }
    }
    const rows = await repo.list({ ...options, limit, order: options.order ?? "asc" });
    return rows.map(toEntry);
  }

  /**
   * Reads the whole chain in position order, a page at a time, and stops at the
   * first entry that breaks it:
   * - its stored hash differs from the hash of its fields (the row was edited,
   *   or moved to another position);
   * - its prev_hash is not the hash of the entry before it (an entry between was
   *   deleted, or the one before was rewritten with a recomputed hash);
   * - its position is beyond anything `seq` has handed out (a forged append);
   * - it is the anchor's position with another hash, or the anchor is gone
   *   (the tail was rewritten consistently, or truncated).
   */
  async function verify(options: AuditVerifyOptions = {}): Promise<AuditVerification> {
    const pageRows = options.pageRows ?? defaultPageRows;
    const anchor = options.anchor;
    const total = await repo.count();
    let seqSeen = await repo.currentSeq();
    let checked = 0;
    let head: AuditAnchor | null = null;
    let anchorFound = false;
    const fail = (position: number, problem: string): AuditVerification => ({ ok: false, checked, head, firstBadPosition: position, problem });

    // From below any position, so a row slipped in at zero or a negative position is read too.
    for (let after = Number.MIN_SAFE_INTEGER; ; ) {
      const rows = await repo.page(after, pageRows);
      for (const row of rows) {
        checked++;
        const position = Number(row.position);
        const expected = head?.hash ?? genesisHash;
        const computed = entryHash({
          position,
          at: row.at,
          actor: row.actor,
          action: row.action,
          targetType: row.target_type,
          targetId: row.target_id,
          details: row.details,
          prevHash: row.prev_hash,
        });
        if (computed !== row.hash) {
          return fail(position, `Entry at position ${position} does not match its hash: it was edited or moved after it was written.`);
        }
        if (row.prev_hash !== expected) {
          return fail(
            position,
            head
              ? `Entry at position ${position} does not link to the entry before it (position ${head.position}): an entry between them was deleted, or that entry was rewritten.`
              : `Entry at position ${position} is the first in the log but does not start the chain: the entries before it were deleted.`,
          );
        }
        if (position > seqSeen) {
          // Honest writers commit their position with the counter, so a fresh read covers every committed entry.
          seqSeen = await repo.currentSeq();
          if (position > seqSeen) {
            return fail(position, `Entry at position ${position} is beyond the last position Lapwing has handed out (${seqSeen}): it was not written by Lapwing.`);
          }
        }
        if (anchor && position === anchor.position) {
          if (row.hash !== anchor.hash) {
            return fail(position, `Entry at position ${position} is not the anchored entry (its hash changed): the chain was rewritten from there or before.`);
          }
          anchorFound = true;
        }
        head = { position, hash: row.hash };
      }
      if (rows.length > 0) options.onProgress?.(checked, total);
      if (rows.length < pageRows) break;
      after = head!.position;
    }

    if (anchor && !anchorFound) {
      return fail(anchor.position, `The anchored entry at position ${anchor.position} is missing: the log was truncated or rewritten.`);
    }
    return { ok: true, checked, head };
  }

  /** Every entry of one action about one target (`media.reveal` of a case, say), oldest first. */
  async function forTarget(action: string, target: { type: string; id: string }): Promise<AuditEntry[]> {
    return (await repo.forTarget(action, target)).map(toEntry);
  }

  return { record, recordMany, list, forTarget, verify };
}

export type AuditLog = ReturnType<typeof createAuditLog>;

function toEntry(row: AuditRow): AuditEntry {
  return {
    position: Number(row.position),
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action,
    target: row.target_type === null || row.target_id === null ? null : { type: row.target_type, id: row.target_id },
    details: JSON.parse(row.details) as Record<string, unknown>,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
