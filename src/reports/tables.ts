/** The tables the report service may see (migration 0013; `decisions`, `events` and `accounts` read only). */
export interface ReportTables {
  reports: {
    id: string;
    case_id: string;
    account_id: string;
    /** The reviewer's confirmation category (`csam`, `grooming`, ...). */
    category: string;
    /** See `reportStates` in service.ts. */
    state: string;
    /** `test` or `production`: where it was (or will be) sent. */
    environment: string;
    ncmec_report_id: string | null;
    /** JSON `ReportFacts`. */
    facts: string;
    /** JSON `AccountDetails`, null until fetched. */
    account_details: string | null;
    report_xml: string | null;
    ncmec_opened_at: string | null;
    ncmec_changed_at: string | null;
    /** Times a new NCMEC report was opened because the previous one expired or lost a file. */
    restarts: number;
    /** Times a reviewer asked for a retry. */
    retries: number;
    /** Failed attempts since the last success. */
    attempts: number;
    last_error: string | null;
    last_error_code: string | null;
    /** What a person should do about `last_error`. */
    hint: string | null;
    /** JSON array of NCMEC report ids opened for this report and abandoned. */
    abandoned_ids: string;
    created_at: string;
    updated_at: string;
    finished_at: string | null;
  };
  report_files: {
    report_id: string;
    position: number;
    file_ref: string;
    file_name: string;
    /** JSON `ReportFile` (without its bytes). */
    meta: string;
    state: string;
    ncmec_file_id: string | null;
    details_xml: string | null;
  };
  report_history: {
    id: string;
    report_id: string;
    at: string;
    actor: string;
    kind: string;
    details: string;
  };
  decisions: { id: string; event_id: string; account_id: string; case_id: string | null; created_at: string };
  events: { platform_id: string; id: string; occurred_at: string; type: string };
  accounts: { id: string; age_band: string | null; age_source: string | null };
}
