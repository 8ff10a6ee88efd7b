/**
 * The one table the job queue may see. Bigint columns (epoch milliseconds)
 * read back as strings on PostgreSQL.
 */
export interface JobTables {
  jobs: {
    id: string;
    queue: string;
    payload: string;
    idempotency_key: string;
    state: string;
    attempts: number;
    max_attempts: number;
    /** When the job may next be claimed: its due time while ready, its lease expiry while running. */
    run_at: number | string;
    locked_by: string | null;
    locked_until: number | string | null;
    last_error: string | null;
    created_at: string;
    finished_at: string | null;
  };
}
