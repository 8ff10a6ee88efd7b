/**
 * The tables the audit log may see. `counters` only to take positions from
 * `seq`. Bigint columns read back as strings on PostgreSQL.
 */
export interface AuditTables {
  counters: { name: string; value: number | string };
  audit_log: {
    position: number | string;
    id: string;
    at: string;
    actor: string;
    action: string;
    target_type: string | null;
    target_id: string | null;
    /** Canonical JSON (see chain.ts): hashed exactly as stored. */
    details: string;
    prev_hash: string;
    hash: string;
  };
}
