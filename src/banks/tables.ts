/** The tables the hash-bank service may see. Bigint columns read back as strings on PostgreSQL. */
export interface BankTables {
  counters: { name: string; value: number | string };
  banks: {
    id: string;
    ordinal: number | string;
    name: string;
    description: string;
    enabled: number;
    pdq_threshold: number;
    match_verdict: string;
    created_at: string;
    updated_at: string;
    updated_seq: number | string;
    deleted_at: string | null;
    /** Set while a bank created by an import in flight is not yet visible (migration 0009). */
    import_id: string | null;
  };
  bank_entries: {
    id: string;
    bank_id: string;
    index_key: number | string;
    signal_type: string;
    signal: string;
    source: string;
    category: string;
    note: string;
    added_at: string;
    removed_seq: number | string | null;
    removed_at: string | null;
    /** Set while the entry belongs to an import in flight: nobody sees it until the import publishes. */
    import_id: string | null;
  };
  bank_imports: { id: string; started_at: string; heartbeat_at: string; host: string; pid: number };
}
