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
  };
}
